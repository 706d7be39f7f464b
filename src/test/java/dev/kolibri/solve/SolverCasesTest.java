package dev.kolibri.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every {@code src/test/resources/solve/*.txt} case (format: {@link SolverCase}). */
class SolverCasesTest {

    static Stream<SolverCase> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(SolverCasesTest.class.getResource("/solve").toURI());
        List<SolverCase> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) all.add(SolverCase.parse(f));
        }
        assertThat(all).hasSizeGreaterThan(15);
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void solve_case_matchesExpectation(SolverCase c) throws Exception {
        Pool pool = new Pool(c.packages(), DottedVersions.INSTANCE);
        if (c.expect() != null) {
            Resolution r = Solver.solve(pool, c.requests(), c.options());
            assertThat(Fixtures.ids(r)).as(c.name()).containsExactlyElementsOf(c.expect());
            assertThat(Solver.check(r, pool, c.requests())).isEmpty();
            // the same answer whatever the order of the pool
            List<dev.kolibri.pkg.Package> shuffled = new ArrayList<>(c.packages());
            Collections.shuffle(shuffled, new Random(c.name().hashCode()));
            Collections.reverse(shuffled);
            assertThat(Solver.solve(new Pool(shuffled, DottedVersions.INSTANCE), c.requests(), c.options()))
                    .isEqualTo(r);
        } else {
            UnsatisfiableException e = catchThrowableOfType(UnsatisfiableException.class,
                    () -> Solver.solve(pool, c.requests(), c.options()));
            assertThat(e).as(c.name() + " should fail").isNotNull();
            for (String f : c.failures()) assertThat(e.getMessage()).as(c.name()).contains(f);
            assertThat(e.chain()).hasSizeGreaterThan(1);
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }
}
