package dev.kolibri.solve;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to resolve.
 *
 * @param withRecommends     also try to satisfy the recommends of chosen packages (never fails because of them)
 * @param preferredVersions  package name to version: a soft preference, used to pick the same version on every arch
 * @param excluded           package names never to install
 */
public record SolveOptions(boolean withRecommends, Map<String, String> preferredVersions, List<String> excluded) {
    public SolveOptions {
        preferredVersions = java.util.Collections.unmodifiableSortedMap(
                new TreeMap<>(Objects.requireNonNull(preferredVersions, "preferredVersions")));
        excluded = List.copyOf(excluded);
    }

    /** No recommends, no preferences, nothing excluded. */
    public static SolveOptions defaults() {
        return new SolveOptions(false, Map.of(), List.of());
    }
}
