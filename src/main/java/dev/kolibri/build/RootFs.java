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
}
