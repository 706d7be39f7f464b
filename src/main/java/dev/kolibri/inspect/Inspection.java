package dev.kolibri.inspect;

import java.util.List;

/**
 * What {@code kolibri inspect} reports about an image: per platform, its layers, configuration, installed packages
 * and policy findings; the package databases read ({@link ImagePackages}) and notes about them (none found, two).
 */
public record Inspection(String image, String tag, String digest, String mediaType, List<PlatformReport> platforms) {

    public record PlatformReport(String platform, String manifest, String user, List<String> entrypoint,
                                 List<String> cmd, String workdir, List<String> env, List<String> ports,
                                 List<String> volumes, List<LayerReport> layers,
                                 long compressedSize, long uncompressedSize, int files, List<InstalledPackage> packages,
                                 List<Finding> findings, List<ImagePackages.Database> packageDatabases,
                                 List<String> notes) {}

    public record LayerReport(String digest, String mediaType, long size, String name, List<String> packages) {}

    /** @param ecosystem the database it was read from: {@code deb} (dpkg) or {@code rpm} (rpmdb) */
    public record InstalledPackage(String name, String version, String arch, String source, String ecosystem) {}

    public record Finding(String rule, String severity, String path, String pkg) {}
}
