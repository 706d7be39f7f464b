package dev.kolibri.sbom;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One installed binary package, as an SBOM describes it.
 *
 * @param ecosystem        {@code deb} or {@code rpm}
 * @param name             binary package name
 * @param version          Debian: the full version ({@code 1:2.3-4}); RPM: {@code VERSION-RELEASE} (an
 *                         {@code EPOCH:} prefix is accepted and moved to {@code epoch})
 * @param arch             {@code amd64}, {@code all}, {@code x86_64}, {@code noarch}
 * @param sourceName       source package (Debian {@code Source}, RPM source name or {@code .src.rpm} file name);
 *                         null means the binary name
 * @param sourceVersion    source package version; null means the binary version
 * @param supplier         Debian {@code Maintainer}, RPM {@code Packager} or {@code Vendor}; nullable
 * @param license          an SPDX licence expression, or null for NOASSERTION
 * @param sha256           lowercase hex sha256 of the package file; null for packages read back from an image
 * @param downloadLocation URL of the package file; nullable
 * @param epoch            RPM epoch; null when none (Debian keeps its epoch in {@code version})
 */
public record SbomPackage(
        String ecosystem,
        String name,
        String version,
        String arch,
        String sourceName,
        String sourceVersion,
        String supplier,
        String license,
        String sha256,
        String downloadLocation,
        String epoch) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern RPM_EPOCH = Pattern.compile("(\\d+):(.+)");

    public SbomPackage {
        Objects.requireNonNull(ecosystem, "ecosystem");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(arch, "arch");
        if (!ecosystem.equals("deb") && !ecosystem.equals("rpm")) {
            throw new SbomException("package " + name + ": unknown ecosystem '" + ecosystem + "' (want deb or rpm)");
        }
        if (name.isBlank() || version.isBlank() || arch.isBlank()) {
            throw new SbomException("package '" + name + "' " + version + " " + arch + ": name, version and arch must not be empty");
        }
        if (ecosystem.equals("rpm")) {
            var m = RPM_EPOCH.matcher(version);
            if (m.matches()) {
                if (epoch != null && !epoch.equals(m.group(1))) {
                    throw new SbomException("package " + name + ": epoch " + epoch + " disagrees with version " + version);
                }
                epoch = m.group(1);
                version = m.group(2);
            }
            if (epoch != null && !epoch.matches("\\d+")) {
                throw new SbomException("package " + name + ": epoch '" + epoch + "' is not a number");
            }
        } else if (epoch != null) {
            throw new SbomException("package " + name + ": a Debian epoch belongs in the version (" + epoch + ":" + version + ")");
        }
        if (sourceName == null || sourceName.isBlank()) sourceName = name;
        if (sourceVersion == null || sourceVersion.isBlank()) sourceVersion = version;
        if (sha256 != null && !HEX64.matcher(sha256).matches()) {
            throw new SbomException("package " + name + " " + version + ": sha256 '" + sha256 + "' is not 64 lowercase hex digits");
        }
        if (supplier != null && supplier.isBlank()) supplier = null;
        if (license != null && license.isBlank()) license = null;
        if (downloadLocation != null && downloadLocation.isBlank()) downloadLocation = null;
    }

    /** The key {@link SbomInput#dependsOn()} uses: {@code name:arch}. Unique within one image. */
    public String key() {
        return name + ":" + arch;
    }

    /** The version with the RPM epoch, as people read it: {@code 2:1.0-1.fc40}; the Debian version as is. */
    public String fullVersion() {
        return epoch == null ? version : epoch + ":" + version;
    }
}
