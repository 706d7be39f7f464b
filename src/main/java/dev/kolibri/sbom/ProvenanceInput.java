package dev.kolibri.sbom;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a provenance statement records about one build.
 *
 * @param image            the image built (a multi-arch image is described by its index digest)
 * @param definitionPath   the image definition as the user named it ({@code images/python.yaml})
 * @param definitionSha256 lowercase hex sha256 of the definition file's bytes
 * @param variant          the variant built, or null for the base image
 * @param archs            architectures built
 * @param lockSha256       lowercase hex sha256 of the lockfile's bytes
 * @param sourceDateEpoch  the build timestamp, seconds since 1970
 * @param packages         every package file the build installed, all archs (each with sha256)
 * @param toolVersion      Kolibri's version
 */
public record ProvenanceInput(
        ImageSubject image,
        String definitionPath,
        String definitionSha256,
        String variant,
        List<String> archs,
        String lockSha256,
        long sourceDateEpoch,
        List<SbomPackage> packages,
        String toolVersion) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public ProvenanceInput {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(definitionPath, "definitionPath");
        Objects.requireNonNull(toolVersion, "toolVersion");
        hex("definition " + definitionPath, definitionSha256);
        hex("lockfile of " + definitionPath, lockSha256);
        archs = List.copyOf(archs);
        packages = List.copyOf(packages);
        if (variant != null && variant.isBlank()) variant = null;
        for (SbomPackage p : packages) {
            if (p.sha256() == null) {
                throw new SbomException("provenance for " + image.name() + ": package " + p.key() + " " + p.fullVersion()
                        + " has no sha256; provenance lists the package files a build used, so pass the ones from the lock");
            }
        }
    }

    private static void hex(String what, String value) {
        if (value == null || !HEX64.matcher(value).matches()) {
            throw new SbomException("provenance: sha256 of the " + what + " is '" + value + "', want 64 lowercase hex digits");
        }
    }
}
