package dev.kolibri.lock;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming fast path reads exactly what data binding reads, the same way, and gives up on everything else. */
class LockJsonFastReadTest {

    private static List<Path> committedLocks() throws Exception {
        try (Stream<Path> s = Files.walk(Path.of("images"))) {
            return s.filter(p -> p.toString().endsWith(".lock.json")).sorted().toList();
        }
    }

    @Test
    void everyCommittedLock_readsTheSameBothWays() throws Exception {
        List<Path> locks = committedLocks();
        assertThat(locks).hasSizeGreaterThanOrEqualTo(10);
        for (Path f : locks) {
            byte[] json = Files.readAllBytes(f);
            Lockfile fast = LockJson.FastRead.parse(json);
            assertThat(fast).as(f.toString()).isNotNull();
            assertThat(fast).as(f.toString()).isEqualTo(LockJson.bind(json, f));
            assertThat(LockJson.bytes(fast)).as("written back unchanged: " + f).isEqualTo(json);
        }
    }

    @Test
    void everyRefusedLockfile_isLeftToDataBinding() {
        LockfileReadErrorsTest.cases().forEach(a -> {
            String json = (String) a.get()[1];
            assertThat(LockJson.FastRead.parse(json.getBytes(StandardCharsets.UTF_8))).as((String) a.get()[0]).isNull();
        });
    }

    @Test
    void randomDamage_eitherBothReadItAlikeOrTheFastPathGivesUp() throws Exception {
        byte[] valid = LockfileReadErrorsTest.VALID.getBytes(StandardCharsets.UTF_8);
        String[] tokens = {"null", "1", "-1", "1.5", "\"x\"", "true", "[]", "{}", "\"sha256:" + "b".repeat(64) + "\"",
                "9223372036854775808", "2147483648", ",", "}", "]"};
        Random r = new Random(42);
        int agreed = 0;
        for (int i = 0; i < 3000; i++) {
            String s = LockfileReadErrorsTest.VALID;
            int at = r.nextInt(s.length());
            int len = r.nextInt(12);
            String mutated = switch (r.nextInt(3)) {
                case 0 -> s.substring(0, at) + s.substring(Math.min(s.length(), at + len));
                case 1 -> s.substring(0, at) + tokens[r.nextInt(tokens.length)] + s.substring(Math.min(s.length(), at + len));
                default -> s.replaceFirst("\"[a-zA-Z]+\": [^,\\n]+", "\"" + "xyz".substring(r.nextInt(3)) + "\": " + tokens[r.nextInt(tokens.length)]);
            };
            byte[] json = mutated.getBytes(StandardCharsets.UTF_8);
            Lockfile fast = LockJson.FastRead.parse(json);
            if (fast == null) continue;
            agreed++;
            assertThat(LockJson.bind(json, Path.of("x"))).as(mutated).isEqualTo(fast);
        }
        assertThat(LockJson.FastRead.parse(valid)).isNotNull();
        assertThat(agreed).isGreaterThan(0);
        assertThatThrownBy(() -> Lockfile.parse("{".getBytes(StandardCharsets.UTF_8), Path.of("x")))
                .isInstanceOf(LockException.class);
    }

    @Test
    void writing_givesDataBindingsBytes_forEveryShapeOfLock() throws Exception {
        for (Path f : committedLocks()) {
            Lockfile l = Lockfile.read(f);
            assertThat(new String(LockJson.bytes(l), StandardCharsets.UTF_8)).as(f.toString())
                    .isEqualTo(new String(LockJson.bindingBytes(l), StandardCharsets.UTF_8));
        }
        String sha = "c".repeat(64);
        List<Lockfile> shapes = List.of(
                new Lockfile(2, "sha256:" + sha, 1_700_000_000L, List.of(new LockedRepository("r", null, "http://127.0.0.1/r", null, null, "sha256:" + sha, null)), java.util.Map.of()),
                new Lockfile(2, "sha256:" + sha, null, List.of(), java.util.Map.of("arm64", List.of())),
                new Lockfile(2, "sha256:" + sha, 0L, List.of(new LockedRepository("ü \"q\" \\ \t", null, "http://127.0.0.1/ü", "s", null, "sha256:" + sha, null)), java.util.Map.of("amd64", List.of(new LockedPackage("a", "1:2~3", "all", "é",
                        "1", "http://127.0.0.1/ü/a.deb", Long.MAX_VALUE, sha, "ü \"q\" \\ \t")))));
        for (Lockfile l : shapes) {
            assertThat(new String(LockJson.bytes(l), StandardCharsets.UTF_8))
                    .isEqualTo(new String(LockJson.bindingBytes(l), StandardCharsets.UTF_8));
            assertThat(Lockfile.parse(LockJson.bytes(l), Path.of("x"))).isEqualTo(l);
        }
    }
}
