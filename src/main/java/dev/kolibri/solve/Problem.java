package dev.kolibri.solve;

import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.pkg.Requirement.AllOf;
import dev.kolibri.pkg.Requirement.AnyOf;
import dev.kolibri.pkg.Requirement.Atom;
import dev.kolibri.pkg.Requirement.IfThen;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The resolution problem as clauses over the packages reachable from the requests (the closure). Variable
 * {@code i + 1} is closure package {@code i}; auxiliary variables follow. Clauses are kept in groups (one request,
 * one depends entry of one package, one conflicting pair, ...) so that a failure can be explained in those terms.
 * Objectives are kept per level, most important first.
 */
final class Problem {

    /** Literal that is always true; {@code -TRUE} is always false. Removed when clauses are built. */
    static final int TRUE = Integer.MAX_VALUE;

    enum Kind { REQUEST, DEPENDS, CONFLICT, OBSOLETES, ONE_VERSION, SOFT }

    /** Clauses that together state one rule. */
    static final class Group {
        final Kind kind;
        final int pkg;      // closure package the rule belongs to, or -1
        final int other;    // the other package of a conflict/obsoletes pair, or -1
        final Requirement requirement; // REQUEST, DEPENDS
        final String name;  // ONE_VERSION
        final List<int[]> clauses = new ArrayList<>();
        final List<int[]> atMostOne = new ArrayList<>();
        /** Closure packages whose installation can help meet the requirement of this group. */
        final BitSet satisfiers = new BitSet();

        Group(Kind kind, int pkg, int other, Requirement requirement, String name) {
            this.kind = kind;
            this.pkg = pkg;
            this.other = other;
            this.requirement = requirement;
            this.name = name;
        }
    }

    /** One objective: literal to positive weight; smaller sum is better. */
    record Objective(String name, Map<Integer, Long> weights) {}

    final PoolIndex index;
    final SolveOptions options;
    final List<Requirement> requests;
    /** Pool positions of the closure, in canonical order (name, version, ...). */
    final int[] closure;
    private final Map<Integer, Integer> varOfPkg = new java.util.HashMap<>();
    private final Set<String> excluded;
    private final Map<Constraint, int[]> varCache = new java.util.HashMap<>();
    private int nVars;
    final List<Group> groups = new ArrayList<>();
    final List<Objective> levels = new ArrayList<>();

    private final Map<Integer, Long> providerPenalty = new TreeMap<>();
    private final Map<Integer, Long> alternativePenalty = new TreeMap<>();
    private final Map<Integer, Long> recommendsPenalty = new TreeMap<>();

    private Problem(PoolIndex index, List<Requirement> requests, SolveOptions options) {
        this.index = index;
        this.options = options;
        this.requests = List.copyOf(requests);
        this.excluded = new HashSet<>(options.excluded());
        this.closure = closure();
        for (int i = 0; i < closure.length; i++) varOfPkg.put(closure[i], i + 1);
        nVars = closure.length;
    }

    static Problem build(PoolIndex index, List<Requirement> requests, SolveOptions options) {
        Problem p = new Problem(index, requests, options);
        p.encode();
        return p;
    }

    int nVars() {
        return nVars;
    }

    int packageCount() {
        return closure.length;
    }

    /** The pool position of package variable {@code var} (1-based). */
    int pkgOfVar(int var) {
        return closure[var - 1];
    }

    Package packageOfVar(int var) {
        return index.get(pkgOfVar(var));
    }

    boolean isExcluded(int pkg) {
        return excluded.contains(index.get(pkg).name());
    }

    /** Pool positions of the installable (not excluded) packages meeting {@code c}, in no particular order. */
    private int[] installable(Constraint c) {
        int[] all = index.matches(c);
        if (excluded.isEmpty()) return all;
        return Arrays.stream(all).filter(i -> !isExcluded(i)).toArray();
    }

    /** Variables of the closure packages meeting {@code c}, ascending (packages outside the closure are never installed). */
    int[] candidateVars(Constraint c) {
        return varCache.computeIfAbsent(c, k -> Arrays.stream(index.matches(k))
                .filter(varOfPkg::containsKey).map(varOfPkg::get).sorted().toArray());
    }

    /** Pool positions of the closure packages meeting {@code c}, in canonical order. */
    int[] candidates(Constraint c) {
        return Arrays.stream(candidateVars(c)).map(this::pkgOfVar).toArray();
    }

    // ---------------------------------------------------------------- closure

    private int[] closure() {
        BitSet seen = new BitSet(index.packages.size());
        Deque<Integer> todo = new ArrayDeque<>();
        for (Requirement r : requests) reach(r, seen, todo);
        while (!todo.isEmpty()) {
            Package p = index.get(todo.poll());
            for (Requirement r : p.depends()) reach(r, seen, todo);
            if (options.withRecommends()) for (Requirement r : p.recommends()) reach(r, seen, todo);
        }
        return index.sorted(seen.stream());
    }

    private void reach(Requirement r, BitSet seen, Deque<Integer> todo) {
        switch (r) {
            case Atom a -> {
                for (int q : installable(a.constraint())) {
                    if (!seen.get(q)) {
                        seen.set(q);
                        todo.add(q);
                    }
                }
            }
            case AnyOf any -> any.alternatives().forEach(x -> reach(x, seen, todo));
            case AllOf all -> all.all().forEach(x -> reach(x, seen, todo));
            case IfThen it -> {
                reach(it.cond(), seen, todo);
                if (it.then() != null) reach(it.then(), seen, todo);
                if (it.otherwise() != null) reach(it.otherwise(), seen, todo);
            }
        }
    }

    // ---------------------------------------------------------------- encoding

    private void encode() {
        for (Requirement r : requests) {
            Group g = group(Kind.REQUEST, -1, -1, r, null);
            require(new int[0], r, g);
        }
        Set<Long> pairs = new HashSet<>();
        Map<String, List<Integer>> byName = new LinkedHashMap<>();
        for (int i = 0; i < closure.length; i++) {
            int var = i + 1;
            int pkg = closure[i];
            Package p = index.get(pkg);
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(var);
            for (Requirement r : p.depends()) {
                Group g = group(Kind.DEPENDS, pkg, -1, r, null);
                require(new int[] {var}, r, g);
            }
            if (options.withRecommends()) {
                for (Requirement r : p.recommends()) {
                    Group g = group(Kind.SOFT, pkg, -1, r, null);
                    int unmet = ++nVars;
                    recommendsPenalty.put(unmet, 1L);
                    require(new int[] {var, -unmet}, r, g);
                }
            }
            for (Constraint c : p.conflicts()) {
                for (int other : candidateVars(c)) {
                    if (other == var || !pairs.add(pairKey(Kind.CONFLICT, var, other))) continue;
                    Group g = group(Kind.CONFLICT, pkg, pkgOfVar(other), null, null);
                    clause(g, -var, -other);
                }
            }
            for (Constraint c : p.obsoletes()) {
                for (int other : candidateVars(c)) {
                    int q = pkgOfVar(other);
                    if (other == var || index.get(q).name().equals(p.name()) || !index.matchesByName(q, c)
                            || !pairs.add(pairKey(Kind.OBSOLETES, var, other))) continue;
                    Group g = group(Kind.OBSOLETES, pkg, q, null, null);
                    clause(g, -var, -other);
                }
            }
        }
        for (Map.Entry<String, List<Integer>> e : byName.entrySet()) {
            if (e.getValue().size() < 2) continue;
            Group g = group(Kind.ONE_VERSION, -1, -1, null, e.getKey());
            g.atMostOne.add(e.getValue().stream().mapToInt(Integer::intValue).toArray());
        }
        objectives(byName);
    }

    private static long pairKey(Kind kind, int a, int b) {
        return ((long) Math.min(a, b) << 32 | Math.max(a, b)) * 2 + (kind == Kind.CONFLICT ? 0 : 1);
    }

    private void objectives(Map<String, List<Integer>> byName) {
        Map<Integer, Long> preferred = new TreeMap<>();
        Map<Integer, Long> newest = new TreeMap<>();
        Map<Integer, Long> count = new TreeMap<>();
        for (Map.Entry<String, List<Integer>> e : byName.entrySet()) {
            List<Integer> vars = e.getValue(); // ascending version
            String want = options.preferredVersions().get(e.getKey());
            if (want != null && vars.stream().anyMatch(v -> index.versions.compare(packageOfVar(v).version(), want) == 0)) {
                for (int v : vars) {
                    if (index.versions.compare(packageOfVar(v).version(), want) != 0) preferred.put(v, 1L);
                }
            }
            // rank 0 for the newest version, 1 for the next distinct one, ...
            long rank = 0;
            for (int k = vars.size() - 1; k >= 0; k--) {
                if (k < vars.size() - 1 && index.versions.compare(
                        packageOfVar(vars.get(k)).version(), packageOfVar(vars.get(k + 1)).version()) != 0) rank++;
                if (rank > 0) newest.put(vars.get(k), rank);
            }
        }
        for (int v = 1; v <= closure.length; v++) count.put(v, 1L);
        addLevel("preferred versions", preferred);
        addLevel("newest versions", newest);
        addLevel("recommends", recommendsPenalty);
        addLevel("real packages over providers", providerPenalty);
        addLevel("fewest packages", count);
        addLevel("first alternatives", alternativePenalty);
    }

    private void addLevel(String name, Map<Integer, Long> weights) {
        if (!weights.isEmpty()) levels.add(new Objective(name, Map.copyOf(weights)));
    }

    private Group group(Kind kind, int pkg, int other, Requirement r, String name) {
        Group g = new Group(kind, pkg, other, r, name);
        groups.add(g);
        return g;
    }

    /**
     * Adds clauses saying: when every literal of {@code guard} is true, {@code r} is met; records the objective terms
     * that choose among the ways to meet it (real package over provider, first alternative).
     */
    private void require(int[] guard, Requirement r, Group g) {
        switch (r) {
            case Atom a -> {
                int[] c = atomVars(a.constraint(), g);
                clause(g, concat(negate(guard), c));
            }
            case AnyOf any -> {
                List<Integer> lits = new ArrayList<>();
                Set<Integer> earlier = new HashSet<>();
                for (int i = 0; i < any.alternatives().size(); i++) {
                    Requirement alt = any.alternatives().get(i);
                    if (alt instanceof Atom a) {
                        int[] c = atomVars(a.constraint(), g);
                        for (int v : c) {
                            lits.add(v);
                            if (options.orderedAlternatives() && i > 0 && !earlier.contains(v)) {
                                alternativePenalty.merge(v, (long) i, Math::max);
                            }
                        }
                        for (int v : c) earlier.add(v);
                    } else {
                        int aux = ++nVars;
                        require(new int[] {aux}, alt, g);
                        lits.add(aux);
                    }
                }
                clause(g, concat(negate(guard), lits.stream().mapToInt(Integer::intValue).toArray()));
            }
            case AllOf all -> all.all().forEach(x -> require(guard, x, g));
            case IfThen it -> {
                int cond = exact(it.cond(), g);
                if (it.then() != null) require(concat(guard, new int[] {cond}), it.then(), g);
                if (it.otherwise() != null) require(concat(guard, new int[] {-cond}), it.otherwise(), g);
            }
        }
    }

    private int[] atomVars(Constraint c, Group g) {
        int[] vars = candidateVars(c);
        boolean anyReal = false;
        for (int v : vars) {
            g.satisfiers.set(pkgOfVar(v));
            anyReal |= packageOfVar(v).name().equals(c.name());
        }
        if (anyReal) {
            for (int v : vars) {
                if (!packageOfVar(v).name().equals(c.name())) providerPenalty.put(v, 1L);
            }
        }
        return vars;
    }

    /** A literal that is true exactly when {@code r} is met by the installed packages. */
    private int exact(Requirement r, Group g) {
        switch (r) {
            case Atom a -> {
                int[] c = candidateVars(a.constraint());
                if (c.length == 0) return -TRUE;
                if (c.length == 1) return c[0];
                return or(c, g);
            }
            case AnyOf any -> {
                return or(any.alternatives().stream().mapToInt(x -> exact(x, g)).toArray(), g);
            }
            case AllOf all -> {
                int[] lits = all.all().stream().mapToInt(x -> exact(x, g)).toArray();
                return -or(negate(lits), g);
            }
            case IfThen it -> {
                int c = exact(it.cond(), g);
                int t = it.then() == null ? TRUE : exact(it.then(), g);
                int o = it.otherwise() == null ? TRUE : exact(it.otherwise(), g);
                int v = ++nVars;
                clause(g, -v, -c, t);
                clause(g, -v, c, o);
                clause(g, v, -c, -t);
                clause(g, v, c, -o);
                return v;
            }
        }
    }

    /** A fresh variable equal to the disjunction of {@code lits}. */
    private int or(int[] lits, Group g) {
        int v = ++nVars;
        clause(g, concat(new int[] {-v}, lits));
        for (int l : lits) clause(g, -l, v);
        return v;
    }

    /** Adds a clause, dropping false literals and repeats; a clause with a true literal or {@code x, -x} is dropped. */
    private static void clause(Group g, int... lits) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int l : lits) {
            if (l == TRUE) return;
            if (l == -TRUE) continue;
            if (set.contains(-l)) return;
            set.add(l);
        }
        g.clauses.add(set.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int[] negate(int[] lits) {
        return Arrays.stream(lits).map(l -> -l).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
