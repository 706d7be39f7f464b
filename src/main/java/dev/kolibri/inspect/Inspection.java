package dev.kolibri.inspect;

import java.util.List;

/**
 * What {@code kolibri inspect} reports about an image: per platform, its layers, configuration, installed packages
 * and policy findings.
 */
public record Inspection(String image, String tag, String digest, String mediaType, List<PlatformReport> platforms) {

    public record PlatformReport(String platform, String manifest, String user, List<String> entrypoint,
                                 List<String> cmd, String workdir, List<String> env, List<LayerReport> layers,
                                 long compressedSize, long uncompressedSize, int files, List<InstalledPackage> packages,
                                 List<Finding> findings) {}

    public record LayerReport(String digest, String mediaType, long size, String name, List<String> packages) {}

    public record InstalledPackage(String name, String version, String arch, String source) {}

    public record Finding(String rule, String severity, String path, String pkg) {}
}
