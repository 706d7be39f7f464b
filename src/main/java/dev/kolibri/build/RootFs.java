package dev.kolibri.build;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.fs.InstallReport;
import dev.kolibri.fs.Installer;
import dev.kolibri.fs.PayloadCache;
import dev.kolibri.fs.PayloadEntry;
import dev.kolibri.fs.Trim;
import dev.kolibri.fs.Unpacking;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.pkg.deb.DebArchive;
import dev.kolibri.pkg.deb.DpkgStatus;
import dev.kolibri.spec.TrimSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The install stage: every locked package's payload unpacked into one tree (no maintainer script runs), and the
 * package database to write once the epoch is known.
 *
 * @param tree        the root file system
 * @param reports     what each package installed, in install order
 * @param database    writes the package database (dpkg {@code status.d}, rpmdb) into {@code tree} for an epoch
 * @param newestMtime the newest mtime of any payload member (with RPM: or build time; the default epoch)
 * @param trimmed     what {@link #trim} left out of the packages (nothing before it runs)
 */
record RootFs(FileTree tree, List<InstallReport> reports, Database database, long newestMtime, Trim.Trimmed trimmed) {

    RootFs(FileTree tree, List<InstallReport> reports, Database database, long newestMtime) {
        this(tree, reports, database, newestMtime, Trim.Trimmed.NOTHING);
    }

    /** Writes the package database of the installed packages into the tree, naming only what {@code trimmed} left. */
    @FunctionalInterface
    interface Database {
        void write(FileTree tree, long epoch, Trim.Trimmed trimmed);
    }

    /**
     * Leaves out what {@code spec}'s globs trim (see {@link Trim}): the tree loses those paths, each package's report
     * its paths and bytes (so layers are planned on what stays), and the database written afterwards names only the
     * files the image holds.
     */
    RootFs trim(TrimSpec spec) {
        Trim.Trimmed t = Trim.apply(tree, spec.trim(), spec.keep());
        if (t.removed().isEmpty()) return new RootFs(tree, reports, database, newestMtime, t);
        Map<String, List<FileEntry>> byOwner = new HashMap<>();
        for (FileEntry e : t.removed()) byOwner.computeIfAbsent(e.owner(), o -> new ArrayList<>()).add(e);
        Map<String, List<FileEntry>> gained = new HashMap<>();
        for (FileEntry e : t.became()) gained.computeIfAbsent(e.owner(), o -> new ArrayList<>()).add(e);
        java.util.Set<String> gone = t.paths();
        List<InstallReport> left = new ArrayList<>();
        for (InstallReport r : reports) {
            List<FileEntry> lost = byOwner.getOrDefault(r.owner(), List.of());
            List<FileEntry> won = gained.getOrDefault(r.owner(), List.of());
            int files = (int) lost.stream().filter(e -> e.type() == dev.kolibri.fs.EntryType.FILE).count() - won.size();
            long bytes = lost.stream().mapToLong(FileEntry::size).sum() - won.stream().mapToLong(FileEntry::size).sum();
            left.add(new InstallReport(r.owner(), Math.max(0, r.files() - files), Math.max(0, r.bytes() - bytes),
                    r.warnings(), r.setuidPaths().stream().filter(p -> !gone.contains(p)).toList(), r.droppedPaths(),
                    r.createdDirectories().stream().filter(p -> !gone.contains(p)).toList(),
                    r.paths().stream().filter(p -> !gone.contains(p)).toList()));
        }
        return new RootFs(tree, left, database, newestMtime, t);
    }

    static RootFs installDeb(List<LockedPackage> packages, Map<String, Path> files, PayloadCache cache,
                             Unpacking unpacking, BuildEvents events) {
        FileTree tree = new FileTree();
        Installer installer = new Installer();
        List<InstallReport> reports = new ArrayList<>();
        List<DpkgStatus.Installed> installed = new ArrayList<>();
        // Decompressing payloads (xz, mostly) is the costly part and independent per package: decode them on all
        // cores, then install strictly in lock order so the tree does not depend on timing.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<Decoded>> decoded = new ArrayList<>();
            for (LockedPackage p : packages) decoded.add(pool.submit(() -> Decoded.of(p, files.get(p.sha256()), cache, unpacking)));
            for (int i = 0; i < packages.size(); i++) {
                LockedPackage p = packages.get(i);
                Decoded d = await(decoded.get(i));
                InstallReport r = installer.install(tree, p.name(), d.entries()::forEach);
                r.warnings().forEach(w -> events.warn(p.name() + ": " + w));
                r.setuidPaths().forEach(s -> events.info("setuid/setgid: /" + s + " (from " + p.name() + ")"));
                reports.add(r);
                installed.add(DpkgStatus.Installed.of(d.deb(), r, tree));
            }
        } finally {
            pool.shutdownNow();
        }
        // A package's status.d files get the newest time of its own files (never above the epoch), so that they are
        // the same in every image that installs the package and its layer can be shared.
        Map<String, Long> newestByOwner = new HashMap<>();
        for (FileEntry e : tree.entries()) newestByOwner.merge(e.owner(), e.mtime(), Math::max);
        Database db = (t, epoch, trimmed) -> {
            java.util.Set<String> gone = trimmed.paths();
            List<DpkgStatus.Installed> held = installed.stream().map(p -> p.without(gone)).toList();
            for (FileEntry e : DpkgStatus.directories(epoch)) if (!t.contains(e.path())) t.put(e);
            for (FileEntry e : DpkgStatus.statusD(held, epoch)) {
                t.put(e.withMtime(Math.min(epoch, newestByOwner.getOrDefault(e.owner(), epoch))));
            }
            if (trimmed.active()) writeDpkgFilters(t, trimmed, epoch);
        };
        return new RootFs(tree, reports, db, newestMtime(tree));
    }

    /**
     * {@code etc/dpkg/dpkg.cfg.d/kolibri-trim}: the trimming in dpkg's {@code path-exclude}/{@code path-include}
     * language, exact for every file of these packages (image-owned, 0644, with its parent directories).
     */
    private static void writeDpkgFilters(FileTree t, Trim.Trimmed trimmed, long epoch) {
        List<String> gone = new ArrayList<>();
        for (FileEntry e : trimmed.removed()) if (isFile(e)) gone.add("/" + e.path());
        List<String> kept = new ArrayList<>();
        for (FileEntry e : t.entries()) if (isFile(e) && !e.owner().isEmpty()) kept.add("/" + e.path());
        String text = dev.kolibri.pkg.deb.DpkgFilters.config(trimmed.trim(), trimmed.keep(), gone, kept);
        String path = dev.kolibri.pkg.deb.DpkgFilters.PATH;
        for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
            String dir = path.substring(0, i);
            if (!t.contains(dir)) t.put(FileEntry.directory(dir, 0755, 0, 0, epoch, ""));
        }
        t.put(FileEntry.file(path, 0644, 0, 0, epoch, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), ""));
    }

    private static boolean isFile(FileEntry e) {
        return e.type() == dev.kolibri.fs.EntryType.FILE || e.type() == dev.kolibri.fs.EntryType.HARDLINK;
    }

    static long newestMtime(FileTree tree) {
        long newest = 0;
        for (FileEntry e : tree.entries()) newest = Math.max(newest, e.mtime());
        return newest;
    }

    /** Adds the package database for {@code epoch}. */
    void writeDatabase(long epoch) {
        database.write(tree, epoch, trimmed);
    }

    /** The package as messages name it: {@code package 'bash' 5.2-1 (amd64)}. */
    static String label(LockedPackage p) {
        return "package '" + p.name() + "' " + p.version() + " (" + p.arch() + ")";
    }

    /**
     * A package file opened and its payload decoded: metadata in memory, contents in the payload cache's entry (or
     * the build's spill), each admitted by the limits as it streams.
     */
    private record Decoded(DebArchive deb, List<PayloadEntry> entries) {
        static Decoded of(LockedPackage p, Path file, PayloadCache cache, Unpacking unpacking) {
            long packed;
            try {
                packed = java.nio.file.Files.size(file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
            }
            Unpacking.Admission admission = unpacking.admission(label(p), packed);
            PayloadCache.Cached c = cache.get(p.sha256(), unpacking, admission, sink -> {
                DebArchive deb = DebArchive.open(file);
                List<PayloadEntry> entries = new ArrayList<>();
                deb.forEachPayloadEntry(sink, entries::add);
                return new PayloadCache.Cached(header(deb), entries);
            });
            DebArchive deb = fromHeader(file, c.header());
            if (!deb.name().equals(p.name())) {
                throw new IllegalStateException(file + " holds package " + deb.name() + ", but the lock says "
                        + p.name() + "; delete it from the cache and build again");
            }
            return new Decoded(deb, c.entries());
        }

        /** What the cache keeps of a .deb besides its payload: the data member's name, NUL, the control tar. */
        private static byte[] header(DebArchive deb) {
            byte[] name = deb.dataMember().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] control = deb.controlTar();
            byte[] h = new byte[name.length + 1 + control.length];
            System.arraycopy(name, 0, h, 0, name.length);
            System.arraycopy(control, 0, h, name.length + 1, control.length);
            return h;
        }

        private static DebArchive fromHeader(Path file, byte[] h) {
            int nul = 0;
            while (nul < h.length && h[nul] != 0) nul++;
            if (nul == h.length) return DebArchive.open(file); // not a header this code wrote: read the package
            String member = new String(h, 0, nul, java.nio.charset.StandardCharsets.US_ASCII);
            return DebArchive.withControl(file, member, java.util.Arrays.copyOfRange(h, nul + 1, h.length));
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while unpacking packages", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }
}
