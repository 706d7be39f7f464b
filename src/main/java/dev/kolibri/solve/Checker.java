package dev.kolibri.solve;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.pkg.Requirement.AllOf;
import dev.kolibri.pkg.Requirement.AnyOf;
import dev.kolibri.pkg.Requirement.Atom;
import dev.kolibri.pkg.Requirement.IfThen;
import dev.kolibri.pkg.VersionScheme;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Checks a set of packages against the rules directly, without the SAT encoding. */
final class Checker {

    private final List<Package> installed;
    private final VersionScheme versions;

    Checker(List<Package> installed, VersionScheme versions) {
        this.installed = installed;
        this.versions = versions;
    }

    static List<String> check(Resolution r, Pool pool, List<Requirement> requests) {
        Checker c = new Checker(r.packages(), pool.versions());
        List<String> broken = new ArrayList<>();
        Set<String> inPool = new HashSet<>();
        for (Package p : pool.packages()) inPool.add(p.id());
        for (Requirement q : requests) {
            if (!c.met(q)) broken.add("request " + q + " is not met");
        }
        Map<String, List<String>> byName = new TreeMap<>();
        for (Package p : r.packages()) {
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p.version());
            if (!inPool.contains(p.id())) broken.add(p.id() + " is not in the pool");
            for (Requirement d : p.depends()) {
                if (!c.met(d)) broken.add(p.id() + " depends on " + d + ", which is not met");
            }
            for (Constraint k : p.conflicts()) {
                for (Package q : r.packages()) {
                    if (!q.id().equals(p.id()) && c.has(q, k)) broken.add(p.id() + " conflicts with " + q.id());
                }
            }
            for (Constraint k : p.obsoletes()) {
                for (Package q : r.packages()) {
                    if (!q.name().equals(p.name()) && q.name().equals(k.name())
                            && pool.versions().satisfies(new Capability(q.name(), q.version()), k)) {
                        broken.add(p.id() + " obsoletes " + q.id());
                    }
                }
            }
        }
        byName.forEach((name, vs) -> {
            if (vs.size() > 1) broken.add("more than one version of " + name + ": " + String.join(", ", vs));
        });
        return broken;
    }

    boolean met(Requirement r) {
        return switch (r) {
            case Atom a -> installed.stream().anyMatch(q -> has(q, a.constraint()));
            case AnyOf any -> any.alternatives().stream().anyMatch(this::met);
            case AllOf all -> all.all().stream().allMatch(this::met);
            case IfThen it -> met(it.cond())
                    ? it.then() == null || met(it.then())
                    : it.otherwise() == null || met(it.otherwise());
        };
    }

    boolean has(Package q, Constraint c) {
        if (versions.satisfies(new Capability(q.name(), q.version()), c)) return true;
        for (Capability cap : q.provides()) {
            if (versions.satisfies(cap, c)) return true;
        }
        return false;
    }
}
