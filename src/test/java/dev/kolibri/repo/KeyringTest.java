package dev.kolibri.repo;

import dev.kolibri.testing.GpgFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyringTest {

    @Test
    void debianArchiveKeyring_loadsSeveralKeys() throws Exception {
        Path p = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
        Assumptions.assumeTrue(Files.isRegularFile(p), "skipped: debian-archive-keyring is not installed");
        Keyring k = Keyring.load(p);
        assertThat(k.size()).isGreaterThanOrEqualTo(3);
        assertThat(k.fingerprints()).allMatch(f -> f.matches("[0-9A-F]{40}"));
        assertThat(k.source()).isEqualTo(p.toString());
    }

    @Test
    void trustedGpgD_directoryLoads() throws Exception {
        Path d = Path.of("/etc/apt/trusted.gpg.d");
        Assumptions.assumeTrue(Files.isDirectory(d), "skipped: no /etc/apt/trusted.gpg.d");
        try (var s = Files.list(d)) {
            Assumptions.assumeTrue(s.anyMatch(f -> f.toString().endsWith(".gpg") || f.toString().endsWith(".asc")),
                    "skipped: /etc/apt/trusted.gpg.d holds no keys");
        }
        assertThat(Keyring.load(d).size()).isGreaterThan(0);
    }

    @Test
    void binaryArmoredAndDirectory(@TempDir Path dir) throws Exception {
        try (GpgFixture a = GpgFixture.create("ed25519"); GpgFixture b = GpgFixture.create("ed25519")) {
            Files.write(dir.resolve("a.gpg"), a.publicBinary());
            Files.write(dir.resolve("b.asc"), b.publicArmored());
            Files.writeString(dir.resolve("README"), "not a key");
            assertThat(Keyring.load(dir.resolve("a.gpg")).fingerprints()).containsExactly(a.fingerprint);
            assertThat(Keyring.load(dir.resolve("b.asc")).fingerprints()).containsExactly(b.fingerprint);
            assertThat(Keyring.load(dir).fingerprints()).containsExactly(a.fingerprint, b.fingerprint);
            byte[] both = new byte[0];
            both = concat(a.publicBinary(), b.publicBinary());
            assertThat(Keyring.of(both, "both").size()).isEqualTo(2);
        }
    }

    @Test
    void garbageAndEmpty_areRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("junk.gpg"), "this is not a key\n");
        assertThatThrownBy(() -> Keyring.load(dir.resolve("junk.gpg"))).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("junk.gpg");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> Keyring.load(empty)).hasMessageContaining("no OpenPGP public keys in keyring directory");
        assertThatThrownBy(() -> Keyring.load(dir.resolve("missing.gpg"))).hasMessageContaining("cannot read keyring");
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] out = new byte[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}
