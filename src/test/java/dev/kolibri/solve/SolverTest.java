package dev.kolibri.solve;

import static dev.kolibri.solve.Fixtures.constraint;
import static dev.kolibri.solve.Fixtures.ids;
import static dev.kolibri.solve.Fixtures.pkg;
import static dev.kolibri.solve.Fixtures.requirements;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.pkg.Requirement.AllOf;
import dev.kolibri.pkg.Requirement.AnyOf;
import dev.kolibri.pkg.Requirement.IfThen;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SolverTest {

    private static Pool pool(Package... packages) {
        return new Pool(List.of(packages), DottedVersions.INSTANCE);
    }

    private static Package rich(String name, Requirement... depends) {
        return pkg(name, "1", List.of(), List.of(depends), List.of(), List.of(), List.of());
    }

    private static Requirement req(String text) {
        return Requirement.of(constraint(text));
    }

    @Test
    void ifThen_condInstalled_thenIsRequired() throws Exception {
        // app: (app-gui-bits if gui else app-cli-bits); gui is requested too
        Pool pool = pool(rich("app", new IfThen(req("gui"), req("app-gui-bits"), req("app-cli-bits"))),
                pkg("gui", "1", ""), pkg("app-gui-bits", "1", ""), pkg("app-cli-bits", "1", ""));
        List<Requirement> requests = List.of(req("app"), req("gui"));
        Resolution r = Solver.solve(pool, requests, SolveOptions.defaults());
        assertThat(ids(r)).containsExactly("app 1", "app-gui-bits 1", "gui 1");
        assertThat(Solver.check(r, pool, requests)).isEmpty();
        assertThat(r.edges()).containsEntry("app=1/amd64", List.of("app-gui-bits=1/amd64"));
    }

    @Test
    void ifThen_condAbsent_otherwiseIsRequired() throws Exception {
        Pool pool = pool(rich("app", new IfThen(req("gui"), req("app-gui-bits"), req("app-cli-bits"))),
                pkg("gui", "1", ""), pkg("app-gui-bits", "1", ""), pkg("app-cli-bits", "1", ""));
        Resolution r = Solver.solve(pool, List.of(req("app")), SolveOptions.defaults());
        assertThat(ids(r)).containsExactly("app 1", "app-cli-bits 1");
    }

    @Test
    void ifThen_withoutOtherwise_nothingRequiredWhenCondAbsent() throws Exception {
        // (langpack-de unless-style: then only when cond) and a cond that needs more packages is not pulled in
        Pool pool = pool(rich("app", new IfThen(req("de-locale"), req("langpack-de"), null)),
                pkg("de-locale", "1", ""), pkg("langpack-de", "1", ""));
        assertThat(ids(Solver.solve(pool, List.of(req("app")), SolveOptions.defaults()))).containsExactly("app 1");
        assertThat(ids(Solver.solve(pool, List.of(req("app"), req("de-locale")), SolveOptions.defaults())))
                .containsExactly("app 1", "de-locale 1", "langpack-de 1");
    }

    @Test
    void ifThen_thenMissing_condCannotBeInstalledWithIt() {
        Pool pool = pool(rich("app", new IfThen(req("gui"), req("missing"), null)), pkg("gui", "1", ""));
        UnsatisfiableException e = catchThrowableOfType(UnsatisfiableException.class,
                () -> Solver.solve(pool, List.of(req("app"), req("gui")), SolveOptions.defaults()));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("cannot install app and gui together").contains("app 1 depends on");
    }

    @Test
    void allOf_everyPartIsInstalled() throws Exception {
        Pool pool = pool(rich("app", new AllOf(List.of(req("a"), req("b (>= 2)")))),
                pkg("a", "1", ""), pkg("b", "1", ""), pkg("b", "2", ""), pkg("c", "1", ""));
        Resolution r = Solver.solve(pool, List.of(req("app")), SolveOptions.defaults());
        assertThat(ids(r)).containsExactly("a 1", "app 1", "b 2");
    }

    @Test
    void anyOfAllOf_richAlternatives_cheapestBranchWins() throws Exception {
        // (a and b) or c: c alone is fewer packages
        Pool pool = pool(rich("app", new AnyOf(List.of(new AllOf(List.of(req("a"), req("b"))), req("c")))),
                pkg("a", "1", ""), pkg("b", "1", ""), pkg("c", "1", ""));
        assertThat(ids(Solver.solve(pool, List.of(req("app")), SolveOptions.defaults()))).containsExactly("app 1", "c 1");
        // without c, both a and b are needed
        Pool noC = pool(rich("app", new AnyOf(List.of(new AllOf(List.of(req("a"), req("b"))), req("c")))),
                pkg("a", "1", ""), pkg("b", "1", ""));
        assertThat(ids(Solver.solve(noC, List.of(req("app")), SolveOptions.defaults())))
                .containsExactly("a 1", "app 1", "b 1");
    }

    @Test
    void edges_namePackagesMeetingEachDependency() throws Exception {
        Pool pool = pool(pkg("app", "1", "libc, mta | sendmail"), pkg("libc", "2", ""),
                pkg("postfix", "3", List.of(Capability.of("mta")), requirements("libc"), List.of(), List.of(), List.of()));
        Resolution r = Solver.solve(pool, List.of(req("app")), SolveOptions.defaults());
        assertThat(r.edges()).containsExactly(
                Map.entry("app=1/amd64", List.of("libc=2/amd64", "postfix=3/amd64")),
                Map.entry("libc=2/amd64", List.of()),
                Map.entry("postfix=3/amd64", List.of("libc=2/amd64")));
    }

    @Test
    void notes_preferredVersionUnavailableOrUnusable() throws Exception {
        Pool pool = pool(pkg("app", "1", "b (>= 2)"), pkg("b", "1", ""), pkg("b", "2", ""), pkg("c", "1", ""));
        SolveOptions opts = new SolveOptions(false, Map.of("b", "1", "app", "9"), List.of());
        Resolution r = Solver.solve(pool, List.of(req("app"), req("c")), opts);
        assertThat(ids(r)).containsExactly("app 1", "b 2", "c 1");
        assertThat(r.notes()).containsExactly(
                "app: chose 1 instead of the preferred 9, which is not available",
                "b: chose 2 instead of the preferred 1, which cannot be installed together with the other requirements");
    }

    @Test
    void chain_listsEachStep() {
        Pool pool = pool(pkg("a", "1", "b"), pkg("b", "2", "c (>= 3)"), pkg("c", "1", ""));
        UnsatisfiableException e = catchThrowableOfType(UnsatisfiableException.class,
                () -> Solver.solve(pool, List.of(req("a")), SolveOptions.defaults()));
        assertThat(e.chain()).containsExactly("cannot install a", "a 1 depends on b", "b 2 depends on c (>= 3)",
                "which no repository provides (candidates: c 1)");
        assertThat(e.getMessage()).isEqualTo("cannot install a: a 1 depends on b, b 2 depends on c (>= 3), "
                + "which no repository provides (candidates: c 1)");
    }

    @Test
    void noRequests_emptyResolution() throws Exception {
        Resolution r = Solver.solve(pool(pkg("a", "1", "")), List.of(), SolveOptions.defaults());
        assertThat(r.packages()).isEmpty();
        assertThat(r.edges()).isEmpty();
    }

    @Test
    void duplicatePackages_installedOnce() throws Exception {
        Package a = pkg("a", "1", "");
        Resolution r = Solver.solve(pool(a, a, pkg("a", "1", "")), List.of(req("a")), SolveOptions.defaults());
        assertThat(r.packages()).containsExactly(a);
    }

    @Test
    void check_reportsEveryKindOfBreakage() {
        Package a = pkg("a", "1", List.of(), requirements("b"), List.of(), List.of(constraint("c")), List.of(constraint("d")));
        Package c = pkg("c", "1", "");
        Package d = pkg("d", "1", "");
        Package c2 = pkg("c", "2", "");
        Pool pool = pool(a, c, c2, d);
        Resolution bad = new Resolution(List.of(a, c, c2, d, pkg("stranger", "1", "")), Map.of(), List.of());
        assertThat(Solver.check(bad, pool, List.of(req("e"))))
                .containsExactlyInAnyOrder(
                        "request e is not met",
                        "a=1/amd64 depends on b, which is not met",
                        "a=1/amd64 conflicts with c=1/amd64",
                        "a=1/amd64 conflicts with c=2/amd64",
                        "a=1/amd64 obsoletes d=1/amd64",
                        "stranger=1/amd64 is not in the pool",
                        "more than one version of c: 1, 2");
    }

    @Test
    void solve_doesNotDependOnTheVersionSchemeBeingDebian() throws Exception {
        // a scheme where "newer" means lexically smaller: the solver must follow the scheme, not string order
        dev.kolibri.pkg.VersionScheme reversed = (x, y) -> DottedVersions.INSTANCE.compare(y, x);
        Pool pool = new Pool(List.of(pkg("a", "1", ""), pkg("a", "2", "")), reversed);
        assertThat(ids(Solver.solve(pool, List.of(req("a")), SolveOptions.defaults()))).containsExactly("a 1");
    }
}
