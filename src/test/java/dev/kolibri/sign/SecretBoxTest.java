package dev.kolibri.sign;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class SecretBoxTest {
    private static final HexFormat HEX = HexFormat.of();

    // libsodium test/default/secretbox.c (from NaCl's tests): firstkey, nonce, the 131-byte message after 32 zero bytes,
    // and the expected box from secretbox.exp (16-byte tag f3ffc770..., then the ciphertext).
    private static final byte[] KEY = HEX.parseHex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    private static final byte[] NONCE = HEX.parseHex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
    private static final byte[] MESSAGE = HEX.parseHex(
            "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705");
    private static final byte[] BOX = HEX.parseHex(
            "f3ffc7703f9400e52a7dfb4b3d3305d9"
                    + "8e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5");

    @Test
    void seal_naclTestVector_matchesPublishedBox() {
        assertThat(MESSAGE).hasSize(131);
        assertThat(HEX.formatHex(SecretBox.seal(MESSAGE, NONCE, KEY))).isEqualTo(HEX.formatHex(BOX));
    }

    @Test
    void open_naclTestVector_givesMessage() {
        assertThat(SecretBox.open(BOX, NONCE, KEY)).hasValueSatisfying(m -> assertThat(m).isEqualTo(MESSAGE));
    }

    @Test
    void seal_zeroKeyAndNonce_matchesLibsodiumBindingVector() {
        // luasodium's crypto_secretbox_easy test: zero key, zero nonce, "yay"
        byte[] box = SecretBox.seal("yay".getBytes(StandardCharsets.US_ASCII), new byte[24], new byte[32]);
        assertThat(HEX.formatHex(box)).isEqualTo("5483f80c8b74f180eaefc3049f3e2c03bf5fc2");
    }

    @Test
    void open_anyFlippedBit_refused() {
        for (int i = 0; i < BOX.length; i += 7) {
            byte[] bad = BOX.clone();
            bad[i] ^= 0x01;
            assertThat(SecretBox.open(bad, NONCE, KEY)).as("bit flipped in byte %d", i).isEmpty();
        }
    }

    @Test
    void open_wrongKeyOrNonce_refused() {
        byte[] key = KEY.clone();
        key[31] ^= 1;
        byte[] nonce = NONCE.clone();
        nonce[0] ^= 1;
        assertThat(SecretBox.open(BOX, NONCE, key)).isEmpty();
        assertThat(SecretBox.open(BOX, nonce, KEY)).isEmpty();
    }

    @Test
    void open_shorterThanTag_refused() {
        assertThat(SecretBox.open(new byte[15], NONCE, KEY)).isEmpty();
    }

    @Test
    void sealThenOpen_emptyMessage_roundTrips() {
        byte[] box = SecretBox.seal(new byte[0], NONCE, KEY);
        assertThat(box).hasSize(16);
        assertThat(SecretBox.open(box, NONCE, KEY)).hasValueSatisfying(m -> assertThat(m).isEmpty());
    }
}
