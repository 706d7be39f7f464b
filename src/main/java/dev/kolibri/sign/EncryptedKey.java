package dev.kolibri.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bouncycastle.crypto.generators.SCrypt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The password-protected container of go-securesystemslib's {@code encrypted} package, which cosign puts inside
 * its {@code ENCRYPTED SIGSTORE PRIVATE KEY} PEM block:
 * {@code {"kdf":{"name":"scrypt","params":{"N":..,"r":..,"p":..},"salt":b64},"cipher":{"name":"nacl/secretbox","nonce":b64},"ciphertext":b64}}.
 */
record EncryptedKey(Scrypt kdf, byte[] salt, byte[] nonce, byte[] ciphertext) {
    /** scrypt cost parameters. */
    record Scrypt(int n, int r, int p) {
        static final Scrypt LEGACY = new Scrypt(32768, 8, 1);
        static final Scrypt STANDARD = new Scrypt(65536, 8, 1);
        static final Scrypt OWASP = new Scrypt(131072, 8, 1);
        /** The sets go-securesystemslib accepts; anything else could be a memory bomb planted in a key file. */
        static final List<Scrypt> ACCEPTED = List.of(LEGACY, STANDARD, OWASP);

        @Override
        public String toString() {
            return "N=" + n + " r=" + r + " p=" + p;
        }
    }

    static final int SALT_BYTES = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    static EncryptedKey parse(byte[] json, String source) throws KeyException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new KeyException("the encrypted key in " + source + " is not JSON: " + GoJson.why(e), e);
        }
        if (root == null || !root.isObject()) throw new KeyException("the encrypted key in " + source + " is not a JSON object");
        String kdfName = root.path("kdf").path("name").asText("");
        if (!kdfName.equals("scrypt")) throw new KeyException("the key in " + source + " uses key derivation '" + kdfName + "'; only 'scrypt' is supported");
        String cipherName = root.path("cipher").path("name").asText("");
        if (!cipherName.equals("nacl/secretbox")) throw new KeyException("the key in " + source + " uses cipher '" + cipherName + "'; only 'nacl/secretbox' is supported");
        JsonNode params = root.path("kdf").path("params");
        Scrypt kdf = new Scrypt(params.path("N").asInt(-1), params.path("r").asInt(-1), params.path("p").asInt(-1));
        if (!Scrypt.ACCEPTED.contains(kdf)) {
            throw new KeyException("unsupported scrypt parameters " + kdf + " in " + source + ": expected N=32768, 65536 or 131072 with r=8 p=1 (as cosign writes)");
        }
        byte[] salt = base64(root.path("kdf").path("salt"), "kdf.salt", source);
        byte[] nonce = base64(root.path("cipher").path("nonce"), "cipher.nonce", source);
        if (nonce.length != SecretBox.NONCE_BYTES) throw new KeyException("the secretbox nonce in " + source + " has " + nonce.length + " bytes, expected 24");
        byte[] ciphertext = base64(root.path("ciphertext"), "ciphertext", source);
        return new EncryptedKey(kdf, salt, nonce, ciphertext);
    }

    private static byte[] base64(JsonNode n, String field, String source) throws KeyException {
        if (!n.isTextual()) throw new KeyException("the encrypted key in " + source + " has no '" + field + "'");
        try {
            return Base64.getDecoder().decode(n.asText());
        } catch (IllegalArgumentException e) {
            throw new KeyException("'" + field + "' in " + source + " is not valid base64", e);
        }
    }

    /** Seals {@code plaintext} under a key derived from {@code password}, with a fresh salt and nonce. */
    static EncryptedKey encrypt(byte[] plaintext, char[] password, Scrypt kdf, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[SecretBox.NONCE_BYTES];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        byte[] key = derive(password, salt, kdf);
        try {
            return new EncryptedKey(kdf, salt, nonce, SecretBox.seal(plaintext, nonce, key));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The plaintext; a wrong password (or an altered file) gives a KeyException saying so. */
    byte[] decrypt(char[] password, String source) throws KeyException {
        byte[] key = derive(password, salt, kdf);
        try {
            return SecretBox.open(ciphertext, nonce, key).orElseThrow(() -> new KeyException(
                    "wrong password for " + source + " (or the key file was altered): set KOLIBRI_PASSWORD or COSIGN_PASSWORD to the key's password"));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    byte[] toJson() {
        Base64.Encoder b64 = Base64.getEncoder();
        return GoJson.bytes(new GoJson.Struct()
                .put("kdf", new GoJson.Struct()
                        .put("name", "scrypt")
                        .put("params", new GoJson.Struct().put("N", kdf.n()).put("r", kdf.r()).put("p", kdf.p()))
                        .put("salt", b64.encodeToString(salt)))
                .put("cipher", new GoJson.Struct().put("name", "nacl/secretbox").put("nonce", b64.encodeToString(nonce)))
                .put("ciphertext", b64.encodeToString(ciphertext)));
    }

    /** scrypt over the password's UTF-8 bytes (Go passes the password as a byte string), 32 bytes out. */
    private static byte[] derive(char[] password, byte[] salt, Scrypt kdf) {
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] pass = new byte[utf8.remaining()];
        utf8.get(pass);
        try {
            return SCrypt.generate(pass, salt, kdf.n(), kdf.r(), kdf.p(), SecretBox.KEY_BYTES);
        } finally {
            Arrays.fill(pass, (byte) 0);
            if (utf8.hasArray()) Arrays.fill(utf8.array(), (byte) 0);
        }
    }
}
