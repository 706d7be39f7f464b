package dev.kolibri.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CosignKeysTest {
    private static final char[] EMPTY = new char[0];
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readPrivate_cosignGeneratedKeyWithEmptyPassword_publicKeyEqualsCosignPub() throws Exception {
        KeyPair pair = CosignKeys.readPrivate(Vectors.file("cosign-generated.key"), EMPTY);
        byte[] pub = Files.readAllBytes(Vectors.file("cosign-generated.pub"));
        assertThat(new String(CosignKeys.writePublic(pair.getPublic()), StandardCharsets.US_ASCII))
                .isEqualTo(new String(pub, StandardCharsets.US_ASCII));
        assertThat(pair.getPublic()).isEqualTo(CosignKeys.readPublic(pub));
    }

    @Test
    void readPrivate_cosignGeneratedKey_signsWhatItsPubVerifies() throws Exception {
        KeyPair pair = CosignKeys.readPrivate(Vectors.file("cosign-generated.key"), EMPTY);
        PublicKey pub = CosignKeys.readPublic(Vectors.file("cosign-generated.pub"));
        byte[] payload = "{\"critical\":{}}".getBytes(StandardCharsets.UTF_8);
        byte[] sig = Signer.sign(pair.getPrivate(), payload);
        assertThat(Signer.verify(pub, payload, sig)).isTrue();
        assertThat(Signer.verify(pub, "{\"critical\":{ }}".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    }

    @Test
    void readPrivate_wrongPassword_clearMessage() {
        Path key = Vectors.file("cosign-generated.key");
        assertThatThrownBy(() -> CosignKeys.readPrivate(key, "not-it".toCharArray()))
                .isInstanceOf(KeyException.class)
                .hasMessageStartingWith("wrong password for " + key)
                .hasMessageContaining("KOLIBRI_PASSWORD");
    }

    @Test
    void pkcs8_ofCosignKey_isByteForByteWhatCosignSealed() throws Exception {
        // decrypt the vector ourselves and compare our PKCS#8 encoding of the same key with cosign's (Go's) bytes
        byte[] pem = Files.readAllBytes(Vectors.file("cosign-generated.key"));
        byte[] cosignPkcs8 = EncryptedKey.parse(Pem.decode(pem, "v").bytes(), "v").decrypt(EMPTY, "v");
        KeyPair pair = CosignKeys.readPrivate(pem, EMPTY);
        assertThat(CosignKeys.pkcs8(pair)).isEqualTo(cosignPkcs8);
    }

    @Test
    void writePrivate_usesTheVectorsContainerLayoutAndParameters() throws Exception {
        JsonNode vector = JSON.readTree(Pem.decode(Files.readAllBytes(Vectors.file("cosign-generated.key")), "v").bytes());
        byte[] ours = CosignKeys.writePrivate(CosignKeys.generate(), "pw".toCharArray());
        Pem block = Pem.decode(ours, "ours");
        assertThat(block.type()).isEqualTo("ENCRYPTED SIGSTORE PRIVATE KEY");
        JsonNode mine = JSON.readTree(block.bytes());
        assertThat(mine.path("kdf").path("params")).isEqualTo(vector.path("kdf").path("params"));
        assertThat(mine.path("kdf").path("name")).isEqualTo(vector.path("kdf").path("name"));
        assertThat(mine.path("cipher").path("name")).isEqualTo(vector.path("cipher").path("name"));
        assertThat(b64len(mine.path("kdf").path("salt"))).isEqualTo(b64len(vector.path("kdf").path("salt")));
        assertThat(b64len(mine.path("cipher").path("nonce"))).isEqualTo(b64len(vector.path("cipher").path("nonce")));
        // same plaintext size (a P-256 PKCS#8 in Go's layout) -> same ciphertext size
        assertThat(b64len(mine.path("ciphertext"))).isEqualTo(b64len(vector.path("ciphertext")));
        assertThat(fieldNames(mine)).isEqualTo(fieldNames(vector));
    }

    private static int b64len(JsonNode n) {
        return java.util.Base64.getDecoder().decode(n.asText()).length;
    }

    private static String fieldNames(JsonNode n) {
        StringBuilder b = new StringBuilder();
        n.fieldNames().forEachRemaining(f -> b.append(f).append('(').append(n.get(f).isObject() ? fieldNames(n.get(f)) : "").append(')'));
        return b.toString();
    }

    @Test
    void generate_writeRead_roundTrip(@TempDir Path dir) throws Exception {
        KeyPair pair = CosignKeys.generate();
        Path key = dir.resolve("cosign.key");
        Path pub = dir.resolve("cosign.pub");
        Files.write(key, CosignKeys.writePrivate(pair, "s3cret ünïcode".toCharArray()));
        Files.write(pub, CosignKeys.writePublic(pair.getPublic()));
        KeyPair back = CosignKeys.readPrivate(key, "s3cret ünïcode".toCharArray());
        assertThat(back.getPrivate()).isEqualTo(pair.getPrivate());
        assertThat(back.getPublic()).isEqualTo(pair.getPublic());
        assertThat(CosignKeys.readPublic(pub)).isEqualTo(pair.getPublic());
        assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n").endsWith("-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
        assertThatThrownBy(() -> CosignKeys.readPrivate(key, "s3cret unicode".toCharArray())).hasMessageStartingWith("wrong password for " + key);
    }

    @Test
    void writePrivate_twice_freshSaltAndNonce() throws Exception {
        KeyPair pair = CosignKeys.generate();
        JsonNode a = JSON.readTree(Pem.decode(CosignKeys.writePrivate(pair, EMPTY), "a").bytes());
        JsonNode b = JSON.readTree(Pem.decode(CosignKeys.writePrivate(pair, EMPTY), "b").bytes());
        assertThat(a.path("kdf").path("salt")).isNotEqualTo(b.path("kdf").path("salt"));
        assertThat(a.path("cipher").path("nonce")).isNotEqualTo(b.path("cipher").path("nonce"));
    }

    @Test
    void readPrivate_olderCosignPemType_accepted() throws Exception {
        KeyPair pair = CosignKeys.generate();
        String pem = new String(CosignKeys.writePrivate(pair, EMPTY), StandardCharsets.US_ASCII).replace("SIGSTORE", "COSIGN");
        assertThat(CosignKeys.readPrivate(pem.getBytes(StandardCharsets.US_ASCII), EMPTY).getPublic()).isEqualTo(pair.getPublic());
    }

    @Test
    void readPrivate_publicKeyFile_namesTheProblem() {
        Path pub = Vectors.file("cosign-generated.pub");
        assertThatThrownBy(() -> CosignKeys.readPrivate(pub, EMPTY))
                .isInstanceOf(KeyException.class).hasMessageContaining(pub.toString()).hasMessageContaining("'PUBLIC KEY'");
    }

    @Test
    void readPrivate_notPem_or_missingFile_refused(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.key"), "hello");
        assertThatThrownBy(() -> CosignKeys.readPrivate(junk, EMPTY)).isInstanceOf(KeyException.class).hasMessageContaining("no PEM block in " + junk);
        assertThatThrownBy(() -> CosignKeys.readPrivate(dir.resolve("absent.key"), EMPTY)).isInstanceOf(KeyException.class).hasMessageContaining("cannot read key file");
    }

    @Test
    void readPrivate_sealedGarbage_saysItIsNotAKey() throws Exception {
        EncryptedKey sealed = EncryptedKey.encrypt("not a key".getBytes(StandardCharsets.UTF_8), EMPTY, EncryptedKey.Scrypt.LEGACY, new java.security.SecureRandom());
        byte[] pem = new Pem(CosignKeys.SIGSTORE_PEM_TYPE, sealed.toJson()).encode();
        assertThatThrownBy(() -> CosignKeys.readPrivate(pem, EMPTY)).isInstanceOf(KeyException.class).hasMessageContaining("not a PKCS#8 private key");
    }

    @Test
    void readPublic_otherCurve_refused(@TempDir Path dir) throws Exception {
        dev.kolibri.testing.Tools.require("openssl");
        dev.kolibri.testing.Tools.ok(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "k.pem");
        dev.kolibri.testing.Tools.ok(dir, "openssl", "pkey", "-in", "k.pem", "-pubout", "-out", "p.pem");
        assertThatThrownBy(() -> CosignKeys.readPublic(dir.resolve("p.pem")))
                .isInstanceOf(KeyException.class).hasMessageContaining("not an ECDSA P-256 public key");
    }
}
