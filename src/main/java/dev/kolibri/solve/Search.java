package dev.kolibri.solve;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sat4j.core.Vec;
import org.sat4j.core.VecInt;
import org.sat4j.pb.IPBSolver;
import org.sat4j.pb.SolverFactory;
import org.sat4j.specs.ContradictionException;
import org.sat4j.specs.IVecInt;
import org.sat4j.specs.TimeoutException;

/**
 * A {@link Problem} loaded into a Sat4j pseudo-boolean solver, solved incrementally under assumptions. With
 * selectors, every group's clauses are switched on by one selector variable (an assumption), so that a set of
 * groups that cannot hold together can be found.
 */
final class Search {

    /** A budget in conflicts, not seconds: giving up is then deterministic too (and no timer thread per call). */
    private static final int MAX_CONFLICTS = 5_000_000;

    private final IPBSolver solver = SolverFactory.newDefault();
    private final Problem problem;
    private final int[] selectors; // group index -> selector variable, 0 when the group is always on

    private Search(Problem problem, boolean withSelectors) {
        this.problem = problem;
        this.selectors = new int[problem.groups.size()];
        solver.setTimeoutOnConflicts(MAX_CONFLICTS);
        int vars = problem.nVars();
        if (withSelectors) {
            for (int g = 0; g < selectors.length; g++) {
                if (problem.groups.get(g).kind != Problem.Kind.SOFT) selectors[g] = ++vars;
            }
        }
        solver.newVar(vars);
    }

    /** Loads the problem; throws when its clauses contradict each other outright (no selectors only). */
    static Search load(Problem problem, boolean withSelectors) throws ContradictionException {
        Search s = new Search(problem, withSelectors);
        for (int g = 0; g < problem.groups.size(); g++) {
            Problem.Group group = problem.groups.get(g);
            int sel = s.selectors[g];
            for (int[] c : group.clauses) {
                VecInt lits = new VecInt(c);
                if (sel != 0) lits.push(-sel);
                s.solver.addClause(lits);
            }
            for (int[] amo : group.atMostOne) {
                if (sel == 0) {
                    s.solver.addAtMost(new VecInt(amo), 1);
                } else {
                    Map<Integer, Long> w = new TreeMap<>();
                    for (int v : amo) w.put(v, 1L);
                    w.put(sel, (long) amo.length - 1);
                    s.atMost(w, amo.length);
                }
            }
        }
        return s;
    }

    int selector(int group) {
        return selectors[group];
    }

    /** Adds a unit clause: from now on {@code lit} holds (it must hold in a known model). */
    void fix(int lit) {
        try {
            solver.addClause(new VecInt(new int[] {lit}));
        } catch (ContradictionException e) {
            throw new IllegalStateException("fixing literal " + lit + " contradicted a known model", e);
        }
    }

    /** A model (index: variable, up to {@link Problem#nVars()}) under the assumptions, or null when there is none. */
    boolean[] solve(List<Integer> assumptions) {
        try {
            if (!solver.isSatisfiable(new VecInt(assumptions.stream().mapToInt(Integer::intValue).toArray()))) {
                return null;
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("dependency solver gave up after " + MAX_CONFLICTS
                    + " conflicts on " + problem.packageCount() + " candidate packages; narrow the requests", e);
        }
        boolean[] m = new boolean[problem.nVars() + 1];
        for (int lit : solver.model()) {
            if (lit > 0 && lit < m.length) m[lit] = true;
        }
        return m;
    }

    /** After {@link #solve} found no model: the assumptions it used to show that. */
    List<Integer> unsatAssumptions() {
        IVecInt ex = solver.unsatExplanation();
        List<Integer> r = new ArrayList<>();
        if (ex != null) for (int i = 0; i < ex.size(); i++) r.add(Math.abs(ex.get(i)));
        return r;
    }

    /**
     * Finds the smallest value of {@code objective} reachable under {@code fixed}, starting from model {@code m}
     * (which must meet {@code fixed}); binary search on guarded bounds, then the optimum is added as a constraint.
     */
    boolean[] minimize(Problem.Objective objective, boolean[] m, List<Integer> fixed) throws ContradictionException {
        long cost = cost(objective, m);
        long lo = 0;
        long total = objective.weights().values().stream().mapToLong(Long::longValue).sum();
        while (lo < cost) {
            long mid = lo + (cost - lo) / 2;
            int sel = solver.nextFreeVarId(true);
            Map<Integer, Long> w = new TreeMap<>(objective.weights());
            w.put(sel, total);
            atMost(w, total + mid);
            List<Integer> assume = new ArrayList<>(fixed);
            assume.add(sel);
            boolean[] better = solve(assume);
            solver.addClause(new VecInt(new int[] {-sel}));
            if (better != null) {
                m = better;
                cost = cost(objective, m);
            } else {
                lo = mid + 1;
            }
        }
        atMost(objective.weights(), cost);
        return m;
    }

    static long cost(Problem.Objective objective, boolean[] m) {
        long c = 0;
        for (Map.Entry<Integer, Long> e : objective.weights().entrySet()) {
            if (m[e.getKey()]) c += e.getValue();
        }
        return c;
    }

    private void atMost(Map<Integer, Long> weights, long degree) throws ContradictionException {
        VecInt lits = new VecInt();
        Vec<BigInteger> coefs = new Vec<>();
        new TreeMap<>(weights).forEach((lit, w) -> {
            lits.push(lit);
            coefs.push(BigInteger.valueOf(w));
        });
        solver.addAtMost(lits, coefs, BigInteger.valueOf(degree));
    }
}
