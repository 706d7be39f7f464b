package dev.kolibri.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The base of the tests that drive the {@code kolibri} CLI as a process against the fixture repository
 * ({@link Fixture}) served on 127.0.0.1 for the test class, each test with a cache of its own.
 */
abstract class ServedFixtureTest {
    @TempDir static Path shared;
    static Fixture fixture;
    static Fixture.Served served;

    @TempDir Path dir;

    @BeforeAll
    static void serve() throws IOException {
        fixture = Fixture.get();
        served = fixture.serve(shared);
    }

    @AfterAll
    static void stop() {
        if (served != null) served.close();
        served = null;
    }

    /** The CLI with this test's own cache. */
    Cli cli() {
        return Cli.withCache(dir.resolve("cache"));
    }
}
