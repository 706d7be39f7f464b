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
 * @param files       files no package installed ({@code contents:}), any order (the writers sort by path)
 */
public record SbomInput(
        ImageSubject image,
        List<SbomPackage> packages,
        Map<String, List<String>> dependsOn,
        long epoch,
        String toolVersion,
        OsInfo os,
        List<SbomFile> files) {

    /** An image whose every file came from a package. */
    public SbomInput(ImageSubject image, List<SbomPackage> packages, Map<String, List<String>> dependsOn, long epoch,
                     String toolVersion, OsInfo os) {
        this(image, packages, dependsOn, epoch, toolVersion, os, List.of());
    }

    /** This input about another image (same packages and files). */
    public SbomInput withImage(ImageSubject newImage) {
        return new SbomInput(newImage, packages, dependsOn, epoch, toolVersion, os, files);
    }

    /** This input with {@code newFiles} as its files. */
    public SbomInput withFiles(List<SbomFile> newFiles) {
        return new SbomInput(image, packages, dependsOn, epoch, toolVersion, os, newFiles);
    }

    public SbomInput {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(toolVersion, "toolVersion");
        Objects.requireNonNull(os, "os");
        packages = List.copyOf(packages);
        files = (files == null ? List.<SbomFile>of() : files).stream()
                .sorted(java.util.Comparator.comparing(SbomFile::path)).toList();
        var deps = new TreeMap<String, List<String>>();
        (dependsOn == null ? Map.<String, List<String>>of() : dependsOn).forEach((k, v) -> deps.put(k, List.copyOf(v)));
        dependsOn = java.util.Collections.unmodifiableSortedMap(deps);
        if (epoch < 0) throw new SbomException("SBOM epoch " + epoch + " is negative: set SOURCE_DATE_EPOCH to seconds since 1970");
    }
}
