package dev.kolibri.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@code contents:} in the definition: defaults, variants, the digest, and every refusal the text alone allows. */
class ContentsSpecTest {
    static final Path FILE = Path.of("images/app.yaml");
    static final String HEAD = """
            name: app
            repositories: [{type: rpm, url: system}]
            packages: [p]
            """;

    static ImageSpec parse(String yaml) {
        return SpecLoader.parse(yaml, FILE);
    }

    @Test
    void entries_defaultsAndValues() {
        ImageSpec s = SpecLoader.load(SpecLoaderTest.example("contents.yaml"));
        assertThat(s.contents()).hasSize(3);
        ContentSpec app = s.contents().get(0);
        assertThat(app.from()).isEqualTo("app/");
        assertThat(app.to()).isEqualTo("/app");
        assertThat(app.owner()).isEqualTo("65532:65532");
        assertThat(app.mode()).isEqualTo(0644);
        assertThat(app.replace()).isFalse();
        assertThat(app.line()).isEqualTo(10);
        ContentSpec cert = s.contents().get(1);
        assertThat(cert.to()).isEqualTo("/usr/local/share/ca-certificates/");
        assertThat(cert.uid()).isZero();
        assertThat(cert.gid()).isZero();
        assertThat(cert.mode()).isNull();
        assertThat(s.contents().get(2).replace()).isTrue();
        assertThat(s.contents().get(2).line()).isEqualTo(12);
    }

    @Test
    void variant_appendsItsContentsToTheBase() {
        ImageSpec s = SpecLoader.load(SpecLoaderTest.example("contents.yaml"));
        ImageSpec debug = s.withVariant("debug");
        assertThat(debug.contents()).extracting(ContentSpec::to)
                .containsExactly("/app", "/usr/local/share/ca-certificates/", "/usr/local/bin/run", "/app/debug");
        assertThat(debug.digest()).isNotEqualTo(s.digest());
    }

    @Test
    void digest_coversContents_andStaysWithoutThem() {
        ImageSpec none = parse(HEAD);
        ImageSpec some = parse(HEAD + "contents: [{from: a, to: /a}]\n");
        ImageSpec owner = parse(HEAD + "contents: [{from: a, to: /a, owner: \"1:1\"}]\n");
        ImageSpec mode = parse(HEAD + "contents: [{from: a, to: /a, mode: \"0600\"}]\n");
        ImageSpec unquotedMode = parse(HEAD + "contents: [{from: a, to: /a, mode: 0600}]\n");
        ImageSpec reformatted = parse(HEAD + "contents:\n  - to: /a/\n    from: a\n".replace("/a/", "/a"));
        assertThat(none.canonicalJson()).doesNotContain("contents");
        assertThat(List.of(some.digest(), owner.digest(), mode.digest(), none.digest())).doesNotHaveDuplicates();
        assertThat(unquotedMode.digest()).isEqualTo(mode.digest());
        assertThat(reformatted.digest()).isEqualTo(some.digest());
        assertThat(parse(HEAD + "contents: [{from: ./a, to: //a/./}]\n").contents().get(0).to()).isEqualTo("/a/");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("absolute from", HEAD + "contents: [{from: /etc/passwd, to: /etc/passwd}]\n",
                        "images/app.yaml:4: contents `from: /etc/passwd` is absolute; write it relative to the definition's directory"),
                arguments("climbing from", HEAD + "contents:\n  - {from: a/../../secret, to: /s}\n",
                        "images/app.yaml:5: contents `from: a/../../secret` climbs out of the definition's directory; keep the files beside the definition"),
                arguments("to /proc", HEAD + "contents: [{from: a, to: /proc/x}]\n",
                        "images/app.yaml:4: contents `from: a` to `/proc/x`: /proc is mounted by the container runtime, files there never reach a container; choose another destination"),
                arguments("to /sys", HEAD + "contents: [{from: a, to: /sys}]\n",
                        "images/app.yaml:4: contents `from: a` to `/sys`: /sys is mounted by the container runtime, files there never reach a container; choose another destination"),
                arguments("to /dev through //", HEAD + "contents: [{from: a, to: //dev/null}]\n",
                        "images/app.yaml:4: contents `from: a` to `//dev/null`: /dev is mounted by the container runtime, files there never reach a container; choose another destination"),
                arguments("relative to", HEAD + "contents: [{from: a, to: app}]\n",
                        "images/app.yaml:4: contents `to: app` must be an absolute path in the image"),
                arguments("dot-dot to", HEAD + "contents: [{from: a, to: /app/../proc}]\n",
                        "images/app.yaml:4: contents `to: /app/../proc` must not contain `..`"),
                arguments("owner by name", HEAD + "contents: [{from: a, to: /a, owner: nonroot}]\n",
                        "images/app.yaml:4: `owner` must be numeric UID:GID (for example \"65532:65532\"), not `nonroot`"),
                arguments("mode not octal", HEAD + "contents: [{from: a, to: /a, mode: \"0685\"}]\n",
                        "images/app.yaml:4: `mode` must be octal permission bits (for example \"0644\"), not `0685`"),
                arguments("missing to", HEAD + "contents:\n  - from: a\n",
                        "images/app.yaml:5: `contents` entry: missing required key `to`"),
                arguments("unknown key", HEAD + "contents:\n  - {from: a, to: /a, mdoe: \"0644\"}\n",
                        "images/app.yaml:5: unknown key `mdoe` in `contents` (did you mean `mode`?)"),
                arguments("empty list", HEAD + "contents: []\n",
                        "images/app.yaml:4: `contents` is empty; leave it out for no local files"),
                arguments("not a list", HEAD + "contents: app/\n",
                        "images/app.yaml:4: `contents` must be a list of {from, to} entries, not a string"),
                arguments("variant entry refused at its line", HEAD + "variants:\n  dbg:\n    contents:\n      - {from: /x, to: /x}\n",
                        "images/app.yaml:7: contents `from: /x` is absolute; write it relative to the definition's directory"),
                arguments("replace not a boolean", HEAD + "contents: [{from: a, to: /a, replace: maybe}]\n",
                        "images/app.yaml:4: `replace` must be true or false, not a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refused_withFileLineAndOneLine(String name, String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(SpecException.class).hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
