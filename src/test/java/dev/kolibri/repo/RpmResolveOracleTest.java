package dev.kolibri.repo;

import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.pkg.rpm.RpmDeps;
import dev.kolibri.pkg.rpm.RpmVersions;
import dev.kolibri.solve.Pool;
import dev.kolibri.solve.Resolution;
import dev.kolibri.solve.SolveOptions;
import dev.kolibri.solve.Solver;
import dev.kolibri.solve.UnsatisfiableException;
import dev.kolibri.testing.StaticHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** For each request, the packages Kolibri's solver picks from a loaded fixture repository equal dnf's choice. */
class RpmResolveOracleTest {
    static Path work;
    static StaticHttpServer http;
    static List<Package> packages;

    @BeforeAll
    static void load() throws Exception {
        work = Files.createTempDirectory("krpmoracle");
        Path repo = RpmFixture.repo(work.resolve("repo"), "xz");
        http = StaticHttpServer.serve(repo);
        packages = RpmRepository.load(new RpmSource(http.base(), null, false), "x86_64", new HttpMetadataClient())
                .snapshot().packages();
    }

    @AfterAll
    static void stop() {
        if (http != null) http.close();
    }

    @ParameterizedTest(name = "{0} weak={1}")
    @CsvSource(delimiter = ';', value = {
            "ep;false",
            "tl cr;false",
            "user;false",
            "rich;false",
            "needold;false",
            "oldname;false",
            "libfoo < 2.0;false",
            "app libfoo;false",
            "app libfoo;true",
            "app gui libfoo;false",
            "cfa libbar;false",
            "sh-compat;false",
            "/bin/sh;false",
    })
    void solverChoosesWhatDnfChooses(String request, boolean weak) throws Exception {
        String[] specs = request.contains("<") ? new String[] {request} : request.split(" ");
        DnfOracle.Answer dnf = DnfOracle.install(http.base(), work, weak, "x86_64", specs);
        List<Requirement> reqs = Arrays.stream(specs).map(RpmDeps::parse).toList();
        String kolibri;
        try {
            Resolution r = Solver.solve(new Pool(packages, RpmVersions.INSTANCE), reqs, new SolveOptions(weak, Map.of(), List.copyOf(RpmRepository.obsoletedNames(packages))).unorderedAlternatives());
            kolibri = String.join(" ", r.packages().stream().map(Package::id).sorted().toList());
        } catch (UnsatisfiableException e) {
            kolibri = "unsatisfiable: " + e.getMessage();
        }
        assertThat(dnf.error()).as("dnf failed").isNull();
        assertThat(kolibri).isEqualTo(String.join(" ", dnf.ids()));
    }

    /**
     * A rich {@code or}: libsolv takes the candidates as a set and picks by name ({@code libbar} over {@code libfoo}).
     * With unordered alternatives (what the RPM lock path uses) Kolibri picks the same; with Debian's ordered
     * alternatives it would take the first one, which this test also pins so that a change on either side shows.
     */
    @org.junit.jupiter.api.Test
    void richOr_unorderedAlternatives_pickAsDnfDoes() throws Exception {
        DnfOracle.Answer dnf = DnfOracle.install(http.base(), work, false, "x86_64", "app");
        assertThat(dnf.ids()).contains("libbar=1.0-3/noarch").noneMatch(id -> id.startsWith("libfoo="));
        Pool pool = new Pool(packages, RpmVersions.INSTANCE);
        List<Requirement> app = List.of(Requirement.of("app"));
        Resolution rpmWay = Solver.solve(pool, app, SolveOptions.defaults().unorderedAlternatives());
        assertThat(String.join(" ", rpmWay.packages().stream().map(Package::id).sorted().toList()))
                .isEqualTo(String.join(" ", dnf.ids()));
        Resolution ordered = Solver.solve(pool, app, SolveOptions.defaults());
        assertThat(ordered.packages().stream().map(Package::id)).contains("libfoo=2.0-1/x86_64").noneMatch(id -> id.startsWith("libbar="));
        assertThat(Solver.check(ordered, pool, app)).isEmpty();
    }
}
