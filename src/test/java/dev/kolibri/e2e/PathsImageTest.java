package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildResult;
import dev.kolibri.spec.ImageSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.kolibri.e2e.ContentsImageTest.layers;
import static dev.kolibri.e2e.ContentsImageTest.options;
import static dev.kolibri.e2e.ContentsImageTest.tarListing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code paths:}, {@code volumes:} and {@code ports:} end to end, from the signed fixture repository: skopeo reads
 * the config's {@code ExposedPorts} and {@code Volumes}; GNU tar shows what the {@code paths} step made (owners,
 * modes, a link replacing a package's file, a package directory re-owned recursively) in the image's last layer,
 * and not in the packages' layers, which keep what the step left alone; a bad entry fails the build naming its line.
 */
class PathsImageTest {
    static final String PATHS = """
            entrypoint: [/usr/bin/hello]
            ports: [8080, 53/udp]
            volumes: [/var/lib/app]
            paths:
              - {path: /var/lib/app, type: directory, owner: "65532:65532", mode: "0700"}
              - {path: /var/log/app/app.log, type: empty-file, owner: "65532:65532"}
              - {path: /var/log/app/access.log, type: symlink, target: /dev/stdout}
              - {path: /etc/issue, type: symlink, target: os-release}
              - {path: /usr/share/libfoo, type: permissions, owner: "65532:65532", mode: "0750"}
            """;

    @TempDir static Path dir;
    static Fixture.Served served;
    static Kolibri kolibri;
    static Path out;
    static BuildResult built;

    @BeforeAll
    static void build() throws Exception {
        Fixture fixture = Fixture.get();
        served = fixture.serve(dir);
        Path def = fixture.definition(dir.resolve("defs"), served, "app", List.of("fixture-base", "hello"), PATHS);
        kolibri = FixtureImageTest.kolibri(dir.resolve("cache"), dir);
        ImageSpec spec = Kolibri.load(def, null);
        kolibri.lock(spec);
        out = dir.resolve("out/app");
        built = kolibri.build(spec, options(out, false));
    }

    @AfterAll
    static void stop() {
        if (served != null) served.close();
    }

    @Test
    void skopeoAndInspect_readThePortsAndVolumes() throws Exception {
        JsonNode c = Oracles.skopeoConfig(out, built.tag(), "amd64").path("config");
        List<String> ports = new ArrayList<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        List<String> volumes = new ArrayList<>();
        c.path("Volumes").fieldNames().forEachRemaining(volumes::add);
        assertThat(ports).containsExactly("53/udp", "8080/tcp");
        assertThat(volumes).containsExactly("/var/lib/app");
        // and `kolibri inspect` reports them
        var p = dev.kolibri.inspect.Inspector.inspect(new dev.kolibri.oci.ImageRef(out, built.tag())).platforms().get(0);
        assertThat(p.ports()).containsExactly("53/udp", "8080/tcp");
        assertThat(p.volumes()).containsExactly("/var/lib/app");
    }

    @Test
    void tar_thePathsAreInTheLastLayer_andThePackagesLayersUnchanged() throws Exception {
        Map<String, Path> l = layers(out, built.tag());
        List<String> names = new ArrayList<>(l.keySet());
        assertThat(names.get(names.size() - 1)).isEqualTo("image");
        Map<String, String> image = tarListing(l.get("image"));
        assertThat(image.get("var/lib/app/")).startsWith("drwx------ 65532/65532 ");
        assertThat(image.get("var/log/app/app.log")).startsWith("-rw-r--r-- 65532/65532 ");
        assertThat(image).containsKey("var/log/app/access.log -> /dev/stdout");
        assertThat(image).containsKey("etc/issue -> os-release");
        assertThat(image.get("usr/share/libfoo/")).startsWith("drwxr-x--- 65532/65532 ");
        assertThat(image.get("usr/share/libfoo/version")).startsWith("-rw-r----- 65532/65532 ");

        Map<String, String> packaged = new java.util.HashMap<>();
        for (Map.Entry<String, Path> e : l.entrySet()) {
            if (!e.getKey().equals("image")) packaged.putAll(tarListing(e.getValue()));
        }
        // what the step changed is the image's own: it left the packages' layers, what it left alone stayed
        assertThat(packaged.get("etc/os-release")).startsWith("-rw-r--r-- 0/0 ");
        assertThat(packaged.keySet()).noneMatch(p -> p.startsWith("var/lib/app") || p.startsWith("var/log/app")
                || p.startsWith("etc/issue") || p.startsWith("usr/share/libfoo/version"));
    }

    @Test
    void aDirectoryOverAPackagesFile_failsNamingTheLine() throws Exception {
        Path def = Fixture.get().definition(dir.resolve("bad"), served, "bad", List.of("fixture-base"), """
                paths:
                  - {path: /var/lib/ok, type: directory}
                  - {path: /etc/issue, type: directory, owner: "65532:65532"}
                """);
        ImageSpec spec = Kolibri.load(def, null);
        kolibri.lock(spec);
        assertThatThrownBy(() -> kolibri.build(spec, options(dir.resolve("out/bad"), false)))
                .hasMessageContaining("`paths:` entry at line " + lineOf(def, "/etc/issue"))
                .hasMessageContaining("/etc/issue is a file (from package fixture-base), not a directory");
        assertThat(dir.resolve("out/bad")).doesNotExist();
    }

    private static int lineOf(Path file, String text) throws Exception {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(text)) return i + 1;
        throw new AssertionError(text + " not in " + file);
    }
}
