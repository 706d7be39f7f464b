package dev.kolibri.vuln;

import java.util.Objects;

/**
 * One installed package as a scan sees it (from an image's package database, an SBOM or a lockfile).
 *
 * @param sourceName    Debian {@code Source}, RPM source RPM name; the binary name when unknown
 * @param sourceVersion the source package's version; the binary version when unknown
 * @param purl          the package URL, or null
 */
public record ScannedPackage(String name, String version, String arch, String sourceName, String sourceVersion, String purl,
                             Ecosystems.Family family) {
    public ScannedPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(family, "family");
        arch = arch == null ? "" : arch;
        sourceName = sourceName == null || sourceName.isEmpty() ? name : sourceName;
        sourceVersion = sourceVersion == null || sourceVersion.isEmpty() ? version : sourceVersion;
    }

    public static ScannedPackage deb(String name, String version, String arch, String sourceName, String sourceVersion) {
        return new ScannedPackage(name, version, arch, sourceName, sourceVersion, null, Ecosystems.Family.DEB);
    }

    public static ScannedPackage rpm(String name, String version, String arch, String sourceName) {
        return new ScannedPackage(name, version, arch, sourceName, version, null, Ecosystems.Family.RPM);
    }
}
