package dev.kolibri.e2e;

import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.Validate;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of a build at 20 random points: the output is always either absent or a whole layout (the
 * previous one or the new one), and the next build removes what the killed ones left beside it
 * ({@code OUT.tmp-<hex>} and its lock, {@code OUT.old-<hex>}) and gives the digest of an undisturbed build.
 * Before, each kill left an {@code OUT.tmp-<hex>} directory that nothing ever removed.
 */
class KilledBuildTest extends ServedFixtureTest {
    static final int KILLS = 20;


    @Test
    void killedBuilds_leaveNothingPartial_andTheNextBuildGivesTheSameDigest() throws Exception {
        Cli cli = Cli.withCache(dir.resolve("cache"));
        Path def = fixture.definition(dir.resolve("defs"), served, "hello", List.of("fixture-base", "hello"),
                "entrypoint: [/usr/bin/hello]");
        assertThat(cli.run(dir, "lock", def.toString()).exit()).isZero();
        Path reference = dir.resolve("ref/hello");
        long started = System.nanoTime();
        String digest = build(cli, def, reference);
        long buildMillis = Math.max(500, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        Path parent = Files.createDirectories(dir.resolve("out"));
        Path out = parent.resolve("hello");
        long seed = Long.getLong("kolibri.killSeed", System.nanoTime());
        Random random = new Random(seed);
        List<String> log = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            // half the kills with a cold build cache, so that they also land in decoding and compressing
            List<String> args = new ArrayList<>(List.of("build", def.toString(), "--locked", "-o", out.toString()));
            if (i % 2 == 1) args.add("--no-build-cache");
            long delay = (long) (random.nextDouble() * buildMillis * 1.3);
            Process p = cli.start(dir, args.toArray(String[]::new));
            boolean finished = p.waitFor(delay, TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly(); // SIGKILL
                p.waitFor();
            }
            log.add("kill " + i + " after " + delay + " ms" + (finished ? " (had finished)" : ""));
            String what = "seed " + seed + ", " + log;
            if (Files.exists(out)) {
                assertThat(Validate.problems(out)).as("a whole layout after " + what).isEmpty();
                assertThat(LayoutReader.open(out).resolve("1").digest().toString()).as(what).isEqualTo(digest);
            }
            if (i % 5 == 4) {
                assertThat(build(cli, def, out)).as(what).isEqualTo(digest);
                assertThat(names(parent)).as("left beside the output after " + what).containsExactly("hello");
                assertThat(Validate.problems(out)).isEmpty();
            }
        }
    }

    private static String build(Cli cli, Path def, Path out) throws IOException {
        Cli.Result r = cli.run(out.getParent().getParent(), "build", def.toString(), "--locked", "-o", out.toString(), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        return Oracles.JSON.readTree(r.out()).path("index").asText();
    }

    private static List<String> names(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
