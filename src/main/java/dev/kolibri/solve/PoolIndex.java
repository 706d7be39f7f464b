package dev.kolibri.solve;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.VersionScheme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pool with an index from capability name to the packages that have it: their own name and version, and every
 * {@code provides}. Packages are referred to by their position in {@link #packages}; positions follow the caller's
 * order, so everything that reaches the output goes through {@link #order} (name, then version, then arch and
 * origin). Of several packages with one {@link Package#id()}, the first in that order is kept.
 */
final class PoolIndex {

    /** One capability of one package. */
    record Entry(int pkg, Capability capability) {}

    final List<Package> packages;
    final VersionScheme versions;
    final Comparator<Package> order;
    private final Map<String, List<Entry>> byName = new HashMap<>();
    private final Map<Constraint, int[]> matchCache = new HashMap<>();

    private PoolIndex(List<Package> packages, VersionScheme versions, Comparator<Package> order) {
        this.packages = packages;
        this.versions = versions;
        this.order = order;
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
        Comparator<Package> order = order(pool.versions());
        Map<String, Integer> byId = new HashMap<>();
        List<Package> unique = new ArrayList<>(pool.packages().size());
        for (Package p : pool.packages()) {
            Integer at = byId.putIfAbsent(p.id(), unique.size());
            if (at == null) unique.add(p);
            else if (order.compare(p, unique.get(at)) < 0) unique.set(at, p); // same id twice: keep the first in order
        }
        return new PoolIndex(List.copyOf(unique), pool.versions(), order);
    }

    /** The canonical order: name, version, then arch and origin. Only the packages in play are ever sorted. */
    private static Comparator<Package> order(VersionScheme v) {
        Comparator<String> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
        return Comparator.comparing(Package::name)
                .thenComparing(Package::version, v)
                .thenComparing(Package::version)
                .thenComparing(Package::arch)
                .thenComparing(Package::repository, nullsFirst)
                .thenComparing(Package::location, nullsFirst)
                .thenComparing(Package::sha256, nullsFirst);
    }

    /** Positions sorted by the canonical order of their packages. */
    int[] sorted(java.util.stream.IntStream positions) {
        return positions.boxed().sorted((a, b) -> order.compare(packages.get(a), packages.get(b)))
                .mapToInt(Integer::intValue).toArray();
    }

    Package get(int pkg) {
        return packages.get(pkg);
    }

    /** Every capability named {@code name}, in pool order. */
    List<Entry> entries(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** The packages (ascending positions, no repeats; not in canonical order) with a capability that satisfies {@code c}. */
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

}
