package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kolibri.oci.Digest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same lock gives the same bytes: two CLI processes with different output paths, empty caches, umasks and time
 * zones write byte-identical {@code index.json} files; {@code SOURCE_DATE_EPOCH} sets the config's {@code created}.
 */
class ReproducibleBuildTest {
    @TempDir static Path dir;
    static Fixture fixture;
    static Fixture.Served served;
    static Path def;

    @BeforeAll
    static void lock() throws IOException {
        fixture = Fixture.get();
        served = fixture.serve(dir);
        def = fixture.definition(dir.resolve("defs"), served, "hello", List.of("fixture-base", "hello"),
                "entrypoint: [/usr/bin/hello]");
        Cli.Result r = Cli.withCache(dir.resolve("cache-lock")).run(dir, "lock", def.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    @AfterAll
    static void stop() {
        if (served != null) served.close();
    }

    static Cli.Result build(Cli cli, Path out) {
        Cli.Result r = cli.run(dir, "build", def.toString(), "--locked", "-o", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void sameLock_differentPathsCachesUmaskTz_sameIndexBytes() throws IOException {
        Path a = dir.resolve("a/out/hello");
        Path b = dir.resolve("elsewhere/deeper/image");
        Cli.Result ra = build(Cli.withCache(dir.resolve("cache-a")).umask("022").env("TZ", "UTC"), a);
        Cli.Result rb = build(Cli.withCache(dir.resolve("cache-b")).umask("077").env("TZ", "Pacific/Chatham"), b);

        byte[] ia = Files.readAllBytes(a.resolve("index.json"));
        assertThat(Files.readAllBytes(b.resolve("index.json"))).isEqualTo(ia);
        assertThat(Files.exists(dir.resolve("cache-a/kolibri/blobs/sha256"))).isTrue();
        assertThat(Files.exists(dir.resolve("cache-b/kolibri/blobs/sha256"))).isTrue();

        // The index digest printed by each build is the same, and is the digest of the index blob both layouts hold.
        String digestA = ra.out().lines().findFirst().orElseThrow().split("\\s+")[1];
        String digestB = rb.out().lines().findFirst().orElseThrow().split("\\s+")[1];
        assertThat(digestA).isEqualTo(digestB).startsWith("sha256:");
        Path blob = a.resolve("blobs/sha256").resolve(digestA.substring("sha256:".length()));
        assertThat(Digest.sha256(blob).toString()).isEqualTo(digestA);
        assertThat(new String(ia)).contains(digestA);

        // Every blob is the same set in both layouts.
        try (var la = Files.list(a.resolve("blobs/sha256")); var lb = Files.list(b.resolve("blobs/sha256"))) {
            assertThat(lb.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(la.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void sourceDateEpoch_setsCreated_andStaysReproducible() throws IOException {
        long epoch = 1_700_000_000L;
        Path a = dir.resolve("sde/a");
        Path b = dir.resolve("sde/b");
        build(Cli.withCache(dir.resolve("cache-sde-a")).env("SOURCE_DATE_EPOCH", String.valueOf(epoch)), a);
        build(Cli.withCache(dir.resolve("cache-sde-b")).env("SOURCE_DATE_EPOCH", String.valueOf(epoch)).env("TZ", "Asia/Kolkata"), b);
        assertThat(Files.readAllBytes(b.resolve("index.json"))).isEqualTo(Files.readAllBytes(a.resolve("index.json")));
        for (String arch : List.of("amd64", "arm64")) {
            JsonNode config = Oracles.skopeoConfig(a, "1", arch);
            assertThat(Instant.parse(config.path("created").asText())).isEqualTo(Instant.ofEpochSecond(epoch));
            assertThat(config.path("config").path("Labels").path("org.opencontainers.image.created").asText())
                    .isEqualTo(Instant.ofEpochSecond(epoch).toString());
        }
        // Without SOURCE_DATE_EPOCH the epoch comes from the packages, so it differs from the one set here.
        Path c = dir.resolve("sde/c");
        build(Cli.withCache(dir.resolve("cache-sde-c")), c);
        assertThat(Files.readAllBytes(c.resolve("index.json"))).isNotEqualTo(Files.readAllBytes(a.resolve("index.json")));
    }
}
