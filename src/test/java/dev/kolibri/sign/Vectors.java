package dev.kolibri.sign;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** The outside test vectors in {@code ../shared/vectors} (beside the repository clone), skipped visibly when absent. */
final class Vectors {
    private Vectors() {}

    static Path dir() {
        String override = System.getProperty("kolibri.vectors");
        Path dir = override != null ? Path.of(override) : Path.of("").toAbsolutePath().resolve("../shared/vectors").normalize();
        Assumptions.assumeTrue(Files.isDirectory(dir), () -> "skipped: test vectors not found at " + dir + " (expected ../shared/vectors beside the project)");
        return dir;
    }

    static Path file(String name) {
        Path f = dir().resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(f), () -> "skipped: test vector " + f + " is missing");
        return f;
    }
}
