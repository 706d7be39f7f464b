package dev.kolibri.build;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.fs.InstallReport;
import dev.kolibri.fs.Installer;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.pkg.deb.DebArchive;
import dev.kolibri.pkg.deb.DpkgStatus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The install stage: every locked package's payload unpacked into one tree (no maintainer script runs), and the
 * package database to write once the epoch is known.
 *
 * @param tree        the root file system
 * @param reports     what each package installed, in install order
 * @param database    writes the package database (dpkg {@code status.d}, rpmdb) into {@code tree} for an epoch
 * @param newestMtime the newest mtime of any payload member (with RPM: or build time; the default epoch)
 */
record RootFs(FileTree tree, List<InstallReport> reports, Database database, long newestMtime) {

    /** Writes the package database of the installed packages into the tree. */
    @FunctionalInterface
    interface Database {
        void write(FileTree tree, long epoch);
    }

    static RootFs installDeb(List<LockedPackage> packages, Map<String, Path> files, BuildEvents events) {
        FileTree tree = new FileTree();
        Installer installer = new Installer();
        List<InstallReport> reports = new ArrayList<>();
        List<DpkgStatus.Installed> installed = new ArrayList<>();
        for (LockedPackage p : packages) {
            DebArchive deb = DebArchive.open(files.get(p.sha256()));
            if (!deb.name().equals(p.name())) {
                throw new IllegalStateException(files.get(p.sha256()) + " holds package " + deb.name() + ", but the lock says "
                        + p.name() + "; delete it from the cache and build again");
            }
            InstallReport r = installer.install(tree, p.name(), deb.payload());
            r.warnings().forEach(w -> events.warn(p.name() + ": " + w));
            r.setuidPaths().forEach(s -> events.info("setuid/setgid: /" + s + " (from " + p.name() + ")"));
            reports.add(r);
            installed.add(DpkgStatus.Installed.of(deb, r, tree));
        }
        Database db = (t, epoch) -> {
            for (FileEntry e : DpkgStatus.directories(epoch)) if (!t.contains(e.path())) t.put(e);
            for (FileEntry e : DpkgStatus.statusD(installed, epoch)) t.put(e);
        };
        return new RootFs(tree, reports, db, newestMtime(tree));
    }

    static long newestMtime(FileTree tree) {
        long newest = 0;
        for (FileEntry e : tree.entries()) newest = Math.max(newest, e.mtime());
        return newest;
    }

    /** Adds the package database for {@code epoch}. */
    void writeDatabase(long epoch) {
        database.write(tree, epoch);
    }
}
