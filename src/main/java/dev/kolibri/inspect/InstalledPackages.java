package dev.kolibri.inspect;

import dev.kolibri.fs.FileTree;

import java.util.List;

/**
 * The installed packages of an image in the shapes {@code inspect} and {@code diff} show, read through
 * {@link ImagePackages} (every package database the image carries: dpkg {@code status.d/} and {@code status},
 * rpm's sqlite rpmdb).
 */
public final class InstalledPackages {
    private InstalledPackages() {}

    public static List<Inspection.InstalledPackage> read(FileTree tree) {
        return of(ImagePackages.read(tree));
    }

    /** The records of {@code packages} as {@code inspect} lists them. */
    public static List<Inspection.InstalledPackage> of(ImagePackages packages) {
        return packages.packages().stream()
                .map(r -> new Inspection.InstalledPackage(r.name(), r.version(), r.arch(), r.sourceName(), r.ecosystem()))
                .toList();
    }

    /**
     * An installed package with its source package's name and version: dpkg's {@code Source: src (version)} when the
     * source version differs from the binary's (binNMUs), else the binary's own version; rpm's source RPM file name.
     */
    public record WithSource(String name, String version, String arch, String sourceName, String sourceVersion) {}

    /** Like {@link #read}, with source versions. */
    public static List<WithSource> readWithSources(FileTree tree) {
        return ImagePackages.read(tree).packages().stream()
                .map(r -> new WithSource(r.name(), r.version(), r.arch(), r.sourceName(), r.sourceVersion()))
                .toList();
    }
}
