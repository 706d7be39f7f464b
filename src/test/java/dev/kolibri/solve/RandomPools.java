package dev.kolibri.solve;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Op;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random pools for property tests. */
final class RandomPools {

    private RandomPools() {}

    /**
     * A small, tangled pool: {@code names} names with 1 to 3 versions each, random (versioned) depends,
     * alternatives, virtual provides, conflicts and obsoletes. Often unsatisfiable.
     */
    static List<Package> small(Random rnd, int names) {
        List<Package> pool = new ArrayList<>();
        for (int n = 0; n < names; n++) {
            int versions = 1 + rnd.nextInt(2);
            for (int v = 1; v <= versions; v++) {
                List<Requirement> deps = new ArrayList<>();
                for (int d = rnd.nextInt(3); d > 0; d--) {
                    Requirement a = Requirement.of(randomConstraint(rnd, names));
                    deps.add(rnd.nextInt(4) == 0
                            ? new Requirement.AnyOf(List.of(a, Requirement.of(randomConstraint(rnd, names)))) : a);
                }
                List<Capability> provides = rnd.nextInt(3) == 0
                        ? List.of(new Capability("virt" + rnd.nextInt(2), rnd.nextBoolean() ? null : "" + (1 + rnd.nextInt(2))))
                        : List.of();
                List<Constraint> conflicts = rnd.nextInt(4) == 0 ? List.of(randomConstraint(rnd, names)) : List.of();
                List<Constraint> obsoletes = rnd.nextInt(8) == 0 ? List.of(randomConstraint(rnd, names)) : List.of();
                pool.add(Fixtures.pkg("p" + n, "" + v, provides, deps, List.of(), conflicts, obsoletes));
            }
        }
        return pool;
    }

    private static Constraint randomConstraint(Random rnd, int names) {
        String name = rnd.nextInt(6) == 0 ? "virt" + rnd.nextInt(2) : "p" + rnd.nextInt(names);
        Op op = Op.values()[rnd.nextInt(Op.values().length)];
        return op == Op.ANY ? Constraint.any(name) : new Constraint(name, op, "" + (1 + rnd.nextInt(2)));
    }

    static Requirement randomRequest(Random rnd, int names) {
        return Requirement.of(randomConstraint(rnd, names));
    }

    /**
     * A distribution-sized pool: {@code families} families of 100 names, 3 versions each (so 300 packages per
     * family). Names depend on lower names in their own family and on the base family 0, with versioned
     * depends, alternatives, virtual names with several providers, and Breaks-like conflicts on old versions. The
     * newest versions of everything can be installed together, so every request has a solution.
     */
    static List<Package> distribution(Random rnd, int families) {
        List<Package> pool = new ArrayList<>();
        for (int f = 0; f < families; f++) {
            for (int i = 0; i < 100; i++) {
                for (int v = 1; v <= 3; v++) {
                    List<Requirement> deps = new ArrayList<>();
                    List<Constraint> conflicts = new ArrayList<>();
                    List<Capability> provides = new ArrayList<>();
                    if (i > 0) {
                        for (int d = rnd.nextInt(4); d > 0; d--) {
                            Constraint c = rnd.nextBoolean()
                                    ? new Constraint(name(f, rnd.nextInt(i)), Op.GE, "" + (1 + rnd.nextInt(3)))
                                    : Constraint.any(name(0, rnd.nextInt(f == 0 ? i : 100)));
                            if (rnd.nextInt(5) == 0) {
                                deps.add(new Requirement.AnyOf(List.of(Requirement.of("missing-" + f + "-" + i),
                                        Requirement.of(c))));
                            } else {
                                deps.add(Requirement.of(c));
                            }
                        }
                        if (rnd.nextInt(10) == 0) deps.add(Requirement.of("virtual-" + f + "-" + rnd.nextInt(5)));
                        if (rnd.nextInt(10) == 0) {
                            conflicts.add(new Constraint(name(f, rnd.nextInt(i)), Op.LT, "3"));
                        }
                    }
                    if (rnd.nextInt(20) == 0 || i < 5) provides.add(Capability.of("virtual-" + f + "-" + (i % 5)));
                    pool.add(Fixtures.pkg(name(f, i), "" + v, provides, deps, List.of(), conflicts, List.of()));
                }
            }
        }
        return pool;
    }

    static String name(int family, int i) {
        return String.format("f%03d-lib%02d", family, i);
    }
}
