package dev.kolibri.sign;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Vectors from go-securesystemslib's encrypted_test.go (the package cosign seals its keys with). */
class EncryptedKeyTest {
    private static final char[] SUPERSECRET = "supersecret".toCharArray();
    private static final String PLAINTEXT = "reallyimportant";

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decrypt_goSecuresystemslibVectors_allThreeKdfStrengths() throws Exception {
        String[] vectors = {
                "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"WO3mVvyTwJ9vwT5/Tk5OW5WPIBUofMjcpEfrLnfY4uA=\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"tCy7HcTFr4uxv4Nrg/DWmncuZ148U1MX\"},\"ciphertext\":\"08n43p5G5yviPEZpO7tPPF4aZQkWiWjkv4taFdhDBA0tamKH4nw=\"}",
                "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":65536,\"r\":8,\"p\":1},\"salt\":\"FhzPOt9/bJG4PTq6lQ6ecG6GzaOuOy/ynG5+yRiFlNs=\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"aw1ng1jHaDz/tQ7V2gR9O2+IGQ8xJEuE\"},\"ciphertext\":\"HycvuLZL4sYH0BrYTh4E/H20VtAW6u5zL5Pr+IBjYLYnCPzDkq8=\"}",
                "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":131072,\"r\":8,\"p\":1},\"salt\":\"m38E3kouJTtiheLQN22NQ8DTito5hrjpUIskqcd375k=\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"Y6PM13yA+o44pE/W1ZBwczeGnTV/m9Zc\"},\"ciphertext\":\"6H8sqj1K6B6yDjtH5AQ6lbFigg/C2yDDJc4rYJ79w9aVPImFIPI=\"}",
        };
        // these go through encrypted.Marshal, which seals the JSON of the []byte: a quoted base64 string
        String sealedJson = "\"" + java.util.Base64.getEncoder().encodeToString(json(PLAINTEXT)) + "\"";
        for (String v : vectors) {
            byte[] plain = EncryptedKey.parse(json(v), "vector").decrypt(SUPERSECRET, "vector");
            assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(sealedJson);
        }
    }

    @Test
    void decrypt_wrongPassword_saysSo() throws Exception {
        EncryptedKey k = EncryptedKey.parse(json("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"N9a7x5JFGbrtB2uBR81jPwp0eiLR4A7FV3mjVAQrg1g=\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"2h8HxMmgRfuYdpswZBQaU3xJ1nkA/5Ik\"},\"ciphertext\":\"SEW6sUh0jf2wfdjJGPNS9+bkk2uB+Cxamf32zR8XkQ==\"}"), "k.key");
        assertThat(new String(k.decrypt(SUPERSECRET, "k.key"), StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
        assertThatThrownBy(() -> k.decrypt("Supersecret".toCharArray(), "k.key"))
                .isInstanceOf(KeyException.class).hasMessageStartingWith("wrong password for k.key");
    }

    @Test
    void parse_unsupportedScryptParameters_refusedBeforeDeriving() {
        // go-securesystemslib's TestUnsupportedKDFParameters: N=99 r=99 p=99 must be refused, not run
        byte[] v = json("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":99,\"r\":99,\"p\":99},\"salt\":\"cZFcQJdwPhPyhU1R4qkl0qVOIjZd4V/7LYYAavq166k=\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"7vhRS7j0hEPBWV05skAdgLj81AkGeE7U\"},\"ciphertext\":\"6WYU/YSXVbYzl/NzaeAzmjLyfFhOOjLc0d8/GFV0aBFdJvyCcXc=\"}");
        assertThatThrownBy(() -> EncryptedKey.parse(v, "evil.key"))
                .isInstanceOf(KeyException.class).hasMessageContaining("unsupported scrypt parameters N=99 r=99 p=99 in evil.key");
    }

    @Test
    void parse_otherCipherOrKdf_refused() {
        assertThatThrownBy(() -> EncryptedKey.parse(json("{\"kdf\":{\"name\":\"pbkdf2\"},\"cipher\":{\"name\":\"nacl/secretbox\"}}"), "x"))
                .isInstanceOf(KeyException.class).hasMessageContaining("'pbkdf2'");
        assertThatThrownBy(() -> EncryptedKey.parse(json("{\"kdf\":{\"name\":\"scrypt\"},\"cipher\":{\"name\":\"aes-gcm\"}}"), "x"))
                .isInstanceOf(KeyException.class).hasMessageContaining("'aes-gcm'");
        assertThatThrownBy(() -> EncryptedKey.parse(json("not json"), "x"))
                .isInstanceOf(KeyException.class).hasMessageContaining("is not JSON");
    }

    @Test
    void parse_badNonceLength_refused() {
        byte[] v = json("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"AAAA\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AAAA\"},\"ciphertext\":\"AAAA\"}");
        assertThatThrownBy(() -> EncryptedKey.parse(v, "x")).isInstanceOf(KeyException.class).hasMessageContaining("nonce").hasMessageContaining("24");
    }

    @Test
    void encrypt_thenJsonThenParse_decrypts() throws Exception {
        EncryptedKey k = EncryptedKey.encrypt(json(PLAINTEXT), "pw".toCharArray(), EncryptedKey.Scrypt.LEGACY, new SecureRandom());
        String text = new String(k.toJson(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":32768,\"r\":8,\"p\":1},\"salt\":\"")
                .contains("\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"").contains("\"ciphertext\":\"");
        EncryptedKey back = EncryptedKey.parse(k.toJson(), "k");
        assertThat(back.salt()).hasSize(32);
        assertThat(back.nonce()).hasSize(24);
        assertThat(new String(back.decrypt("pw".toCharArray(), "k"), StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
    }
}
