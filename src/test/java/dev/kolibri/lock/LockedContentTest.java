package dev.kolibri.lock;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lock's optional {@code contents} field: written after {@code packages}, left out when empty, read strictly. */
class LockedContentTest {
    static final String SHA = "sha256:" + "c".repeat(64);

    static Lockfile lock(List<LockedContent> contents) {
        return new Lockfile(1, SHA, null, List.of(), Map.of("amd64", List.of()), contents);
    }

    @Test
    void roundTrip_sameBytesAsDataBinding_fastPathAndBindingAgree() {
        Lockfile l = lock(List.of(new LockedContent("app/", "/app", SHA), new LockedContent("ca.crt", "/usr/local/share/ca-certificates/", SHA)));
        byte[] json = LockJson.bytes(l);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(new String(LockJson.bindingBytes(l), StandardCharsets.UTF_8));
        assertThat(text).contains("""
                  "contents": [
                    {
                      "from": "app/",
                      "to": "/app",
                      "digest": "%s"
                    },
                """.formatted(SHA));
        assertThat(text.indexOf("\"contents\"")).isGreaterThan(text.indexOf("\"packages\""));
        assertThat(LockJson.FastRead.parse(json)).isEqualTo(l);
        assertThat(LockJson.bind(json, Path.of("x"))).isEqualTo(l);
    }

    @Test
    void absent_meansNone_andIsNotWritten() {
        Lockfile l = lock(null);
        assertThat(l.contents()).isEmpty();
        assertThat(new String(LockJson.bytes(l), StandardCharsets.UTF_8)).doesNotContain("contents")
                .isEqualTo(new String(LockJson.bindingBytes(l), StandardCharsets.UTF_8));
        assertThat(new Lockfile(1, SHA, null, List.of(), Map.of())).isEqualTo(new Lockfile(1, SHA, null, List.of(), Map.of(), List.of()));
    }

    @Test
    void badEntries_refused() {
        String bad = new String(LockJson.bytes(lock(List.of(new LockedContent("app/", "/app", SHA)))), StandardCharsets.UTF_8)
                .replace("\"digest\": \"" + SHA + "\"", "\"digest\": \"md5:abc\"");
        assertThatThrownBy(() -> Lockfile.parse(bad.getBytes(StandardCharsets.UTF_8), Path.of("images/app.lock.json")))
                .isInstanceOf(LockException.class)
                .hasMessageContaining("images/app.lock.json:").hasMessageContaining("contents `app/`: `digest` must be sha256:<64 hex digits>");
        assertThatThrownBy(() -> new LockedContent("app/", "app", SHA)).hasMessageContaining("`to` must be an absolute path");
    }
}
