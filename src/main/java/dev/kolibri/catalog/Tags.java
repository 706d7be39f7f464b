package dev.kolibri.catalog;

import dev.kolibri.build.DerivedLabels;
import dev.kolibri.spec.ImageSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tags of a flavour, derived from the version of its stream's main package (docs/parts/catalog.md): the
 * stream's own tag first ({@code 3.13}, where the SBOMs go, as {@code kolibri build} names it), then the full
 * version ({@code 3.13.5}), the minor ({@code 3.13}), the major ({@code 3}) where only one stream of the image has
 * it, and {@code latest} for the stream that says so; each with the flavour's suffix.
 */
public final class Tags {
    private Tags() {}

    /**
     * @param flavour       the flavour
     * @param mainVersion   the main package's version as the flavour's lock pins it ({@code 3.13.5-2}), or null
     *                      when the definition names no main package
     * @param sharedMajors  majors that more than one stream of this image has (no stream gets them as a tag)
     * @throws CatalogException when the stream's {@code version:} is not a prefix of the main package's version
     */
    public static List<String> of(Flavour flavour, String mainVersion, Set<String> sharedMajors) {
        ImageSpec s = flavour.stream();
        Set<String> base = new LinkedHashSet<>();
        base.add(s.version() == null ? "latest" : s.version());
        if (mainVersion != null) {
            String full = DerivedLabels.upstreamVersion(mainVersion).orElseThrow(() -> new CatalogException(s.source()
                    + ": the main package " + s.main() + " has version " + mainVersion + ", which does not start with a number; "
                    + "tags cannot derive from it"));
            if (s.version() != null && !(full.equals(s.version()) || full.startsWith(s.version() + "."))) {
                throw new CatalogException(s.source() + ": `version: " + s.version() + "` but the main package " + s.main()
                        + " is " + mainVersion + "; make `version:` the stream of " + full + " (such as " + minor(full) + ")");
            }
            String[] parts = full.split("\\.");
            base.add(full);
            if (parts.length >= 2) base.add(parts[0] + "." + parts[1]);
            if (!sharedMajors.contains(parts[0])) base.add(parts[0]);
        }
        if (s.latest()) base.add("latest");
        List<String> out = new ArrayList<>();
        for (String t : base) out.add(t + flavour.suffix());
        return out;
    }

    /**
     * The majors more than one stream of an image has: {@code streams} maps each stream's definition to its main
     * package's version (null values, for streams without a main package, count for nothing).
     */
    public static Set<String> sharedMajors(Map<ImageSpec, String> mainVersions) {
        Map<String, Integer> count = new TreeMap<>();
        for (String v : mainVersions.values()) {
            if (v == null) continue;
            DerivedLabels.upstreamVersion(v).ifPresent(u -> count.merge(u.split("\\.")[0], 1, Integer::sum));
        }
        Set<String> out = new java.util.TreeSet<>();
        count.forEach((k, n) -> {
            if (n > 1) out.add(k);
        });
        return out;
    }

    private static String minor(String full) {
        String[] p = full.split("\\.");
        return p.length >= 2 ? p[0] + "." + p[1] : p[0];
    }
}
