package dev.kolibri.solve;

import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.pkg.Requirement.AllOf;
import dev.kolibri.pkg.Requirement.AnyOf;
import dev.kolibri.pkg.Requirement.Atom;
import dev.kolibri.pkg.Requirement.IfThen;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Says why a problem has no solution. First structurally: a package is broken when one of its depends entries
 * can only be met by broken or missing packages (computed in rounds, so each broken package has a shortest cause);
 * a request that only broken or missing packages meet gives a chain down to the missing requirement. When every
 * request is structurally fine, conflicts or the one-version rule are to blame: the groups of clauses are switched
 * on by selector variables and a minimal set of groups that cannot hold together is found (Sat4j's unsat
 * explanation, then deletion), and named.
 */
final class Explainer {

    private static final int MAX_LISTED = 5;

    private final Problem problem;
    private final PoolIndex index;
    private final Map<Integer, Integer> brokenRound = new HashMap<>();
    private final Map<Integer, Integer> brokenEntry = new HashMap<>();
    private final BitSet installable = new BitSet();

    private Explainer(Problem problem) {
        this.problem = problem;
        this.index = problem.index;
        for (int p : problem.closure) installable.set(p);
    }

    static UnsatisfiableException explain(Problem problem) {
        return new Explainer(problem).run();
    }

    private UnsatisfiableException run() {
        findBroken();
        for (Requirement r : problem.requests) {
            if (!viable(r)) return chain(r);
        }
        return core();
    }

    // ---------------------------------------------------------------- structural

    private void findBroken() {
        for (int round = 0; ; round++) {
            Map<Integer, Integer> now = new HashMap<>();
            for (int p = installable.nextSetBit(0); p >= 0; p = installable.nextSetBit(p + 1)) {
                List<Requirement> deps = index.get(p).depends();
                for (int e = 0; e < deps.size(); e++) {
                    if (!viable(deps.get(e))) {
                        now.put(p, e);
                        break;
                    }
                }
            }
            if (now.isEmpty()) return;
            for (Map.Entry<Integer, Integer> b : now.entrySet()) {
                installable.clear(b.getKey());
                brokenRound.put(b.getKey(), round);
                brokenEntry.put(b.getKey(), b.getValue());
            }
        }
    }

    private boolean viable(Requirement r) {
        return switch (r) {
            case Atom a -> {
                for (int q : problem.candidates(a.constraint())) if (installable.get(q)) yield true;
                yield false;
            }
            case AnyOf any -> any.alternatives().stream().anyMatch(this::viable);
            case AllOf all -> all.all().stream().allMatch(this::viable);
            case IfThen it -> it.otherwise() == null || viable(it.otherwise())
                    || ((it.then() == null || viable(it.then())) && viable(it.cond()));
        };
    }

    /** What makes a non-viable requirement fail: a missing atom, or the broken package with the shortest cause. */
    private record Blame(Atom missing, int pkg, int depth) {}

    private Blame blame(Requirement r) {
        return switch (r) {
            case Atom a -> {
                int[] c = problem.candidates(a.constraint());
                if (c.length == 0) yield new Blame(a, -1, -1);
                Blame best = null;
                for (int i = c.length - 1; i >= 0; i--) { // newest first on ties
                    int depth = brokenRound.getOrDefault(c[i], Integer.MAX_VALUE);
                    if (best == null || depth < best.depth()) best = new Blame(null, c[i], depth);
                }
                yield best;
            }
            case AnyOf any -> best(any.alternatives());
            case AllOf all -> best(all.all());
            case IfThen it -> {
                List<Requirement> failing = new ArrayList<>();
                if (it.then() != null && !viable(it.then())) failing.add(it.then());
                if (it.otherwise() != null && !viable(it.otherwise())) failing.add(it.otherwise());
                if (failing.isEmpty()) failing.add(it.cond());
                yield best(failing);
            }
        };
    }

    private Blame best(List<Requirement> rs) {
        Blame best = null;
        for (Requirement r : rs) {
            if (viable(r)) continue;
            Blame b = blame(r);
            if (best == null || b.depth() < best.depth()) best = b;
        }
        return best;
    }

    private UnsatisfiableException chain(Requirement request) {
        List<String> steps = new ArrayList<>();
        steps.add("cannot install " + request);
        Requirement r = request;
        Package who = null;
        while (true) {
            Blame b = blame(r);
            if (b.missing() != null) {
                Constraint c = b.missing().constraint();
                if (who == null) steps.add(missing(c, true));
                else if (b.missing() == r) steps.add("which " + missing(c, false));
                else steps.add("and " + missing(c, true));
                break;
            }
            who = index.get(b.pkg());
            r = who.depends().get(brokenEntry.get(b.pkg()));
            steps.add(who.name() + " " + who.version() + " depends on " + r);
        }
        return new UnsatisfiableException(steps, ", ");
    }

    /** {@code no repository provides [c] (candidates: ...)} or {@code only excluded packages provide [c] (...)}. */
    private String missing(Constraint c, boolean named) {
        String what = named ? " " + c : "";
        int[] all = index.matches(c);
        if (all.length > 0) {
            return "only excluded packages provide" + what + " (" + list(index.sorted(java.util.Arrays.stream(all)), c) + ")";
        }
        int[] near = index.sorted(index.entries(c.name()).stream().mapToInt(PoolIndex.Entry::pkg).distinct());
        return "no repository provides" + what + (near.length == 0 ? "" : " (candidates: " + list(near, c) + ")");
    }

    private String list(int[] pkgs, Constraint c) {
        List<String> names = new ArrayList<>();
        for (int i = pkgs.length - 1; i >= 0 && names.size() < MAX_LISTED; i--) { // newest first
            Package p = index.get(pkgs[i]);
            String s = p.name() + " " + p.version();
            if (!p.name().equals(c.name())) {
                s += " provides " + p.provides().stream().filter(x -> x.name().equals(c.name()))
                        .map(Object::toString).collect(Collectors.joining(", "));
            }
            names.add(s);
        }
        if (pkgs.length > MAX_LISTED) names.add("and " + (pkgs.length - MAX_LISTED) + " more");
        return String.join(", ", names);
    }

    // ---------------------------------------------------------------- conflicts: minimal core

    private UnsatisfiableException core() {
        Search s;
        try {
            s = Search.load(problem, true);
        } catch (org.sat4j.specs.ContradictionException e) {
            throw new IllegalStateException("selector-guarded clauses cannot contradict", e);
        }
        List<Integer> core = new ArrayList<>();
        Map<Integer, Integer> groupOf = new HashMap<>();
        for (int g = 0; g < problem.groups.size(); g++) {
            int sel = s.selector(g);
            if (sel != 0) {
                core.add(sel);
                groupOf.put(sel, g);
            }
        }
        if (s.solve(core) != null) {
            return new UnsatisfiableException(List.of("cannot install " + requestsText(problem.requests)
                    + ": the solver found no solution but could not explain why"), ", ");
        }
        core = shrink(s, core, s.unsatAssumptions());
        // deletion: drop chunks, then single groups, that are not needed for the contradiction
        for (int chunk = Math.max(1, core.size() / 4); ; chunk = Math.max(1, chunk / 2)) {
            for (int i = 0; i < core.size(); ) {
                List<Integer> without = new ArrayList<>(core.subList(0, i));
                without.addAll(core.subList(Math.min(core.size(), i + chunk), core.size()));
                if (s.solve(without) == null) core = shrink(s, without, s.unsatAssumptions());
                else i += chunk;
            }
            if (chunk == 1) break;
        }
        List<Problem.Group> groups = core.stream().sorted().map(sel -> problem.groups.get(groupOf.get(sel))).toList();
        return render(groups);
    }

    /** {@code core} narrowed to the assumptions the solver last used, when they still contradict. */
    private static List<Integer> shrink(Search s, List<Integer> core, List<Integer> used) {
        if (used.isEmpty() || used.size() >= core.size()) return core;
        java.util.Set<Integer> keep = new java.util.HashSet<>(used);
        List<Integer> narrowed = core.stream().filter(keep::contains).toList();
        return s.solve(narrowed) == null ? new ArrayList<>(narrowed) : core;
    }

    private UnsatisfiableException render(List<Problem.Group> groups) {
        List<Requirement> requests = new ArrayList<>();
        List<Problem.Group> depends = new ArrayList<>();
        List<Problem.Group> pairs = new ArrayList<>();
        List<Problem.Group> versions = new ArrayList<>();
        for (Problem.Group g : groups) {
            switch (g.kind) {
                case REQUEST -> requests.add(g.requirement);
                case DEPENDS -> depends.add(g);
                case CONFLICT, OBSOLETES -> pairs.add(g);
                case ONE_VERSION -> versions.add(g);
                case SOFT -> { }
            }
        }
        List<String> steps = new ArrayList<>();
        steps.add("cannot install " + requestsText(requests) + (requests.size() > 1 ? " together" : ""));
        List<Problem.Group> used = new ArrayList<>();
        for (Problem.Group g : pairs) {
            String s = text(g.pkg) + (g.kind == Problem.Kind.CONFLICT ? " conflicts with " : " obsoletes ") + text(g.other);
            Problem.Group via = depends.stream()
                    .filter(d -> !used.contains(d) && d.satisfiers.get(g.other)).findFirst().orElse(null);
            if (via != null) {
                used.add(via);
                s += ", which " + text(via.pkg) + " depends on";
            } else if (groups.stream().anyMatch(x -> x.kind == Problem.Kind.REQUEST && x.satisfiers.get(g.other))) {
                s += ", which is requested";
            }
            steps.add(s);
        }
        for (Problem.Group g : depends) {
            if (!used.contains(g)) steps.add(text(g.pkg) + " depends on " + g.requirement);
        }
        for (Problem.Group g : versions) {
            steps.add("only one version of " + g.name + " can be installed");
        }
        return new UnsatisfiableException(steps, "; ");
    }

    private String text(int pkg) {
        Package p = index.get(pkg);
        return p.name() + " " + p.version();
    }

    private static String requestsText(List<Requirement> rs) {
        return rs.stream().map(Object::toString).collect(Collectors.joining(" and "));
    }
}
