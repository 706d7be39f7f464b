package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kolibri catalog build|test} on a catalog of two streams of one image (versions from the main package as the
 * lock pins it), a builder variant, derived tags and labels, and the definitions' tests run under podman with runc.
 */
class CatalogCommandTest extends ServedFixtureTest {
    static final String TESTS = """
            main: libfoo
            entrypoint: [/usr/bin/hello]
            tests:
              - {name: greets, args: [], expect: {stdout: "uid=65532"}}
              - {name: as-root, variants: [builder], user: 0, entrypoint: [/usr/bin/hello], expect: {stdout: "uid=0"}}
              - name: via-work
                variants: [builder]
                files: work
                steps:
                  - {entrypoint: [/usr/bin/hello], expect: {stdout: hello}}
                  - {image: base, entrypoint: [/usr/bin/hello], expect: {stdout: "uid=65532"}}
            """;

    Path catalog() throws Exception {
        Path cat = dir.resolve("cat");
        // hello 1: libfoo 1.0 alone (hello needs a newer one), amd64 only; hello 2 (latest): the newest libfoo, with a builder variant
        Path one = fixture.definition(cat, served, "hello", List.of("libfoo=1.0"), "main: libfoo\n");
        Files.move(one, cat.resolve("hello-1.yaml"));
        Files.writeString(cat.resolve("hello-1.yaml"), Files.readString(cat.resolve("hello-1.yaml"))
                .replace("archs: [amd64, arm64]", "archs: [amd64]"));
        Path two = fixture.definition(cat, served, "hello", List.of("hello"), "latest: true\n" + TESTS
                + "variants:\n  builder: {add: [dash], user: 0, allow-shell: true}\n");
        Files.writeString(two, Files.readString(two).replace("version: \"1\"", "version: \"2\""));
        Files.createDirectories(cat.resolve("work"));
        Files.writeString(cat.resolve("work/readme"), "files for the test\n");
        return cat;
    }

    @Test
    void build_tagsEachStreamFromItsMainPackage_andTest_runsTheDefinitionsTests() throws Exception {
        Path cat = catalog();
        Path out = dir.resolve("out");
        Cli.Result built = cli().run(dir, "catalog", "build", cat.toString(), "-o", out.toString(), "--arch", "amd64");
        assertThat(built.exit()).as(built.toString()).isZero();
        assertThat(built.out()).contains("IMAGE").contains("2 2.0 latest ").contains("2-builder 2.0-builder latest-builder")
                .contains("1 1.0 ").contains("3 images in " + out);
        assertThat(cat.resolve("hello-1.lock.json")).exists();
        assertThat(cat.resolve("hello-builder.lock.json")).exists();

        List<String> tags = new ArrayList<>();
        for (JsonNode m : Oracles.JSON.readTree(out.resolve("hello/index.json").toFile()).get("manifests")) {
            JsonNode n = m.path("annotations").path("org.opencontainers.image.ref.name");
            if (!n.isMissingNode()) tags.add(n.asText());
        }
        assertThat(tags).contains("1", "1.0", "2", "2.0", "latest", "latest-amd64", "2.0-builder-amd64", "latest-builder")
                .doesNotContain("1.0-builder");
        // labels derived from the main package, as skopeo reads them; the same in the image's file
        JsonNode labels = Oracles.skopeoConfig(out.resolve("hello"), "2.0", "amd64").path("config").path("Labels");
        assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo("2.0");
        assertThat(labels.path("dev.kolibri.image.main.version").asText()).isEqualTo("2.0");
        assertThat(labels.path("dev.kolibri.image.stream").asText()).isEqualTo("2");
        assertThat(labels.path("dev.kolibri.image.variant").asText()).isEqualTo("base");
        assertThat(Oracles.skopeoConfig(out.resolve("hello"), "1", "amd64").path("config").path("Labels")
                .path("org.opencontainers.image.version").asText()).isEqualTo("1.0");
        Path bundle = Oracles.umociUnpack(out.resolve("hello"), "latest-builder-amd64", dir.resolve("bundle"));
        assertThat(Files.readString(bundle.resolve("usr/lib/kolibri/labels.json")))
                .contains("\"dev.kolibri.image.variant\": \"builder\"").contains("\"org.opencontainers.image.version\": \"2.0\"");
        Oracles.remove(bundle);

        Oracles.requirePodman();
        Assumptions.assumeTrue(fixture.helloSkipReason == null, fixture.helloSkipReason);
        Cli.Result tested = cli().run(dir, "catalog", "test", cat.toString(), "-o", out.toString());
        assertThat(tested.exit()).as(tested.toString()).isZero();
        assertThat(tested.out()).containsPattern("PASSED +hello:2 +no-shell").containsPattern("PASSED +hello:2 +greets")
                .containsPattern("PASSED +hello:1 +no-shell").doesNotContainPattern("hello:1 +greets").containsPattern("PASSED +hello:2-builder +as-root")
                .containsPattern("PASSED +hello:2-builder +via-work").doesNotContainPattern("hello:2-builder +no-shell")
                .contains("5 passed, 0 failed, 0 skipped");

        // a test that does not get what it expects fails the run, naming the step and what came out
        Path def = cat.resolve("hello.yaml");
        Files.writeString(def, Files.readString(def).replace("expect: {stdout: \"uid=0\"}", "expect: {stdout: \"uid=7\"}"));
        Cli.Result failing = cli().run(dir, "catalog", "test", cat.toString(), "-o", out.toString(), "--image", "hello");
        assertThat(failing.exit()).as(failing.toString()).isEqualTo(1);
        assertThat(failing.out()).containsPattern("FAILED +hello:2-builder +as-root +step 1 \\(line \\d+\\): the output does not contain `uid=7`: uid=0 hello");
        assertThat(failing.errorLines()).containsExactly("error: 1 of 5 catalog tests failed");
    }

    @Test
    void build_refusesAVersionTheMainPackageDoesNotHave_andTwoLatestStreams() throws Exception {
        Path cat = catalog();
        Path def = cat.resolve("hello.yaml");
        String good = Files.readString(def);
        Files.writeString(def, good.replace("version: \"2\"", "version: \"2.1\""));
        Cli.Result r = cli().run(dir, "catalog", "build", cat.toString(), "-o", dir.resolve("out").toString(), "--image", "hello");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLines()).containsExactly("error: " + def + ": `version: 2.1` but the main package libfoo is 2.0; "
                + "make `version:` the stream of 2.0 (such as 2.0)");
        assertThat(dir.resolve("out")).doesNotExist();

        Files.writeString(def, good);
        Path old = cat.resolve("hello-1.yaml");
        Files.writeString(old, Files.readString(old) + "latest: true\n");
        r = cli().run(dir, "catalog", "build", cat.toString(), "-o", dir.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLines()).singleElement().asString().contains("image hello: 2 streams say `latest: true`");

        Files.writeString(old, Files.readString(old).replace("latest: true\n", ""));
        r = cli().run(dir, "catalog", "build", cat.toString(), "--image", "nginx");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errorLines()).singleElement().asString().contains("no image `nginx` in " + cat + " (it has: hello)");
    }
}
