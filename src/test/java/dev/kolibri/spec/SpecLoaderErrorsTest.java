package dev.kolibri.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every refusal of the loader, with the exact {@code file:line} and message. */
class SpecLoaderErrorsTest {
    static final Path FILE = Path.of("images/python.yaml");
    static final String HEAD = """
            name: python
            repositories:
              - type: deb
                url: system
                suite: bookworm
            packages: [python3-minimal, tzdata]
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("unknown key with hint", """
                        name: python
                        repositories: [{type: rpm, url: system}]
                        packages: [python3]
                        pakages: [bash]
                        """, "images/python.yaml:4: unknown key `pakages` (did you mean `packages`?)"),
                arguments("unknown key without a near one", HEAD + "colour: blue\n",
                        "images/python.yaml:7: unknown key `colour`; known keys: name, version, distro, repositories, packages, "
                                + "archs, user, workdir, entrypoint, cmd, env, labels, layering, variants, allow-shell, install-weak-deps, contents, limits, main, volumes, ports, paths, trim, keep, latest, tests"),
                arguments("unknown key transposed", HEAD + "alow-shell: true\n",
                        "images/python.yaml:7: unknown key `alow-shell` (did you mean `allow-shell`?)"),
                arguments("unknown repository key", """
                        name: python
                        repositories:
                          - type: deb
                            url: system
                            sute: bookworm
                        packages: [python3]
                        """, "images/python.yaml:5: unknown key `sute` in `repositories` (did you mean `suite`?)"),
                arguments("archs not a list", HEAD + "archs: amd64\n",
                        "images/python.yaml:7: `archs` must be a list of strings, not a string"),
                arguments("archs item not a string", HEAD + "archs:\n  - amd64\n  - {arch: arm64}\n",
                        "images/python.yaml:9: `archs` must be a list of strings; this item is a mapping"),
                arguments("unknown arch", HEAD + "archs: [amd64, sparc]\n",
                        "images/python.yaml:7: unknown arch `sparc`; known: amd64 (x86_64), arm64 (aarch64), "
                                + "ppc64el (ppc64le), s390x, riscv64, i386 (i686), armhf (armv7hl)"),
                arguments("same arch twice in two spellings", HEAD + "archs:\n  - amd64\n  - x86_64\n",
                        "images/python.yaml:9: arch `x86_64` is listed twice (as `amd64`, first at line 8)"),
                arguments("missing name", """
                        repositories: [{type: rpm, url: system}]
                        packages: [python3]
                        """, "images/python.yaml:1: missing required key `name`"),
                arguments("missing repositories", "name: python\npackages: [python3]\n",
                        "images/python.yaml:1: missing required key `distro` (a release declared in distros/NAME.yaml, e.g. `debian-13`) or `repositories`"),
                arguments("missing packages", "name: python\nrepositories: [{type: rpm, url: system}]\n",
                        "images/python.yaml:1: missing required key `packages`"),
                arguments("empty packages", "name: python\nrepositories: [{type: rpm, url: system}]\npackages: []\n",
                        "images/python.yaml:3: `packages` is empty; name at least one package"),
                arguments("duplicated package", """
                        name: python
                        repositories: [{type: rpm, url: system}]
                        packages:
                          - python3
                          - tzdata
                          - python3
                        """, "images/python.yaml:6: package `python3` is listed twice in `packages` (first at line 4)"),
                arguments("package name with a space", "name: python\nrepositories: [{type: rpm, url: system}]\npackages: [\"python3 tzdata\"]\n",
                        "images/python.yaml:3: `packages`: `python3 tzdata` is not a package name"),
                arguments("bad name", "name: Python_3\nrepositories: [{type: rpm, url: system}]\npackages: [python3]\n",
                        "images/python.yaml:1: `name` must be a valid image repository name (lower-case letters and digits, "
                                + "separated by `.`, `_`, `__` or `-`), not `Python_3`"),
                arguments("name ends with separator", "name: python-\nrepositories: [{type: rpm, url: system}]\npackages: [python3]\n",
                        "images/python.yaml:1: `name` must be a valid image repository name (lower-case letters and digits, "
                                + "separated by `.`, `_`, `__` or `-`), not `python-`"),
                arguments("name is a list", "name: [python]\nrepositories: [{type: rpm, url: system}]\npackages: [python3]\n",
                        "images/python.yaml:1: `name` must be a string, not a list"),
                arguments("version not a tag", HEAD + "version: \"3.11 beta\"\n",
                        "images/python.yaml:7: `version` must be usable in an image tag (letters, digits, `.`, `_`, `-`; at most 128), not `3.11 beta`"),
                arguments("unknown strategy", HEAD + "layering: {strategy: orgin}\n",
                        "images/python.yaml:7: unknown layering strategy `orgin` (did you mean `origin`?); known: single, package, origin"),
                arguments("budget too high", HEAD + "layering:\n  strategy: origin\n  budget: 128\n",
                        "images/python.yaml:9: `layering.budget` must be between 1 and 127, not 128"),
                arguments("budget zero", HEAD + "layering: {budget: 0}\n",
                        "images/python.yaml:7: `layering.budget` must be between 1 and 127, not 0"),
                arguments("unknown layering key", HEAD + "layering: {budgte: 3}\n",
                        "images/python.yaml:7: unknown key `budgte` in `layering` (did you mean `budget`?)"),
                arguments("negative user", HEAD + "user: -1\n",
                        "images/python.yaml:7: `user` must not be negative: -1"),
                arguments("user as string", HEAD + "user: nonroot\n",
                        "images/python.yaml:7: `user` must be a whole number in decimal, not a string"),
                arguments("user octal-looking", HEAD + "user: 0755\n",
                        "images/python.yaml:7: `user` must be a whole number in decimal, not a number"),
                arguments("workdir relative", HEAD + "workdir: home\n",
                        "images/python.yaml:7: `workdir` must be an absolute path, not `home`"),
                arguments("allow-shell not boolean", HEAD + "allow-shell: maybe\n",
                        "images/python.yaml:7: `allow-shell` must be true or false, not a string"),
                arguments("env not a mapping", HEAD + "env: [LANG=C]\n",
                        "images/python.yaml:7: `env` must be a mapping, not a list"),
                arguments("env value a list", HEAD + "env:\n  LANG: [C]\n",
                        "images/python.yaml:8: `env.LANG` must be a string, not a list"),
                arguments("empty value", HEAD + "cmd:\n",
                        "images/python.yaml:7: `cmd` must be a list of strings, not empty"),
                arguments("duplicate key", HEAD + "name: other\n",
                        "images/python.yaml:7: duplicate key `name` (first at line 1)"),
                arguments("duplicate key in nested mapping", HEAD + "env:\n  A: x\n  A: y\n",
                        "images/python.yaml:9: duplicate key `A` (first at line 8)"),
                arguments("repository type unknown", "name: p\nrepositories:\n  - {type: apk, url: system}\npackages: [p]\n",
                        "images/python.yaml:3: unknown repository type `apk`; known: deb, rpm"),
                arguments("deb without suite", "name: p\nrepositories:\n  - type: deb\n    url: system\npackages: [p]\n",
                        "images/python.yaml:3: a deb repository needs `suite` (for example `bookworm`)"),
                arguments("rpm with suite", "name: p\nrepositories:\n  - type: rpm\n    url: system\n    suite: f41\npackages: [p]\n",
                        "images/python.yaml:5: `suite` is for deb repositories only; an rpm repository is its `url` (and `releasever` for yum's $releasever)"),
                arguments("deb with releasever", "name: p\nrepositories:\n  - type: deb\n    url: system\n    suite: trixie\n    releasever: 43\npackages: [p]\n",
                        "images/python.yaml:6: `releasever` is for rpm repositories; a deb repository names its `suite`"),
                arguments("rpm releasever not a release", "name: p\nrepositories:\n  - type: rpm\n    url: system\n    releasever: \"4 3\"\npackages: [p]\n",
                        "images/python.yaml:5: `releasever` must be a release such as `43`, not `4 3`"),
                arguments("url without keyring", "name: p\nrepositories:\n  - {type: rpm, url: \"https://example.invalid/repo\"}\npackages: [p]\n",
                        "images/python.yaml:3: repository https://example.invalid/repo: missing required key `keyring` (the OpenPGP keys that sign its metadata)"),
                arguments("url not a URL", "name: p\nrepositories:\n  - {type: rpm, url: mirror, keyring: k.gpg}\npackages: [p]\n",
                        "images/python.yaml:3: `url` must be an http(s):// or file:// URL, or `system` (this machine's own sources), not `mirror`"),
                arguments("mixed repository types", "name: p\nrepositories:\n  - {type: rpm, url: system}\n  - {type: deb, url: system, suite: bookworm}\npackages: [p]\n",
                        "images/python.yaml:4: repository of type `deb` in an image of `rpm` repositories; an image takes its packages from one ecosystem"),
                arguments("repository missing url", "name: p\nrepositories:\n  - type: rpm\npackages: [p]\n",
                        "images/python.yaml:3: repository: missing required key `url`"),
                arguments("unknown variant key", HEAD + "variants:\n  builder:\n    add: [bash]\n    users: 0\n",
                        "images/python.yaml:10: unknown key `users` in `variants.builder` (did you mean `user`?)"),
                arguments("variant removes a package not in base", HEAD + "variants:\n  slim:\n    remove:\n      - tzdata\n      - perl\n",
                        "images/python.yaml:11: variant `slim` removes `perl`, which is not in `packages`"),
                arguments("variant adds a package already in base", HEAD + "variants:\n  x: {add: [tzdata]}\n",
                        "images/python.yaml:8: variant `x` adds `tzdata`, which is already in `packages`"),
                arguments("variant negative user", HEAD + "variants:\n  x: {user: -5}\n",
                        "images/python.yaml:8: `variants.x.user` must not be negative: -5"),
                arguments("variant bad name", HEAD + "variants:\n  Builder: {user: 0}\n",
                        "images/python.yaml:8: variant name `Builder` must be lower-case letters and digits, separated by `.`, `_` or `-`"),
                arguments("variant not a mapping", HEAD + "variants:\n  builder: [bash]\n",
                        "images/python.yaml:8: `variants.builder` must be a mapping, not a list"),
                arguments("top level a list", "- name: python\n",
                        "images/python.yaml:1: `definition` must be a mapping, not a list"),
                arguments("empty document", "# nothing\n",
                        "images/python.yaml:1: empty definition; it needs at least `name`, `repositories` and `packages`"),
                arguments("yaml syntax error", HEAD + "env: {A: 1\n",
                        "images/python.yaml:8: not valid YAML: expected ',' or '}', but got <stream end>"),
                arguments("two documents", HEAD + "---\nname: other\n",
                        "images/python.yaml:7: not valid YAML: but found another document"),
                arguments("undefined alias", HEAD + "cmd: *nothing\n",
                        "images/python.yaml:7: not valid YAML: found undefined alias nothing"),
                arguments("recursive merge", HEAD + "env: &e\n  A: x\n  <<: *e\n",
                        "images/python.yaml:7: `env` merges itself (a recursive `<<` alias)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parse_badDefinition_refusedWithFileLineAndHint(String title, String yaml, String message) {
        assertThatThrownBy(() -> SpecLoader.parse(yaml, FILE))
                .isInstanceOf(SpecException.class)
                .hasMessage(message);
    }

    @Test
    void parse_aliasBomb_refusedAtTheAliasThatGoesOverTheLimit() {
        StringBuilder y = new StringBuilder(HEAD);
        y.append("labels:\n");
        y.append("  a: &a [x, x, x, x, x, x, x, x, x]\n");
        String prev = "a";
        for (char c = 'b'; c <= 'z'; c++) {
            y.append("  ").append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) y.append(i == 0 ? "" : ", ").append('*').append(prev);
            y.append("]\n");
            prev = String.valueOf(c);
        }
        // 'b' (line 9) to 'f' (line 13) hold 9 aliases each (45); the 51st alias is the 6th on line 14 ('g').
        assertThatThrownBy(() -> SpecLoader.parse(y.toString(), FILE))
                .isInstanceOf(SpecException.class)
                .hasMessage("images/python.yaml:14: more than 50 aliases of lists or mappings; a definition never needs that many (alias bomb?)");
    }

    @Test
    void specException_carriesFileAndLine() {
        SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
                () -> SpecLoader.parse(HEAD + "user: -1\n", FILE));
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.line()).isEqualTo(7);
    }
}
