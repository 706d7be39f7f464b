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
 * @param orderedAlternatives prefer the first alternative of an {@code AnyOf} (Debian's {@code a | b}, as apt does);
 *                           false takes the alternatives as a set, as libsolv does for RPM's rich {@code (a or b)}
 *                           (ties then go to the alphabetically first package)
 */
public record SolveOptions(boolean withRecommends, Map<String, String> preferredVersions, List<String> excluded,
                           boolean orderedAlternatives) {
    public SolveOptions {
        preferredVersions = java.util.Collections.unmodifiableSortedMap(
                new TreeMap<>(Objects.requireNonNull(preferredVersions, "preferredVersions")));
        excluded = List.copyOf(excluded);
    }

    /** Ordered alternatives (Debian's rule). */
    public SolveOptions(boolean withRecommends, Map<String, String> preferredVersions, List<String> excluded) {
        this(withRecommends, preferredVersions, excluded, true);
    }

    /** No recommends, no preferences, nothing excluded, ordered alternatives. */
    public static SolveOptions defaults() {
        return new SolveOptions(false, Map.of(), List.of());
    }

    /** The same options with alternatives taken as a set (RPM, as libsolv does). */
    public SolveOptions unorderedAlternatives() {
        return new SolveOptions(withRecommends, preferredVersions, excluded, false);
    }
}
