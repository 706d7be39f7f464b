package dev.kolibri.sign;

import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** openssl is the oracle: its signatures verify with our Signer, ours verify with {@code openssl dgst -verify}. */
class SignerTest {
    private static final byte[] DATA = "{\"critical\":{\"type\":\"cosign container image signature\"}}\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void verify_signatureMadeByOpenssl_accepted(@TempDir Path dir) throws Exception {
        Tools.require("openssl");
        Tools.ok(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        Tools.ok(dir, "openssl", "pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
        Files.write(dir.resolve("data.bin"), DATA);
        Tools.ok(dir, "openssl", "dgst", "-sha256", "-sign", "key.pem", "-out", "sig.bin", "data.bin");

        PublicKey pub = CosignKeys.readPublic(dir.resolve("pub.pem"));
        byte[] sig = Files.readAllBytes(dir.resolve("sig.bin"));
        assertThat(Signer.verify(pub, DATA, sig)).isTrue();
        byte[] other = DATA.clone();
        other[0] = '[';
        assertThat(Signer.verify(pub, other, sig)).isFalse();
    }

    @Test
    void sign_verifiedByOpenssl(@TempDir Path dir) throws Exception {
        Tools.require("openssl");
        KeyPair pair = CosignKeys.generate();
        Files.write(dir.resolve("pub.pem"), CosignKeys.writePublic(pair.getPublic()));
        Files.write(dir.resolve("data.bin"), DATA);
        Files.write(dir.resolve("sig.bin"), Signer.sign(pair.getPrivate(), DATA));
        Tools.Result ok = Tools.ok(dir, "openssl", "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.bin", "data.bin");
        assertThat(ok.out()).contains("Verified OK");

        Files.write(dir.resolve("data.bin"), "tampered".getBytes(StandardCharsets.UTF_8));
        List<String> cmd = List.of("openssl", "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.bin", "data.bin");
        assertThat(Tools.run(dir, Map.of(), cmd).exit()).isNotZero();
    }

    @Test
    void pkcs8_readByOpenssl_givesTheSamePublicKey(@TempDir Path dir) throws Exception {
        Tools.require("openssl");
        KeyPair pair = CosignKeys.generate();
        Files.write(dir.resolve("key.der"), CosignKeys.pkcs8(pair));
        Tools.ok(dir, "openssl", "pkey", "-inform", "DER", "-in", "key.der", "-pubout", "-out", "pub.pem");
        assertThat(Files.readString(dir.resolve("pub.pem"))).isEqualTo(new String(CosignKeys.writePublic(pair.getPublic()), StandardCharsets.US_ASCII));
    }

    @Test
    void verify_malformedSignature_false() throws Exception {
        KeyPair pair = CosignKeys.generate();
        assertThat(Signer.verify(pair.getPublic(), DATA, new byte[0])).isFalse();
        assertThat(Signer.verify(pair.getPublic(), DATA, "not DER at all".getBytes(StandardCharsets.UTF_8))).isFalse();
        byte[] sig = Signer.sign(pair.getPrivate(), DATA);
        sig[sig.length - 1] ^= 1;
        assertThat(Signer.verify(pair.getPublic(), DATA, sig)).isFalse();
    }

    @Test
    void verify_otherKey_false() throws Exception {
        byte[] sig = Signer.sign(CosignKeys.generate().getPrivate(), DATA);
        assertThat(Signer.verify(CosignKeys.generate().getPublic(), DATA, sig)).isFalse();
    }

    @Test
    void sign_rsaKey_refused() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair rsa = g.generateKeyPair();
        assertThatThrownBy(() -> Signer.sign(rsa.getPrivate(), DATA)).isInstanceOf(KeyException.class).hasMessageContaining("only ECDSA P-256");
    }
}
