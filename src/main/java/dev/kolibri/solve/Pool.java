package dev.kolibri.solve;

import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.VersionScheme;
import java.util.List;
import java.util.Objects;

/**
 * The candidates of one resolution: the packages of one architecture plus the architecture-independent ones (the
 * caller filters), and the version order that compares them. Order of {@code packages} does not matter.
 */
public record Pool(List<Package> packages, VersionScheme versions) {
    public Pool {
        packages = List.copyOf(packages);
        Objects.requireNonNull(versions, "versions");
    }
}
