package dev.kolibri.registry;

import dev.kolibri.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReferenceTest {
    private static final String HEX = "a".repeat(64);

    @ParameterizedTest
    @CsvSource({
            "registry.example/user/app:v1, registry.example, user/app, v1, registry.example/user/app:v1",
            "127.0.0.1:5000/foo, 127.0.0.1:5000, foo, latest, 127.0.0.1:5000/foo:latest",
            "localhost/a/b/c:t_1, localhost, a/b/c, t_1, localhost/a/b/c:t_1",
            "registry.example:443/ns/img.name__x-y:1.0-rc, registry.example:443, ns/img.name__x-y, 1.0-rc, registry.example:443/ns/img.name__x-y:1.0-rc",
            "[::1]:5000/foo:bar, [::1]:5000, foo, bar, [::1]:5000/foo:bar",
    })
    void parse_normalizes(String in, String host, String repo, String tag, String str) {
        Reference r = Reference.parse(in);
        assertThat(r.registryHost()).isEqualTo(host);
        assertThat(r.repository()).isEqualTo(repo);
        assertThat(r.tag()).isEqualTo(tag);
        assertThat(r.digest()).isNull();
        assertThat(r.toString()).isEqualTo(str);
        assertThat(Reference.parse(r.toString())).isEqualTo(r);
    }

    @Test
    void parse_digest_withAndWithoutTag() {
        Reference d = Reference.parse("127.0.0.1:5000/foo@sha256:" + HEX);
        assertThat(d.tag()).isNull();
        assertThat(d.digest()).isEqualTo(Digest.ofSha256Hex(HEX));
        assertThat(d.reference()).isEqualTo("sha256:" + HEX);
        Reference both = Reference.parse("127.0.0.1:5000/foo:v1@sha256:" + HEX);
        assertThat(both.tag()).isEqualTo("v1");
        assertThat(both.reference()).isEqualTo("sha256:" + HEX);
        assertThat(both.toString()).isEqualTo("127.0.0.1:5000/foo:v1@sha256:" + HEX);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty image reference",
            "127.0.0.1:5000/Foo|repository name must be lowercase ('Foo')",
            "127.0.0.1:5000/foo:bad@tag|not a digest",
            "127.0.0.1:5000/foo@sha256:abc|not a valid digest",
            "127.0.0.1:5000/foo:-x|not a valid tag '-x'",
            "127.0.0.1:5000/a//b|not a valid repository path component ''",
            "127.0.0.1:5000/a_-b|not a valid repository path component 'a_-b'",
            "127.0.0.1:5000/|has no repository",
            "' python'|surrounding whitespace",
            "bad_host.example/x|not a valid registry host 'bad_host.example'",
            "python|names no registry host",
            "user/app:v1|write the full reference host[:port]/repo[:tag]",
    })
    void parse_badInput_saysWhatIsWrong(String in, String message) {
        assertThatThrownBy(() -> Reference.parse(in)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void parse_shortName_usesTheFirstSearchRegistry_orAnAlias() {
        ShortNames sn = new ShortNames(java.util.List.of("registry.example:5000", "second.example"),
                java.util.Map.of("tool", "mirror.example/team/tool"), "test.conf");
        Reference a = Reference.parse("team/app:1.0", sn);
        assertThat(a.toString()).isEqualTo("registry.example:5000/team/app:1.0");
        assertThat(Reference.parse("python", sn).toString()).as("no library/ prefix is invented")
                .isEqualTo("registry.example:5000/python:latest");
        assertThat(Reference.parse("tool:2@sha256:" + HEX, sn).toString()).isEqualTo("mirror.example/team/tool:2@sha256:" + HEX);
        assertThat(Reference.parse("other.example/x", sn).registryHost()).isEqualTo("other.example");
        assertThatThrownBy(() -> Reference.parse("Team/app", sn)).hasMessageContaining("must be lowercase");
        assertThatThrownBy(() -> Reference.parse("app", ShortNames.none())).hasMessageContaining("no registries.conf");
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:5000, true", "127.1.2.3, true", "localhost:5000, true", "[::1]:5000, true", "128.0.0.1, false",
            "127.0.0.256, false", "localhost.example, false", "registry.example:5000, false", "127.0.0.1.example, false"})
    void isLoopback(String host, boolean loopback) {
        assertThat(Reference.parse(host + "/x").isLoopback()).isEqualTo(loopback);
    }
}
