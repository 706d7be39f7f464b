package dev.kolibri.e2e;

import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog's own commands on a representative subset of {@code images/}, from the machine's Debian mirror:
 * one language runtime (python, with its builder), one server (nginx) and one tool (curl), built for amd64 by
 * {@code kolibri catalog build} from the committed locks and tested by {@code kolibri catalog test} under podman with
 * runc (each definition's tests, and the no-shell check). Tagged {@code mirror}; skipped with the reason when trixie
 * is unreachable. The catalog is copied first, so the tracked locks stay untouched. Then the README's multi-stage
 * example ({@code docs/examples/python-app}) is built by real {@code podman build} on the builder and runtime images.
 */
@Tag("mirror")
class MirrorCatalogRunTest {
    static final List<String> SUBSET = List.of("python", "nginx", "curl");
    static final Path CACHE = Path.of("target", "e2e-mirror-cache").toAbsolutePath();

    @TempDir static Path dir;
    static Path cat;
    static Path out;
    static Cli.Result built;
    static final Cli cli = Cli.withCache(CACHE);

    @BeforeAll
    static void buildSubset() throws Exception {
        MirrorProbe.reachable("trixie");
        cat = dir.resolve("images");
        Fixture.copyTree(Path.of("images"), cat);
        out = dir.resolve("out");
        built = cli.run(dir, "catalog", "build", cat.toString(), "--image", String.join(",", SUBSET),
                "--arch", "amd64", "--locked", "-o", out.toString());
    }

    @Test
    void subset_buildsFromTheCommittedLocks_andPassesItsTests() throws Exception {
        assertThat(built.exit()).as(built.toString()).isZero();
        for (String image : SUBSET) {
            assertThat(built.out()).containsPattern("(?m)^" + image + " +\\S+ .*latest");
            assertThat(out.resolve(image).resolve("index.json")).exists();
            // skopeo reads every layout, umoci unpacks the latest tag's amd64 image
            assertThat(Oracles.skopeoInspect(out.resolve(image), "latest", "amd64").path("Architecture").asText()).isEqualTo("amd64");
            Path bundle = Oracles.umociUnpack(out.resolve(image), "latest-amd64", dir.resolve("bundle-" + image));
            assertThat(bundle.resolve("usr/lib/kolibri/labels.json")).exists();
            assertThat(bundle.resolve("bin/sh")).doesNotExist();
            Oracles.remove(bundle);
        }
        assertThat(built.out()).contains("latest-builder");

        Oracles.requirePodman();
        Cli.Result tested = cli.run(dir, "catalog", "test", cat.toString(), "--image", String.join(",", SUBSET),
                "-o", out.toString());
        assertThat(tested.exit()).as(tested.toString()).isZero();
        for (String image : SUBSET) assertThat(tested.out()).containsPattern("PASSED +" + image + ":\\S+ +no-shell");
        assertThat(tested.out()).containsPattern("PASSED +python:\\S+-builder +").containsPattern("PASSED +nginx:\\S+ +\\S+")
                .containsPattern(", 0 failed, 0 skipped");
        assertThat(Files.list(out).map(p -> p.getFileName().toString()).sorted().toList()).containsExactlyElementsOf(
                SUBSET.stream().sorted().toList());
    }

    @Test
    void readmeMultiStageExample_buildsWithPodman_onTheBuilderAndRuntimeImages() throws Exception {
        assertThat(built.exit()).as(built.toString()).isZero();
        Oracles.requirePodman();
        Path example = dir.resolve("python-app");
        Fixture.copyTree(Path.of("docs/examples/python-app"), example);
        // podman refuses upper case in oci: paths: reach the layout through a lower-case link
        Path link = Path.of("/tmp/kolibri-mstage-" + ProcessHandle.current().pid());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, out.resolve("python"));
        Path conf = dir.resolve("containers.conf");
        Files.writeString(conf, "[containers]\ndefault_ulimits = []\n");
        java.util.Map<String, String> env = java.util.Map.of("CONTAINERS_CONF", conf.toString());
        String tag = "localhost/kolibri-mstage:" + ProcessHandle.current().pid();
        try {
            Tools.Result b = Tools.run(example, env, List.of("podman", "--runtime", "runc", "build", "--network", "none",
                    "--build-arg", "BUILDER=oci:" + link + ":latest-builder", "--build-arg", "RUNTIME=oci:" + link + ":latest",
                    "-t", tag, "."));
            assertThat(b.exit()).as(b.out() + b.err()).isZero();
            Path state = dir.resolve("state");
            Files.createDirectories(state);
            Tools.ok(null, "chown", "65532:65532", state.toString());
            for (int run = 1; run <= 2; run++) {
                Tools.Result r = Tools.run(null, env, List.of("podman", "--runtime", "runc", "run", "--rm", "--network", "none",
                        "-v", state + ":/var/lib/app", tag));
                assertThat(r.exit()).as(r.out() + r.err()).isZero();
                assertThat(r.out()).containsPattern("hello from /opt/venv as uid 65532, run " + run + ", [1-9][0-9]{2} CA certificates");
            }
            Tools.Result sh = Tools.run(null, env, List.of("podman", "--runtime", "runc", "run", "--rm", "--network", "none",
                    "--entrypoint", "/bin/sh", tag, "-c", "true"));
            assertThat(sh.exit()).as("the application image has no shell").isNotZero();
        } finally {
            Tools.run(null, env, List.of("podman", "rmi", "-f", tag));
            Files.deleteIfExists(link);
        }
    }
}
