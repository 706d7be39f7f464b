package dev.kolibri.solve;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.VersionScheme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pool in a canonical order (name, then version, then arch and origin; duplicates of one {@link Package#id()}
 * dropped) with an index from capability name to the packages that have it: their own name and version, and every
 * {@code provides}. Packages are referred to by their position in {@link #packages}.
 */
final class PoolIndex {

    /** One capability of one package. */
    record Entry(int pkg, Capability capability) {}

    final List<Package> packages;
    final VersionScheme versions;
    private final Map<String, List<Entry>> byName = new HashMap<>();
    private final Map<Constraint, int[]> matchCache = new HashMap<>();

    private PoolIndex(List<Package> packages, VersionScheme versions) {
        this.packages = packages;
        this.versions = versions;
        for (int i = 0; i < packages.size(); i++) {
            Package p = packages.get(i);
            add(new Entry(i, new Capability(p.name(), p.version())));
            for (Capability c : p.provides()) add(new Entry(i, c));
        }
    }

    private void add(Entry e) {
        byName.computeIfAbsent(e.capability().name(), k -> new ArrayList<>()).add(e);
    }

    static PoolIndex of(Pool pool) {
        VersionScheme v = pool.versions();
        Comparator<String> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
        Comparator<Package> order = Comparator.comparing(Package::name)
                .thenComparing(Package::version, v)
                .thenComparing(Package::version)
                .thenComparing(Package::arch)
                .thenComparing(Package::repository, nullsFirst)
                .thenComparing(Package::location, nullsFirst)
                .thenComparing(Package::sha256, nullsFirst);
        List<Package> sorted = new ArrayList<>(pool.packages());
        sorted.sort(order);
        Set<String> seen = new HashSet<>();
        List<Package> unique = new ArrayList<>(sorted.size());
        for (Package p : sorted) {
            if (seen.add(p.id())) unique.add(p);
        }
        return new PoolIndex(List.copyOf(unique), v);
    }

    Package get(int pkg) {
        return packages.get(pkg);
    }

    /** Every capability named {@code name}, in pool order. */
    List<Entry> entries(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** The packages (ascending positions, no repeats) with a capability that satisfies {@code c}. */
    int[] matches(Constraint c) {
        int[] cached = matchCache.get(c);
        if (cached != null) return cached;
        int[] found = entries(c.name()).stream()
                .filter(e -> versions.satisfies(e.capability(), c))
                .mapToInt(Entry::pkg)
                .sorted()
                .distinct()
                .toArray();
        matchCache.put(c, found);
        return found;
    }

    /** Whether package {@code pkg} satisfies {@code c} through its real name and version (for Obsoletes). */
    boolean matchesByName(int pkg, Constraint c) {
        Package p = packages.get(pkg);
        return p.name().equals(c.name()) && versions.satisfies(new Capability(p.name(), p.version()), c);
    }

    static boolean contains(int[] sorted, int x) {
        return Arrays.binarySearch(sorted, x) >= 0;
    }
}
