package dev.kolibri.inspect;

import dev.kolibri.fs.FileTree;

import java.util.List;

/** Reads the package databases an image carries: dpkg {@code status.d/} (distroless) and {@code status}. */
public final class InstalledPackages {
    private InstalledPackages() {}

    public static List<Inspection.InstalledPackage> read(FileTree tree) {
        return new DpkgDbReader().read(tree).stream()
                .map(r -> new Inspection.InstalledPackage(r.name(), r.version(), r.arch(), r.sourceName()))
                .toList();
    }
}
