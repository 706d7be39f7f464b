package dev.kolibri.publish;

import dev.kolibri.sign.CosignKeys;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/** The cosign-made key pair in {@code ../shared/vectors} (empty password), skipped visibly when absent. */
final class Keys {
    private Keys() {}

    static Path vectors() {
        String override = System.getProperty("kolibri.vectors");
        Path dir = override != null ? Path.of(override) : Path.of("").toAbsolutePath().resolve("../shared/vectors").normalize();
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("cosign-generated.key")),
                () -> "skipped: cosign test vectors not found at " + dir + " (expected ../shared/vectors beside the project)");
        return dir;
    }

    static Path cosignKey() {
        return vectors().resolve("cosign-generated.key");
    }

    static Path cosignPub() {
        return vectors().resolve("cosign-generated.pub");
    }

    static KeyPair cosign() throws Exception {
        return CosignKeys.readPrivate(cosignKey(), new char[0]);
    }
}
