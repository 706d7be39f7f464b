package dev.kolibri.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The catalog's definition keys: main, volumes, ports, paths, trim/keep, latest, tests; variants that combine. */
class CatalogKeysTest {
    static final String PHP = """
            name: php
            version: "8.4"
            repositories:
              - {type: deb, url: system, suite: trixie}
            packages: [php8.4-cli]
            main: php8.4-cli
            latest: true
            ports: [9000]
            volumes: [/var/lib/php/]
            paths:
              - {path: /run/php, type: directory, owner: "65532:65532", mode: "0755"}
              - {path: /var/log/php.log, type: symlink, target: /dev/stderr}
            trim: [/usr/share/man/**]
            keep: [/usr/share/doc/*/copyright]
            variants:
              fpm: {add: [php8.4-fpm], main: php8.4-fpm, entrypoint: [/usr/sbin/php-fpm8.4], ports: [9001/tcp]}
              builder: {add: [bash, composer], user: 0, allow-shell: true, entrypoint: [/bin/bash]}
              fips: {absent: "no FIPS module for this runtime"}
            tests:
              - {name: version, args: [--version], expect: {stdout: "PHP 8.4"}}
              - name: fpm-serves
                variants: [fpm, fpm-builder]
                service: {args: [-F]}
                steps:
                  - {exec: [/usr/sbin/php-fpm8.4, -t], expect: {stderr: "test is successful"}}
                  - {http: "http://127.0.0.1:9000/", expect: {status: 404}}
              - name: builds
                variants: [builder]
                files: tests/php
                steps:
                  - {args: [-c, "composer --version"]}
                  - {image: base, args: [/work/hello.php], expect: {stdout: hello}}
            """;

    static ImageSpec load(Path dir, String text) throws Exception {
        Path def = dir.resolve("php.yaml");
        Files.writeString(def, text);
        return SpecLoader.load(def);
    }

    @Test
    void catalogKeys_areRead(@TempDir Path dir) throws Exception {
        ImageSpec s = load(dir, PHP);
        assertThat(s.main()).isEqualTo("php8.4-cli");
        assertThat(s.latest()).isTrue();
        assertThat(s.ports()).containsExactly("9000/tcp");
        assertThat(s.volumes()).containsExactly("/var/lib/php");
        assertThat(s.paths()).extracting(PathSpec::path, PathSpec::type, PathSpec::owner, PathSpec::mode, PathSpec::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/run/php", PathSpec.Type.DIRECTORY, "65532:65532", 0755, null),
                        org.assertj.core.groups.Tuple.tuple("/var/log/php.log", PathSpec.Type.SYMLINK, "0:0", null, "/dev/stderr"));
        assertThat(s.trim()).isEqualTo(new TrimSpec(List.of("/usr/share/man/**"), List.of("/usr/share/doc/*/copyright")));
        assertThat(s.tests()).extracting(TestSpec::name).containsExactly("version", "fpm-serves", "builds");
        TestSpec fpm = s.tests().get(1);
        assertThat(fpm.appliesTo(null)).isFalse();
        assertThat(fpm.appliesTo("fpm-builder")).isTrue();
        assertThat(fpm.service().args()).containsExactly("-F");
        assertThat(fpm.steps().get(1).expect().statusOrDefault()).isEqualTo(404);
        assertThat(s.tests().get(0).appliesTo(null)).isTrue();
        assertThat(s.tests().get(2).steps().get(1).image()).isEqualTo("base");
        assertThat(s.tests().get(2).files()).isEqualTo("tests/php");
    }

    @Test
    void variants_combine_andTheCatalogBuildsEachWithBuilder(@TempDir Path dir) throws Exception {
        ImageSpec s = load(dir, PHP);
        assertThat(s.flavours()).containsExactly(null, "builder", "fpm", "fpm-builder");
        ImageSpec fb = s.withVariant("fpm-builder");
        assertThat(fb.variant()).isEqualTo("fpm-builder");
        assertThat(fb.packages()).containsExactly("php8.4-cli", "php8.4-fpm", "bash", "composer");
        assertThat(fb.main()).isEqualTo("php8.4-fpm");
        assertThat(fb.entrypoint()).as("the last part that sets it").containsExactly("/bin/bash");
        assertThat(fb.user()).isZero();
        assertThat(fb.allowShell()).isTrue();
        assertThat(fb.ports()).containsExactly("9000/tcp", "9001/tcp");
        assertThat(s.withVariant("builder-fpm").entrypoint()).containsExactly("/usr/sbin/php-fpm8.4");
        assertThatThrownBy(() -> s.withVariant("fips-builder")).isInstanceOf(SpecException.class)
                .hasMessage(dir.resolve("php.yaml") + ":18: variant `fips-builder` of php combines `fips`, which is declared absent: "
                        + "no FIPS module for this runtime (known: builder, fpm)");
        assertThatThrownBy(() -> s.withVariant("slim-builder")).hasMessageContaining("unknown variant `slim-builder` (known: builder, fpm;");
        // a new key changes the digest; a test does not
        assertThat(load(dir, PHP.replace("{name: version, args: [--version]", "{name: v, args: [-v]")).digest()).isEqualTo(s.digest());
        assertThat(load(dir, PHP.replace("ports: [9000]", "ports: [9002]")).digest()).isNotEqualTo(s.digest());
    }

    @Test
    void badCatalogKeys_areRefusedAtTheirLine(@TempDir Path dir) {
        String[][] cases = {
                {"ports: [9000]", "ports: [70000]", ":8: `ports`: a port is a number from 1 to 65535"},
                {"volumes: [/var/lib/php/]", "volumes: [var/lib]", ":9: `volumes`: a volume is an absolute path"},
                {"type: directory, owner", "type: folder, owner", ":11: unknown path type `folder`"},
                {"type: symlink, target: /dev/stderr}", "type: symlink}", ":12: a `symlink` entry needs `target`"},
                {"trim: [/usr/share/man/**]", "trim: [usr/share/man]", ":13: `trim`: `usr/share/man` must be an absolute glob"},
                {"variants: [fpm, fpm-builder]", "variants: [slim]", "names variant `slim`, which this definition does not have"},
                {"{name: version, args: [--version]", "{name: version, exec: [x]", "an `exec` or `http` step needs a `service`"},
                {"http: \"http://127.0.0.1:9000/\"", "http: \"http://example.invalid/\"", "must be a URL on this machine"},
        };
        for (String[] c : cases) {
            assertThat(PHP).contains(c[0]);
            assertThatThrownBy(() -> load(dir, PHP.replace(c[0], c[1]))).as(Arrays.toString(c))
                    .isInstanceOf(SpecException.class).hasMessageContaining(c[2]);
        }
    }

    @Test
    void setupSteps_runBeforeTheService_andAreContainers(@TempDir Path dir) throws Exception {
        String db = """
                name: db
                repositories: [{type: deb, url: system, suite: trixie}]
                packages: [postgresql-17]
                variants:
                  init: {add: [dash], allow-shell: true, entrypoint: [initdb]}
                tests:
                  - name: query
                    setup:
                      - {image: init, args: [-D, /work/data], expect: {stdout: Success}}
                    service: {args: [-D, /work/data]}
                    steps:
                      - {exec: [psql, -c, "select 1"]}
                """;
        TestSpec t = load(dir, db).tests().get(0);
        assertThat(t.setup()).singleElement().satisfies(s -> {
            assertThat(s.image()).isEqualTo("init");
            assertThat(s.expect().stdout()).isEqualTo("Success");
        });
        assertThat(t.appliesTo(null)).isTrue();
        assertThatThrownBy(() -> load(dir, db.replace("{image: init, args: [-D, /work/data], expect: {stdout: Success}}", "{exec: [true]}")))
                .isInstanceOf(SpecException.class).hasMessageContaining("a `setup` step runs before the service, so it is a container");
    }

    @Test
    void distroFile_bringsTrimDefaults_beforeTheDefinitions(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("distros"));
        Files.writeString(dir.resolve("distros/d13.yaml"), """
                name: d13
                repositories:
                  - {type: deb, url: system, suite: trixie}
                trim: [/usr/share/doc/**, /usr/share/man/**]
                keep: [/usr/share/doc/*/copyright]
                """);
        ImageSpec s = load(dir, """
                name: x
                distro: d13
                packages: [a]
                trim: [/usr/share/locale/**]
                """);
        assertThat(s.trim().trim()).containsExactly("/usr/share/doc/**", "/usr/share/man/**", "/usr/share/locale/**");
        assertThat(s.trim().keep()).containsExactly("/usr/share/doc/*/copyright");
    }
}
