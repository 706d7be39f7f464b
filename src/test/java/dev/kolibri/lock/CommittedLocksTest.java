package dev.kolibri.lock;

import dev.kolibri.spec.SpecLoader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog's committed locks name no mirror (no {@code ://} anywhere: repositories are {@code system}, packages
 * paths inside them) and carry each repository's identity, so a lock made on one machine builds on any other.
 */
class CommittedLocksTest {

    private static List<Path> committedLocks() throws Exception {
        try (Stream<Path> s = Files.walk(Path.of("images"))) {
            return s.filter(p -> p.toString().endsWith(".lock.json")).sorted().toList();
        }
    }

    @Test
    void noCommittedLock_namesAHost_andEachIsOfTheCurrentFormat() throws Exception {
        List<Path> locks = committedLocks();
        assertThat(locks).hasSizeGreaterThanOrEqualTo(10);
        for (Path f : locks) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            assertThat(text).as(f + " names a URL").doesNotContain("://");
            Lockfile l = Lockfile.read(f);
            assertThat(l.version()).as(f.toString()).isEqualTo(Lockfile.VERSION);
            assertThat(l.repositories()).as(f.toString()).allSatisfy(r -> {
                assertThat(r.url()).isEqualTo("system");
                assertThat(r.release()).isNotNull();
                assertThat(r.release().origin()).isEqualTo("Debian");
            });
        }
    }

    @Test
    void everyCommittedLock_stillMatchesItsDefinition() throws Exception {
        for (Path f : committedLocks()) {
            String name = f.getFileName().toString().replace(".lock.json", "");
            Path def = f.resolveSibling(name + ".yaml");
            String variant = null;
            if (!Files.exists(def)) {
                int dash = name.lastIndexOf('-');
                def = f.resolveSibling(name.substring(0, dash) + ".yaml");
                variant = name.substring(dash + 1);
            }
            var spec = SpecLoader.load(def);
            Lockfile.read(f).checkMatches(variant == null ? spec : spec.withVariant(variant));
        }
    }
}
