package dev.kolibri.solve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties over seeded random pools. */
class RandomPoolTest {

    @Test
    void randomPools_everyResolutionIsValidMinimalAndEveryFailureIsReal() {
        int solved = 0;
        int failed = 0;
        for (int seed = 0; seed < 400; seed++) {
            Random rnd = new Random(seed);
            int names = 3 + rnd.nextInt(4);
            List<Package> packages = RandomPools.small(rnd, names);
            Pool pool = new Pool(packages, DottedVersions.INSTANCE);
            List<Requirement> requests = new ArrayList<>();
            for (int r = 1 + rnd.nextInt(2); r > 0; r--) requests.add(RandomPools.randomRequest(rnd, names));
            try {
                Resolution res = Solver.solve(pool, requests, SolveOptions.defaults());
                solved++;
                assertThat(Solver.check(res, pool, requests)).as("seed %d", seed).isEmpty();
                // every package is needed: dropping any one breaks the installation
                for (Package p : res.packages()) {
                    List<Package> fewer = new ArrayList<>(res.packages());
                    fewer.remove(p);
                    assertThat(Solver.check(new Resolution(fewer, Map.of(), List.of()), pool, requests))
                            .as("seed %d without %s", seed, p).isNotEmpty();
                }
            } catch (UnsatisfiableException e) {
                failed++;
                assertThat(e.getMessage()).startsWith("cannot install");
                assertThat(anyValidSubset(packages, pool, requests)).as("seed %d: %s", seed, e.getMessage()).isFalse();
            }
        }
        // the generator exercises both outcomes
        assertThat(solved).isGreaterThan(50);
        assertThat(failed).isGreaterThan(50);
    }

    private static boolean anyValidSubset(List<Package> packages, Pool pool, List<Requirement> requests) {
        assertThat(packages.size()).isLessThan(20);
        for (int mask = 0; mask < 1 << packages.size(); mask++) {
            List<Package> subset = new ArrayList<>();
            for (int i = 0; i < packages.size(); i++) if ((mask >> i & 1) != 0) subset.add(packages.get(i));
            if (Solver.check(new Resolution(subset, Map.of(), List.of()), pool, requests).isEmpty()) return true;
        }
        return false;
    }

    @Test
    void randomPools_shuffledPoolOrder_sameResolution() throws Exception {
        Random rnd = new Random(42);
        List<Package> packages = RandomPools.distribution(rnd, 10);
        List<Requirement> requests = List.of(Requirement.of(RandomPools.name(3, 99)),
                Requirement.of(RandomPools.name(7, 80)), Requirement.of("virtual-5-1"));
        Resolution first = Solver.solve(new Pool(packages, DottedVersions.INSTANCE), requests, SolveOptions.defaults());
        assertThat(first.packages()).hasSizeGreaterThan(10);
        for (int seed = 0; seed < 5; seed++) {
            List<Package> shuffled = new ArrayList<>(packages);
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(Solver.solve(new Pool(shuffled, DottedVersions.INSTANCE), requests, SolveOptions.defaults()))
                    .isEqualTo(first);
        }
    }

    @Test
    void distributionSizedPool_solutionIsValid() throws Exception {
        Random rnd = new Random(2024);
        List<Package> packages = RandomPools.distribution(rnd, 200);
        assertThat(packages).hasSize(60_000);
        Pool pool = new Pool(packages, DottedVersions.INSTANCE);
        List<Requirement> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) requests.add(Requirement.of(RandomPools.name(1 + rnd.nextInt(199), 90 + rnd.nextInt(10))));
        Resolution r = Solver.solve(pool, requests, SolveOptions.defaults());
        assertThat(Solver.check(r, pool, requests)).isEmpty();
        assertThat(r.packages()).hasSizeGreaterThan(50);
        // everything could be newest here, and the newest is preferred
        assertThat(r.packages()).allSatisfy(p -> assertThat(p.version()).isEqualTo("3"));
        assertThat(r.edges()).hasSize(r.packages().size());
    }

    @Test
    void distributionSizedPool_conflictWithBaseLibrary_namesTheConflict() {
        Random rnd = new Random(7);
        List<Package> packages = new ArrayList<>(RandomPools.distribution(rnd, 200));
        packages.add(Fixtures.pkg("troublemaker", "1", List.of(), List.of(), List.of(),
                List.of(Fixtures.constraint(RandomPools.name(0, 0))), List.of()));
        packages.add(Fixtures.pkg("app", "1", "mid"));
        packages.add(Fixtures.pkg("mid", "1", RandomPools.name(0, 0) + " (>= 1), " + RandomPools.name(4, 70)));
        Pool pool = new Pool(packages, DottedVersions.INSTANCE);
        List<Requirement> requests = List.of(Requirement.of("troublemaker"), Requirement.of("app"));
        UnsatisfiableException e = org.assertj.core.api.Assertions.catchThrowableOfType(UnsatisfiableException.class,
                () -> Solver.solve(pool, requests, SolveOptions.defaults()));
        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .startsWith("cannot install troublemaker and app together: troublemaker 1 conflicts with f000-lib00")
                .contains("which mid 1 depends on", "app 1 depends on mid")
                .hasSizeLessThan(400);
    }
}
