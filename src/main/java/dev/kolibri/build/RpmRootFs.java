package dev.kolibri.build;

import dev.kolibri.fs.ContentSink;
import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.fs.InstallReport;
import dev.kolibri.fs.Installer;
import dev.kolibri.fs.Unpacking;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.pkg.rpm.RpmArchive;
import dev.kolibri.pkg.rpm.RpmDb;
import dev.kolibri.pkg.rpm.RpmFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The RPM install stage. Owner names in RPM headers become ids through the image's own {@code etc/passwd} and
 * {@code etc/group}, which a package ({@code setup}) ships: the packages shipping those files are read first and
 * installed first, then the rest in lock order; a name neither file knows becomes 0 with a warning (as rpm does).
 * Afterwards each directory that some package declares gets the mode, owner and mtime of the first package (in
 * install order) that declares it, not those of a parent created on the fly (rpm's transaction order would have
 * installed the declaring package first). The rpmdb ({@code usr/lib/sysimage/rpm/rpmdb.sqlite} and the
 * {@code var/lib/rpm} link) is written for the epoch.
 */
final class RpmRootFs {
    static final String PASSWD = "etc/passwd";
    static final String GROUP = "etc/group";

    private RpmRootFs() {}

    static RootFs install(List<LockedPackage> packages, Map<String, Path> files, String rpmArch, Unpacking unpacking,
                          BuildEvents events) {
        List<RpmArchive> ordered = new ArrayList<>();
        List<RpmArchive> accounts = new ArrayList<>();
        Map<RpmArchive, LockedPackage> lockedOf = new java.util.IdentityHashMap<>();
        for (LockedPackage p : packages) {
            Path f = files.get(p.sha256());
            RpmArchive a = RpmArchive.open(f);
            lockedOf.put(a, p);
            if (!a.name().equals(p.name())) {
                throw new IllegalStateException(f + " holds package " + a.name() + ", but the lock says " + p.name()
                        + "; delete it from the cache and build again");
            }
            if (ships(a, PASSWD) || ships(a, GROUP)) accounts.add(a);
            else ordered.add(a);
        }
        ordered.addAll(0, accounts);

        Map<String, Integer> users = new HashMap<>(Map.of("root", 0));
        Map<String, Integer> groups = new HashMap<>(Map.of("root", 0));
        for (RpmArchive a : accounts) {
            FileTree scratch = new FileTree();
            Unpacking accountsOnly = unpacking.scratch();
            try (ContentSink sink = accountsOnly.sink(RootFs.label(lockedOf.get(a)), size(a))) {
                new Installer().install(scratch, a.name(), a.payload(sink, n -> 0, n -> 0));
            }
            scratch.get(PASSWD).ifPresent(e -> readIds(e, users));
            scratch.get(GROUP).ifPresent(e -> readIds(e, groups));
        }

        FileTree tree = new FileTree();
        Installer installer = new Installer();
        List<InstallReport> reports = new ArrayList<>();
        long newest = 0;
        for (RpmArchive a : ordered) {
            Set<String> unknownUsers = new TreeSet<>();
            Set<String> unknownGroups = new TreeSet<>();
            InstallReport r;
            try (ContentSink sink = unpacking.sink(RootFs.label(lockedOf.get(a)), size(a))) {
                r = installer.install(tree, a.name(), a.payload(sink, lookup(users, unknownUsers),
                        lookup(groups, unknownGroups)));
            }
            unknownUsers.forEach(u -> events.warn(a.name() + ": user " + u + " is not in the image's /etc/passwd; "
                    + "its files are owned by root (0), as rpm does"));
            unknownGroups.forEach(g -> events.warn(a.name() + ": group " + g + " is not in the image's /etc/group; "
                    + "its files get group root (0), as rpm does"));
            r.warnings().forEach(w -> events.warn(a.name() + ": " + w));
            r.setuidPaths().forEach(s -> events.info("setuid/setgid: /" + s + " (from " + a.name() + ")"));
            reports.add(r);
            newest = Math.max(newest, a.buildTime());
        }
        declareDirectories(tree, ordered, users, groups);
        newest = Math.max(newest, RootFs.newestMtime(tree));

        RootFs.Database db = (t, epoch, trimmed) -> {
            Set<String> notInstalled = new HashSet<>();
            for (String p : trimmed.paths()) notInstalled.add("/" + p);
            for (FileEntry e : RpmDb.entries(ordered, epoch, rpmArch, notInstalled)) {
                if (e.type() == EntryType.DIRECTORY && t.contains(e.path())) continue;
                if (e.type() == EntryType.SYMLINK && t.contains(e.path())) continue; // a package's var/lib/rpm stays
                t.put(e);
            }
        };
        return new RootFs(tree, reports, db, newest);
    }

    private static long size(RpmArchive a) {
        try {
            return java.nio.file.Files.size(a.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(a.file() + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Whether the package's payload has the regular file {@code path} (relative, no leading slash). */
    private static boolean ships(RpmArchive a, String path) {
        for (RpmFile f : a.files()) {
            if (f.isRegular() && !f.isGhost() && f.path().equals("/" + path)) return true;
        }
        return false;
    }

    /** {@code name:x:id:...} lines of passwd or group; the first definition of a name counts. */
    private static void readIds(FileEntry e, Map<String, Integer> out) {
        if (e.type() != EntryType.FILE || e.content() == null) return;
        for (String line : new String(e.content(), StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < 3 || f[0].isEmpty() || line.startsWith("#")) continue;
            try {
                out.putIfAbsent(f[0], Integer.parseInt(f[2]));
            } catch (NumberFormatException ignored) {
                // a malformed line maps nothing; the accounts step reports it
            }
        }
    }

    private static Function<String, Integer> lookup(Map<String, Integer> ids, Set<String> unknown) {
        return name -> {
            Integer id = ids.get(name);
            if (id == null) unknown.add(name);
            return id;
        };
    }

    private static void declareDirectories(FileTree tree, List<RpmArchive> ordered, Map<String, Integer> users,
                                           Map<String, Integer> groups) {
        Set<String> done = new HashSet<>();
        for (RpmArchive a : ordered) {
            for (RpmFile f : a.files()) {
                if (!f.isDirectory() || f.isGhost()) continue;
                String path = f.path().replaceFirst("^/+", "");
                if (path.isEmpty() || !done.add(path)) continue;
                FileEntry e = tree.get(path).orElse(null);
                if (e == null || e.type() != EntryType.DIRECTORY) continue;
                tree.put(FileEntry.directory(path, f.permissions(), users.getOrDefault(f.user(), 0),
                        groups.getOrDefault(f.group(), 0), f.mtime(), a.name()));
            }
        }
    }
}
