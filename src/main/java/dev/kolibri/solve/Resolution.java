package dev.kolibri.solve;

import dev.kolibri.pkg.Package;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The packages to install.
 *
 * @param packages sorted by name, then version
 * @param edges    {@link Package#id()} to the sorted ids of the chosen packages that satisfy its depends (every chosen
 *                 package has an entry, possibly empty); for SBOM {@code DEPENDS_ON} relationships
 * @param notes    things a user should know, e.g. a preferred version that could not be used
 */
public record Resolution(List<Package> packages, Map<String, List<String>> edges, List<String> notes) {
    public Resolution {
        packages = List.copyOf(packages);
        TreeMap<String, List<String>> copy = new TreeMap<>();
        edges.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        edges = Collections.unmodifiableSortedMap(copy);
        notes = List.copyOf(notes);
    }
}
