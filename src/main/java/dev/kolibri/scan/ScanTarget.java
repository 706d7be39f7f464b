package dev.kolibri.scan;

import dev.kolibri.vuln.ScannedPackage;

import java.util.List;
import java.util.Objects;

/**
 * What a scan reads from an image, an SBOM or a lockfile.
 *
 * @param name      the target as the user named it
 * @param kind      {@code image}, {@code spdx}, {@code cyclonedx} or {@code lock}
 * @param ecosystem the OS's OSV ecosystem key ({@code Debian:12})
 * @param platform  the platform or arch whose packages were read ({@code linux/amd64}), or null when the input has
 *                  none (an SBOM)
 * @param packages  installed packages, sorted by name and arch
 * @param notes     what the user should know about how the packages were read (an image without a package
 *                  database, with two), one line each
 */
public record ScanTarget(String name, String kind, String ecosystem, String platform, List<ScannedPackage> packages,
                         List<String> notes) {
    public ScanTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ecosystem, "ecosystem");
        packages = packages.stream().sorted(java.util.Comparator.comparing(ScannedPackage::name)
                .thenComparing(ScannedPackage::arch).thenComparing(ScannedPackage::version)).toList();
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A target read without notes. */
    public ScanTarget(String name, String kind, String ecosystem, String platform, List<ScannedPackage> packages) {
        this(name, kind, ecosystem, platform, packages, List.of());
    }
}
