package dev.kolibri.sbom;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything an SBOM says about one image.
 *
 * @param image       the image described
 * @param packages    installed packages (any order; the writers sort)
 * @param dependsOn   package key ({@link SbomPackage#key()}) to the keys of the packages it depends on
 * @param epoch       the build's timestamp, seconds since 1970 ({@code SOURCE_DATE_EPOCH}); the documents'
 *                    creation time
 * @param toolVersion Kolibri's version
 * @param os          the image's os-release
 */
public record SbomInput(
        ImageSubject image,
        List<SbomPackage> packages,
        Map<String, List<String>> dependsOn,
        long epoch,
        String toolVersion,
        OsInfo os) {
    public SbomInput {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(toolVersion, "toolVersion");
        Objects.requireNonNull(os, "os");
        packages = List.copyOf(packages);
        var deps = new TreeMap<String, List<String>>();
        (dependsOn == null ? Map.<String, List<String>>of() : dependsOn).forEach((k, v) -> deps.put(k, List.copyOf(v)));
        dependsOn = java.util.Collections.unmodifiableSortedMap(deps);
        if (epoch < 0) throw new SbomException("SBOM epoch " + epoch + " is negative: set SOURCE_DATE_EPOCH to seconds since 1970");
    }
}
