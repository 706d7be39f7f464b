package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kolibri.oci.Validate;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a build writes, as a user meets it: a directory that is not a layout is never replaced ({@code -o .} in a
 * project), an existing layout keeps the tags other tools added, the SBOMs are inside the layout (one rename), an
 * output that cannot be written is refused before anything is downloaded.
 */
class OutputsTest extends ServedFixtureTest {

    Path hello() throws IOException {
        return fixture.definition(dir.resolve("defs"), served, "hello", List.of("fixture-base", "hello"),
                "entrypoint: [/usr/bin/hello]");
    }

    static void assertOk(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.errorLines()).as(r.toString()).isEmpty();
    }

    static String oneErrorLine(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errorLines()).as(r.toString()).hasSize(1);
        return r.errorLines().get(0);
    }

    static Map<String, Long> filesUnder(Path root) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        if (!Files.exists(root)) return m;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) m.put(root.relativize(p).toString(), Files.size(p));
        }
        return m;
    }

    static List<String> names(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void build_intoTheProjectDirectory_isRefused_andItsFilesStay() throws IOException {
        // before: `build -o .` renamed the project aside, deleted it, and exited 0
        Path def = hello();
        Path project = def.getParent();
        Files.writeString(project.resolve("Main.java"), "class Main {}\n");
        assertOk(cli().run(project, "lock", def.toString()));
        Map<String, Long> before = filesUnder(project);

        String error = oneErrorLine(cli().run(project, "build", def.getFileName().toString(), "-o", "."));
        assertThat(error).startsWith("error: refusing to write .").contains("not an OCI image layout")
                .contains("nothing was changed").contains("choose another output directory");
        assertThat(filesUnder(project)).isEqualTo(before);
        assertThat(names(project.getParent())).doesNotContain("defs.tmp", "defs.old").noneMatch(n -> n.contains(".tmp-"));

        Path notes = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(notes.resolve("todo.txt"), "call the plumber\n");
        String again = oneErrorLine(cli().run(dir, "build", def.toString(), "-o", notes.toString()));
        assertThat(again).contains("refusing to write " + notes);
        assertThat(Files.readString(notes.resolve("todo.txt"))).isEqualTo("call the plumber\n");
        assertThat(names(notes)).containsExactly("todo.txt");
    }

    @Test
    void build_intoAnExistingLayout_keepsTheTagsOtherToolsAdded_andTheFilesBesideBlobs() throws Exception {
        // before: a second build replaced the layout and dropped the tag umoci had added, silently
        Tools.require("umoci", "skopeo");
        Path def = hello();
        Path out = dir.resolve("out/hello");
        Cli.Result first = cli().run(dir, "build", def.toString(), "-o", out.toString(), "--json");
        assertOk(first);
        Tools.ok(dir, "umoci", "tag", "--image", out + ":1-amd64", "mine");
        Tools.ok(dir, "skopeo", "copy", "oci:" + out + ":1-arm64", "oci:" + out + ":copied");
        Files.writeString(out.resolve("NOTES"), "kept\n");

        Cli.Result second = cli().run(dir, "build", def.toString(), "-o", out.toString(), "--json");
        assertOk(second);
        assertThat(Oracles.JSON.readTree(second.out()).path("index").asText())
                .isEqualTo(Oracles.JSON.readTree(first.out()).path("index").asText());
        List<String> tags = Tools.ok(dir, "umoci", "ls", "--layout", out.toString()).out().lines().sorted().toList();
        assertThat(tags).contains("1", "1-amd64", "1-arm64", "mine", "copied");
        assertThat(Files.readString(out.resolve("NOTES"))).isEqualTo("kept\n");
        assertThat(Validate.problems(out)).isEmpty();
        Path bundle = dir.resolve("bundle");
        try {
            assertThat(Oracles.umociUnpack(out, "mine", bundle).resolve("usr/bin/hello")).exists();
        } finally {
            Oracles.remove(bundle);
        }
        assertThat(names(out.getParent())).containsExactly("hello");
    }

    @Test
    void sboms_areInsideTheLayout_soTheyAppearWithItInOneRename() throws Exception {
        // before: they went to a sibling <out>.sbom renamed after the layout; a file there made the build exit 1
        // with the new layout already in place
        Tools.require("skopeo");
        Path def = hello();
        Path out = dir.resolve("out/hello");
        Files.createDirectories(out.getParent());
        Files.writeString(dir.resolve("out/hello.sbom"), "a user's file\n");

        Cli.Result r = cli().run(dir, "build", def.toString(), "-o", out.toString());
        assertOk(r);
        assertThat(Files.readString(dir.resolve("out/hello.sbom"))).isEqualTo("a user's file\n");
        assertThat(names(out.getParent())).containsExactly("hello", "hello.sbom");
        assertThat(names(out.resolve("sbom/1"))).containsExactly("amd64.cdx.json", "amd64.spdx.json",
                "arm64.cdx.json", "arm64.spdx.json", "provenance.intoto.json");
        JsonNode spdx = Oracles.JSON.readTree(out.resolve("sbom/1/amd64.spdx.json").toFile());
        assertThat(spdx.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(Validate.problems(out)).isEmpty();
        assertThat(Oracles.skopeoConfig(out, "1", "arm64").path("architecture").asText()).isEqualTo("arm64");
        Tools.ok(dir, "skopeo", "copy", "--all", "oci:" + out + ":1", "dir:" + dir.resolve("copied"));
        assertThat(r.err()).contains(out.resolve("sbom/1").toString());

        Cli.Result help = cli().run(dir, "build", "--help");
        assertThat(help.out()).contains("DIR/sbom/<tag>/").contains("one rename");
    }

    @Test
    void build_whoseOutputCannotBeWritten_failsBeforeDownloading_namingPathReasonAndFix() throws IOException {
        // before: every package was downloaded first, then the error was a bare path
        Path def = hello();
        assertOk(cli().run(dir, "lock", def.toString()));
        Map<String, Long> cache = filesUnder(dir.resolve("cache"));
        Path file = Files.writeString(dir.resolve("results"), "not a directory\n");
        Path out = file.resolve("hello");

        String error = oneErrorLine(cli().run(dir, "build", def.toString(), "-o", out.toString()));
        assertThat(error).contains("cannot write " + out).contains(file + " is a file, not a directory")
                .contains("choose another output directory");
        assertThat(filesUnder(dir.resolve("cache"))).as("nothing downloaded").isEqualTo(cache);
        assertThat(Files.readString(file)).isEqualTo("not a directory\n");
    }
    @Test
    void build_withAMissingEntrypoint_fails_namingThePackageTheIndexKnows_andWritesNothing() throws IOException {
        // before: the image built with exit 0 and failed only under podman
        Path def = fixture.definition(dir.resolve("defs"), served, "nohello", List.of("fixture-base"),
                "entrypoint: [/usr/bin/hello]");
        Path out = dir.resolve("out/nohello");
        String error = oneErrorLine(cli().run(dir, "build", def.toString(), "-o", out.toString()));
        assertThat(error).contains("the entrypoint of nohello (linux/amd64) cannot run: /usr/bin/hello is not in the image")
                .contains("hello would provide it: add it to `packages:`");
        assertThat(out).doesNotExist();
        assertThat(names(out.getParent())).isEmpty();

        Path cmd = fixture.definition(dir.resolve("defs"), served, "issue", List.of("fixture-base"), "cmd: [/etc/issue]");
        assertThat(oneErrorLine(cli().run(dir, "build", cmd.toString(), "-o", dir.resolve("out/issue").toString())))
                .contains("the cmd of issue (linux/amd64) cannot run: /etc/issue is not executable (mode 0644)");

        Path byName = fixture.definition(dir.resolve("defs"), served, "byname", List.of("fixture-base", "hello"), "cmd: [hello]");
        assertOk(cli().run(dir, "build", byName.toString(), "-o", dir.resolve("out/byname").toString()));
    }
}
