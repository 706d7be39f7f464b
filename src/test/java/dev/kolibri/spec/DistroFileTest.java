package dev.kolibri.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code distro: NAME}: a release's repositories declared once, in {@code distros/NAME.yaml}. */
class DistroFileTest {
    private static final String DEBIAN_13 = """
            name: debian-13
            repositories:
              - {type: deb, url: system, suite: trixie}
              - {type: deb, url: system, suite: trixie-security}
            """;

    /** Each catalog definition names a Debian release's distro file, and means the same as with its repositories spelled out. */
    @Test
    void catalogDefinitions_haveTheDigestOfTheirSpelledOutForm() throws Exception {
        Map<String, String> codenames = Map.of("debian-12", "bookworm", "debian-13", "trixie");
        Pattern distroLine = Pattern.compile("(?m)^distro: (\\S+)\n");
        List<Path> defs;
        try (Stream<Path> s = Files.list(Path.of("images"))) {
            defs = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(defs).extracting(p -> p.getFileName().toString())
                .contains("static.yaml", "core-runtime.yaml", "python.yaml", "python-3.11.yaml", "nodejs.yaml",
                        "nodejs-18.yaml", "openjdk.yaml", "openjdk-21.yaml", "openjdk-17.yaml");
        for (Path def : defs) {
            String text = Files.readString(def);
            Matcher m = distroLine.matcher(text);
            assertThat(m.find()).as(def + " names its distro").isTrue();
            String codename = codenames.get(m.group(1));
            assertThat(codename).as(def + ": a Debian release of the catalog").isNotNull();
            assertThat(text).doesNotContain("repositories:");
            String distro = Files.readString(Path.of("images/distros/" + m.group(1) + ".yaml"));
            String repositories = distro.substring(distro.indexOf("repositories:"));
            // the distro's repositories alone (its trim:/keep: defaults are compared apart: the definition may have its own)
            int end = repositories.indexOf("\n#");
            if (end < 0) end = repositories.indexOf("\ntrim:");
            if (end >= 0) repositories = repositories.substring(0, end + 1);
            ImageSpec viaDistro = SpecLoader.load(def);
            ImageSpec spelled = SpecLoader.parse(text.replace(m.group(), repositories), def);
            TrimSpec distroTrim = SpecLoader.parse("name: d\npackages: [p]\ndistro: " + m.group(1) + "\n", def).trim();
            assertThat(viaDistro.trim()).as(def + ": the distro's trim defaults, then its own").isEqualTo(distroTrim.then(spelled.trim()));
            assertThat(withoutTrim(viaDistro)).as(def.toString()).isEqualTo(withoutTrim(spelled));
            assertThat(viaDistro.repositories()).extracting(RepositorySpec::suite)
                    .containsExactly(codename, codename + "-updates", codename + "-security");
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode withoutTrim(ImageSpec spec) throws Exception {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(spec.canonicalJson());
        node.remove("trim");
        node.remove("keep");
        return node;
    }

    @Test
    void distroFile_isFoundAboveTheDefinition_andItsRepositoriesComeFirst(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("distros"));
        Files.writeString(dir.resolve("distros/debian-13.yaml"), DEBIAN_13);
        Path def = Files.createDirectories(dir.resolve("apps/web")).resolve("web.yaml");
        Files.writeString(def, """
                name: web
                distro: debian-13
                repositories:
                  - {type: deb, url: system, suite: trixie-backports}
                packages: [nginx]
                """);
        ImageSpec spec = SpecLoader.load(def);
        assertThat(spec.repositories()).extracting(RepositorySpec::suite).containsExactly("trixie", "trixie-security", "trixie-backports");
        assertThat(spec.repositories().get(0).line()).isEqualTo(2);
    }

    @Test
    void missingDistroFile_refusedNamingTheLineAndThePathTried(@TempDir Path dir) throws Exception {
        Path def = dir.resolve("x.yaml");
        Files.writeString(def, "name: x\ndistro: debian-14\npackages: [p]\n");
        assertThatThrownBy(() -> SpecLoader.load(def)).isInstanceOf(SpecException.class)
                .hasMessageStartingWith(def + ":2: no distro file for `debian-14` (looked for " + dir.resolve("distros/debian-14.yaml"))
                .hasMessageNotContaining("\n");
    }

    @Test
    void neitherDistroNorRepositories_refused(@TempDir Path dir) throws Exception {
        Path def = dir.resolve("x.yaml");
        Files.writeString(def, "name: x\npackages: [p]\n");
        assertThatThrownBy(() -> SpecLoader.load(def)).isInstanceOf(SpecException.class)
                .hasMessageContaining("missing required key `distro`").hasMessageContaining("`repositories`");
    }

    @Test
    void badDistroFiles_refusedNamingTheDistroFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("distros"));
        Path def = dir.resolve("x.yaml");
        Files.writeString(def, "name: x\ndistro: d\npackages: [p]\n");
        Path file = dir.resolve("distros/d.yaml");

        Files.writeString(file, "name: d\nrepositories:\n  - {type: deb, url: \"http://127.0.0.1/d\", suite: s, keyring: keys.gpg}\n");
        assertThatThrownBy(() -> SpecLoader.load(def)).hasMessageStartingWith(file + ":").hasMessageContaining("absolute path");

        Files.writeString(file, "name: other\nrepositories:\n  - {type: deb, url: system, suite: s}\n");
        assertThatThrownBy(() -> SpecLoader.load(def)).hasMessageStartingWith(file + ":1:").hasMessageContaining("`other`");

        Files.writeString(file, "name: d\nrepositories:\n  - {type: deb, url: system, suite: s}\npackages: [p]\n");
        assertThatThrownBy(() -> SpecLoader.load(def)).hasMessageStartingWith(file + ":4: unknown key `packages`");

        Files.writeString(file, "name: d\nrepositories:\n  - {type: rpm, url: system}\n");
        Files.writeString(def, "name: x\ndistro: d\nrepositories:\n  - {type: deb, url: system, suite: s}\npackages: [p]\n");
        assertThatThrownBy(() -> SpecLoader.load(def)).hasMessageStartingWith(def + ":").hasMessageContaining("different types");
    }
}
