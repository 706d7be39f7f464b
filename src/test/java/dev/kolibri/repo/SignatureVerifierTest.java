package dev.kolibri.repo;

import dev.kolibri.testing.GpgFixture;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignatureVerifierTest {
    static GpgFixture ed;
    static GpgFixture rsa;
    static GpgFixture sub;
    static GpgFixture other;

    static final byte[] RELEASE = """
            Origin: Test
            Suite: stable
            Codename: test
            Description: a line with trailing spaces  \t
            - a line that starts with a dash
            -----BEGIN nothing
            SHA256:
             0123 12 main/binary-amd64/Packages
            """.getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void keys() throws Exception {
        Tools.require("gpg", "gpgv");
        ed = GpgFixture.create("ed25519");
        rsa = GpgFixture.create("rsa3072");
        sub = GpgFixture.create("ed25519", true, null);
        other = GpgFixture.create("ed25519");
    }

    @AfterAll
    static void stop() {
        for (GpgFixture g : new GpgFixture[] {ed, rsa, sub, other}) if (g != null) g.close();
    }

    @Test
    void clearsigned_returnsWhatGpgvConsidersSigned() throws Exception {
        byte[] signed = ed.clearsign(RELEASE);
        byte[] text = SignatureVerifier.verifyClearsigned(signed, ed.keyring(), "InRelease");
        Path dir = Files.createTempDirectory("gpgv");
        Files.write(dir.resolve("k.gpg"), ed.publicBinary());
        Files.write(dir.resolve("InRelease"), signed);
        Tools.ok(dir, "gpgv", "--keyring", dir.resolve("k.gpg").toString(), "--output", "out", "InRelease");
        String gpgvText = Files.readString(dir.resolve("out"), StandardCharsets.ISO_8859_1);
        // gpg keeps trailing whitespace in its output though it is not signed; we drop it
        assertThat(new String(text, StandardCharsets.ISO_8859_1))
                .isEqualTo(gpgvText.replaceAll("[ \t]+\n", "\n"))
                .contains("- a line that starts with a dash\n-----BEGIN nothing\n");
    }

    @Test
    void clearsigned_rsaSha512_armoredKeyring() throws Exception {
        byte[] signed = rsa.clearsign(RELEASE, "--digest-algo", "SHA512");
        assertThat(new String(signed, StandardCharsets.US_ASCII)).contains("Hash: SHA512");
        Keyring armored = Keyring.of(rsa.publicArmored(), "armored");
        assertThat(SignatureVerifier.verifyClearsigned(signed, armored, "InRelease")).isNotEmpty();
    }

    @Test
    void clearsigned_bySigningSubkey() throws Exception {
        assertThat(sub.allFingerprints()).hasSize(2);
        byte[] signed = sub.clearsign(RELEASE);
        assertThat(SignatureVerifier.verifyClearsigned(signed, sub.keyring(), "InRelease")).isNotEmpty();
    }

    @Test
    void clearsigned_twoSignatures_oneKnownIsEnough() throws Exception {
        try (GpgFixture both = GpgFixture.create("ed25519")) {
            both.importSecretOf(other);
            byte[] signed = both.clearsign(RELEASE, "-u", both.fingerprint, "-u", other.fingerprint);
            assertThat(SignatureVerifier.verifyClearsigned(signed, other.keyring(), "InRelease")).isNotEmpty();
            assertThat(SignatureVerifier.verifyClearsigned(signed, both.keyring(), "InRelease")).isNotEmpty();
            assertThatThrownBy(() -> SignatureVerifier.verifyClearsigned(signed, ed.keyring(), "InRelease"))
                    .hasMessageContaining("unknown key " + both.fingerprint)
                    .hasMessageContaining("unknown key " + other.fingerprint);
        }
    }

    @Test
    void clearsigned_byAnotherKey_namesTheKey() throws Exception {
        byte[] signed = other.clearsign(RELEASE);
        assertThatThrownBy(() -> SignatureVerifier.verifyClearsigned(signed, ed.keyring(), "http://127.0.0.1/dists/x/InRelease"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageStartingWith("http://127.0.0.1/dists/x/InRelease: signed by unknown key " + other.fingerprint)
                .hasMessageContaining("test-keyring");
    }

    @Test
    void clearsigned_tampered_isABadSignature() throws Exception {
        String signed = new String(ed.clearsign(RELEASE), StandardCharsets.ISO_8859_1);
        byte[] tampered = signed.replace("Codename: test", "Codename: tesT").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> SignatureVerifier.verifyClearsigned(tampered, ed.keyring(), "InRelease"))
                .hasMessageContaining("InRelease: bad signature by key " + ed.fingerprint);
    }

    @Test
    void clearsigned_textOutsideTheSignedPart_isRefused() throws Exception {
        String signed = new String(ed.clearsign(RELEASE), StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> SignatureVerifier.verifyClearsigned(("Suite: evil\n" + signed).getBytes(StandardCharsets.ISO_8859_1), ed.keyring(), "InRelease"))
                .hasMessageContaining("text before the signed message");
        assertThatThrownBy(() -> SignatureVerifier.verifyClearsigned((signed + "Suite: evil\n").getBytes(StandardCharsets.ISO_8859_1), ed.keyring(), "InRelease"))
                .hasMessageContaining("text after the signature");
    }

    @Test
    void unsigned_isRefused() {
        assertThatThrownBy(() -> SignatureVerifier.verifyClearsigned(RELEASE, ed.keyring(), "InRelease"))
                .hasMessage("InRelease: no OpenPGP signature (not a clearsigned message)");
    }

    @Test
    void weakDigest_isRefused() throws Exception {
        byte[] signed = rsa.clearsign(RELEASE, "--digest-algo", "SHA1");
        assertThatThrownBy(() -> SignatureVerifier.verifyClearsigned(signed, rsa.keyring(), "InRelease"))
                .hasMessageContaining("weak digest (SHA-1)");
    }

    @Test
    void expiredKey_isRefused() throws Exception {
        try (GpgFixture old = GpgFixture.create("ed25519", false, "20200101T000000", "sign", "1y")) {
            byte[] signed = old.clearsignAt(RELEASE, "20200601T000000");
            assertThatThrownBy(() -> SignatureVerifier.verifyClearsigned(signed, old.keyring(), "InRelease"))
                    .hasMessageContaining("key " + old.fingerprint + " expired on 2020-12-31");
        }
    }

    @Test
    void revokedKey_isRefused() throws Exception {
        try (GpgFixture g = GpgFixture.create("ed25519")) {
            byte[] signed = g.clearsign(RELEASE);
            Path rev = g.home.resolve("openpgp-revocs.d").resolve(g.fingerprint + ".rev");
            String cert = Files.readString(rev).replace(":-----BEGIN", "-----BEGIN");
            Files.writeString(rev, cert);
            g.gpg(null, "--import", rev.toString());
            assertThatThrownBy(() -> SignatureVerifier.verifyClearsigned(signed, g.keyring(), "InRelease"))
                    .hasMessageContaining("key " + g.fingerprint + " is revoked");
        }
    }

    @Test
    void detached_binaryAndArmored() throws Exception {
        SignatureVerifier.verifyDetached(RELEASE, ed.detachSign(RELEASE, false), ed.keyring(), "Release.gpg");
        SignatureVerifier.verifyDetached(RELEASE, rsa.detachSign(RELEASE, true), rsa.keyring(), "Release.gpg");
        SignatureVerifier.verifyDetached(RELEASE, sub.detachSign(RELEASE, true), sub.keyring(), "Release.gpg");
        byte[] changed = RELEASE.clone();
        changed[3] ^= 1;
        assertThatThrownBy(() -> SignatureVerifier.verifyDetached(changed, ed.detachSign(RELEASE, true), ed.keyring(), "Release.gpg"))
                .hasMessageContaining("Release.gpg: bad signature by key " + ed.fingerprint);
        assertThatThrownBy(() -> SignatureVerifier.verifyDetached(RELEASE, "junk".getBytes(), ed.keyring(), "Release.gpg"))
                .isInstanceOf(RepositoryException.class).hasMessageStartingWith("Release.gpg: ");
        assertThatThrownBy(() -> SignatureVerifier.verifyDetached(RELEASE, other.detachSign(RELEASE, false), ed.keyring(), "Release.gpg"))
                .hasMessageContaining("unknown key " + other.fingerprint);
    }

    @Test
    void gpgvAgrees_onTheTamperedFile() throws Exception {
        // the oracle: gpgv also rejects what we reject
        String signed = new String(ed.clearsign(RELEASE), StandardCharsets.ISO_8859_1);
        Path dir = Files.createTempDirectory("gpgv");
        Files.write(dir.resolve("k.gpg"), ed.publicBinary());
        Files.writeString(dir.resolve("InRelease"), signed.replace("Origin: Test", "Origin: Tesx"), StandardCharsets.ISO_8859_1);
        Tools.Result r = Tools.run(dir, Map.of(), List.of("gpgv", "--keyring", dir.resolve("k.gpg").toString(), "InRelease"));
        assertThat(r.exit()).isNotZero();
    }
}
