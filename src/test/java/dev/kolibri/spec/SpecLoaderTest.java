package dev.kolibri.spec;

import dev.kolibri.oci.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecLoaderTest {

    static Path example(String name) {
        try {
            return Path.of(SpecLoaderTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void load_fullExample_givesExactRecords() {
        Path file = example("python.yaml");
        ImageSpec spec = SpecLoader.load(file);

        ImageSpec expected = new ImageSpec(
                file, "python", "3.11", null,
                List.of(new RepositorySpec("deb", "system", "bookworm", List.of("main"),
                        "/usr/share/keyrings/debian-archive-keyring.gpg", 5)),
                List.of("python3.11-minimal", "libpython3.11-stdlib", "ca-certificates", "tzdata"),
                List.of("amd64", "arm64"),
                65532, "/home/nonroot",
                List.of("/usr/bin/python3.11"), List.of(),
                Map.of("LANG", "C.UTF-8", "PYTHONDONTWRITEBYTECODE", "1"),
                Map.of("org.opencontainers.image.title", "python"),
                new Layering(Layering.Strategy.ORIGIN, 32),
                Map.of(
                        "builder", new Variant("builder", List.of("bash", "coreutils", "python3-pip"), List.of(), 0, true,
                                null, null, Map.of("PIP_NO_CACHE_DIR", "off"), null, 21),
                        "slim", new Variant("slim", List.of(), List.of("tzdata"), null, null, null, null, Map.of(), null, 26)),
                false, false);
        assertThat(spec).isEqualTo(expected);
        assertThat(spec.env().keySet()).containsExactly("LANG", "PYTHONDONTWRITEBYTECODE");
        assertThat(spec.variantNames()).containsExactly("builder", "slim");
        assertThat(spec.platforms()).containsExactly(Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        assertThat(spec.repositoryType()).isEqualTo("deb");
    }

    @Test
    void load_minimalDefinition_appliesDefaults() {
        Path file = example("minimal.yaml");
        ImageSpec spec = SpecLoader.load(file);

        assertThat(spec.version()).isNull();
        assertThat(spec.archs()).containsExactly("amd64", "arm64");
        assertThat(spec.user()).isEqualTo(65532);
        assertThat(spec.workdir()).isEqualTo("/home/nonroot");
        assertThat(spec.entrypoint()).isEmpty();
        assertThat(spec.cmd()).isEmpty();
        assertThat(spec.env()).isEmpty();
        assertThat(spec.labels()).isEmpty();
        assertThat(spec.layering()).isEqualTo(new Layering(Layering.Strategy.ORIGIN, 32));
        assertThat(spec.variants()).isEmpty();
        assertThat(spec.allowShell()).isFalse();
        assertThat(spec.installWeakDeps()).isFalse();
        RepositorySpec repo = spec.repositories().get(0);
        assertThat(repo).isEqualTo(new RepositorySpec("deb", "http://127.0.0.1:8080/debian", "bookworm",
                List.of("main"), "keys/archive.gpg", 3));
        assertThat(repo.keyringFile(spec.directory())).isEqualTo(file.getParent().resolve("keys/archive.gpg"));
    }

    @Test
    void load_rpmDefinition_noSuiteAndWeakDeps() {
        ImageSpec spec = SpecLoader.load(example("fedora.yaml"));

        assertThat(spec.repositories()).containsExactly(new RepositorySpec("rpm", "system", null, List.of(), null, 4));
        assertThat(spec.repositories().get(0).isSystem()).isTrue();
        assertThat(spec.repositories().get(0).keyringFile(spec.directory())).isNull();
        assertThat(spec.archs()).containsExactly("amd64");
        assertThat(spec.installWeakDeps()).isTrue();
        assertThat(spec.layering()).isEqualTo(new Layering(Layering.Strategy.PACKAGE, 32));
        assertThat(spec.repositoryType()).isEqualTo("rpm");
    }

    @Test
    void load_userZeroWithoutWorkdir_defaultsToRoot() {
        ImageSpec spec = SpecLoader.parse("""
                name: tool
                repositories: [{type: rpm, url: system}]
                packages: [bash]
                user: 0
                """, Path.of("tool.yaml"));
        assertThat(spec.workdir()).isEqualTo("/");
    }

    @Test
    void load_unquotedNumbersAndBooleansInStrings_keptAsWritten() {
        ImageSpec spec = SpecLoader.parse("""
                name: python
                version: 3.10
                repositories: [{type: rpm, url: system}]
                packages: [python3]
                env: {PORT: 8080, DEBUG: yes}
                """, Path.of("p.yaml"));
        assertThat(spec.version()).isEqualTo("3.10");
        assertThat(spec.env()).containsExactly(Map.entry("DEBUG", "yes"), Map.entry("PORT", "8080"));
    }

    @Test
    void load_anchorsAliasesAndMergeKeys_areResolved() {
        ImageSpec spec = SpecLoader.parse("""
                name: app
                repositories: [{type: rpm, url: system}]
                packages: &base [glibc, openssl]
                entrypoint: &ep [/usr/bin/app]
                env: &env {A: "1", B: "2"}
                variants:
                  debug:
                    entrypoint: *ep
                    env:
                      <<: *env
                      B: "3"
                """, Path.of("app.yaml"));
        assertThat(spec.packages()).containsExactly("glibc", "openssl");
        Variant debug = spec.variants().get("debug");
        assertThat(debug.entrypoint()).containsExactly("/usr/bin/app");
        assertThat(debug.env()).containsExactly(Map.entry("A", "1"), Map.entry("B", "3"));
    }

    @Test
    void load_fromDisk_namesFileInErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "name: x\n");
        assertThatThrownBy(() -> SpecLoader.load(file))
                .isInstanceOf(SpecException.class)
                .hasMessage(file + ":1: missing required key `distro` (a release declared in distros/NAME.yaml, e.g. `debian-13`) or `repositories`");
    }

    @Test
    void load_missingFile_saysSo(@TempDir Path dir) {
        Path file = dir.resolve("none.yaml");
        assertThatThrownBy(() -> SpecLoader.load(file)).hasMessage(file + ": no such file");
    }

    @Test
    void load_notUtf8_saysSo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[]{'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9, '\n'});
        assertThatThrownBy(() -> SpecLoader.load(file)).hasMessage(file + ": not UTF-8 text");
    }
}
