package dev.kolibri.inspect;

import dev.kolibri.fs.FileTree;

import java.util.List;

/**
 * Reads the package databases an image carries ({@link PackageDbReader#all()}): dpkg {@code status.d/}
 * (distroless) and {@code status}, rpm's sqlite rpmdb.
 */
public final class InstalledPackages {
    private InstalledPackages() {}

    public static List<Inspection.InstalledPackage> read(FileTree tree) {
        List<Inspection.InstalledPackage> out = new java.util.ArrayList<>();
        for (PackageDbReader reader : PackageDbReader.all()) {
            for (PackageRecord r : reader.read(tree)) {
                out.add(new Inspection.InstalledPackage(r.name(), r.version(), r.arch(), r.sourceName()));
            }
        }
        return List.copyOf(out);
    }

    /**
     * An installed package with its source package's name and version: dpkg's {@code Source: src (version)} when the
     * source version differs from the binary's (binNMUs), else the binary's own version.
     */
    public record WithSource(String name, String version, String arch, String sourceName, String sourceVersion) {}

    /** Like {@link #read}, with source versions. */
    public static List<WithSource> readWithSources(FileTree tree) {
        return new DpkgDbReader().read(tree).stream()
                .map(r -> new WithSource(r.name(), r.version(), r.arch(), r.sourceName(), r.sourceVersion()))
                .toList();
    }
}
