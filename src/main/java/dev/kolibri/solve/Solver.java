package dev.kolibri.solve;

import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.sat4j.specs.ContradictionException;

/**
 * Chooses the packages to install for a list of requests, as a pseudo-boolean problem over the packages reachable
 * from the requests. Hard rules: every request and every depends entry of a chosen package is met, at most one
 * version per name, no chosen package conflicts with (or obsoletes) another, excluded names are never chosen.
 * Preferences, each one strictly more important than the next: preferred versions, newest versions, met
 * recommends (when asked for), a package with the wanted name over one that only provides it, fewest packages, the
 * first alternative of an {@code a | b}; remaining ties go to the alphabetically first package. The result depends
 * only on the set of packages in the pool, not on their order.
 */
public final class Solver {

    private Solver() {}

    /**
     * Resolves {@code requests} against {@code pool}.
     *
     * @throws UnsatisfiableException when no set of packages meets them; the message names the chain of requirements
     */
    public static Resolution solve(Pool pool, List<Requirement> requests, SolveOptions opts)
            throws UnsatisfiableException {
        PoolIndex index = PoolIndex.of(pool);
        Problem problem = Problem.build(index, requests, opts);
        boolean[] model = optimize(problem);
        if (model == null) throw Explainer.explain(problem);
        return resolution(problem, model);
    }

    /**
     * The broken requests, requirements, conflicts, obsoletes and duplicate names of {@code r} (empty when it is a
     * valid installation for {@code requests}), checked directly against the rules.
     */
    public static List<String> check(Resolution r, Pool pool, List<Requirement> requests) {
        return Checker.check(r, pool, requests);
    }

    /** The best model, or null when there is none. */
    private static boolean[] optimize(Problem problem) {
        Search search;
        try {
            search = Search.load(problem, false);
        } catch (ContradictionException e) {
            return null;
        }
        List<Integer> fixed = new ArrayList<>();
        boolean[] m = search.solve(fixed);
        if (m == null) return null;
        try {
            for (Problem.Objective level : problem.levels) m = search.minimize(level, m, fixed);
        } catch (ContradictionException e) {
            throw new IllegalStateException("an optimal bound contradicted its own model", e);
        }
        // Ties: drop packages late in the alphabet first, so the earliest name wins among equals.
        for (int var = problem.packageCount(); var >= 1; var--) {
            if (m[var]) {
                boolean[] other = search.solve(List.of(-var));
                if (other == null) {
                    search.fix(var);
                    continue;
                }
                m = other;
            }
            search.fix(-var);
        }
        return m;
    }

    private static Resolution resolution(Problem problem, boolean[] m) {
        List<Package> chosen = new ArrayList<>();
        for (int var = 1; var <= problem.packageCount(); var++) {
            if (m[var]) chosen.add(problem.packageOfVar(var));
        }
        Checker installed = new Checker(chosen, problem.index.versions);
        Map<String, List<String>> edges = new TreeMap<>();
        for (Package p : chosen) {
            TreeSet<String> to = new TreeSet<>();
            for (Requirement d : p.depends()) collect(d, installed, chosen, to);
            to.remove(p.id());
            edges.put(p.id(), List.copyOf(to));
        }
        List<String> notes = new ArrayList<>();
        for (Package p : chosen) {
            String want = problem.options.preferredVersions().get(p.name());
            if (want == null || problem.index.versions.compare(want, p.version()) == 0) continue;
            boolean available = problem.index.entries(p.name()).stream()
                    .map(e -> problem.index.get(e.pkg()))
                    .anyMatch(q -> q.name().equals(p.name()) && problem.index.versions.compare(q.version(), want) == 0);
            notes.add(p.name() + ": chose " + p.version() + " instead of the preferred " + want + ", which "
                    + (available ? "cannot be installed together with the other requirements" : "is not available"));
        }
        return new Resolution(chosen, edges, notes);
    }

    /** The ids of the installed packages that meet {@code r}'s branches as installed. */
    private static void collect(Requirement r, Checker installed, List<Package> chosen, TreeSet<String> to) {
        switch (r) {
            case Requirement.Atom a -> {
                for (Package q : chosen) if (installed.has(q, a.constraint())) to.add(q.id());
            }
            case Requirement.AnyOf any -> any.alternatives().forEach(x -> collect(x, installed, chosen, to));
            case Requirement.AllOf all -> all.all().forEach(x -> collect(x, installed, chosen, to));
            case Requirement.IfThen it -> {
                Requirement branch = installed.met(it.cond()) ? it.then() : it.otherwise();
                if (branch != null) collect(branch, installed, chosen, to);
            }
        }
    }
}
