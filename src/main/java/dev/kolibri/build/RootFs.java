package dev.kolibri.build;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.fs.InstallReport;
import dev.kolibri.fs.Installer;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.pkg.deb.DebArchive;
import dev.kolibri.pkg.deb.DpkgStatus;

import dev.kolibri.fs.PayloadEntry;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The install stage: every locked package's payload unpacked into one tree (no maintainer script runs), then the
 * dpkg database written as distroless images carry it.
 *
 * @param tree      the root file system
 * @param reports     what each package installed, in install order
 * @param installed   the dpkg database records of the installed packages
 * @param newestMtime the newest mtime of any payload member (the default epoch)
 * @param newestByOwner per package, the newest mtime of the entries it owns (its database files get it, so that
 *                      they are the same in every image that installs the package)
 */
record RootFs(FileTree tree, List<InstallReport> reports, List<DpkgStatus.Installed> installed, long newestMtime,
              Map<String, Long> newestByOwner) {

    static RootFs installDeb(List<LockedPackage> packages, Map<String, Path> files, BuildEvents events) {
        FileTree tree = new FileTree();
        Installer installer = new Installer();
        List<InstallReport> reports = new ArrayList<>();
        List<DpkgStatus.Installed> installed = new ArrayList<>();
        // Decompressing payloads (xz, mostly) is the costly part and independent per package: decode them on all
        // cores, then install strictly in lock order so the tree does not depend on timing.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<Decoded>> decoded = new ArrayList<>();
            for (LockedPackage p : packages) decoded.add(pool.submit(() -> Decoded.of(p, files.get(p.sha256()))));
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
        long newest = 0;
        Map<String, Long> byOwner = new HashMap<>();
        for (FileEntry e : tree.entries()) {
            newest = Math.max(newest, e.mtime());
            byOwner.merge(e.owner(), e.mtime(), Math::max);
        }
        return new RootFs(tree, reports, installed, newest, byOwner);
    }

    /** Adds {@code var/lib/dpkg/status.d/} for the installed packages, every file owned by its package. */
    void writeDpkgDatabase(long epoch) {
        for (FileEntry e : DpkgStatus.directories(epoch)) if (!tree.contains(e.path())) tree.put(e);
        for (FileEntry e : DpkgStatus.statusD(installed, epoch)) {
            tree.put(e.withMtime(Math.min(epoch, newestByOwner.getOrDefault(e.owner(), epoch))));
        }
    }

    /** A package file opened and its payload decoded into memory. */
    private record Decoded(DebArchive deb, List<PayloadEntry> entries) {
        static Decoded of(LockedPackage p, Path file) {
            DebArchive deb = DebArchive.open(file);
            if (!deb.name().equals(p.name())) {
                throw new IllegalStateException(file + " holds package " + deb.name() + ", but the lock says "
                        + p.name() + "; delete it from the cache and build again");
            }
            List<PayloadEntry> entries = new ArrayList<>();
            deb.forEachPayloadEntry(entries::add);
            return new Decoded(deb, entries);
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
