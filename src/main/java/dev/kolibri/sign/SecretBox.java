package dev.kolibri.sign;

import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * NaCl's {@code crypto_secretbox} (XSalsa20-Poly1305), as Go's {@code nacl/secretbox} writes it: the output is the
 * 16-byte Poly1305 tag followed by the ciphertext. The first 32 bytes of the XSalsa20 key stream are the one-time
 * Poly1305 key; the message is encrypted with the key stream from byte 32 on, and the tag covers the ciphertext.
 */
final class SecretBox {
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 24;
    static final int TAG_BYTES = 16;

    private SecretBox() {}

    static byte[] seal(byte[] message, byte[] nonce, byte[] key) {
        XSalsa20Engine stream = stream(nonce, key);
        byte[] polyKey = keyStream(stream, 32);
        byte[] out = new byte[TAG_BYTES + message.length];
        stream.processBytes(message, 0, message.length, out, TAG_BYTES);
        byte[] tag = mac(polyKey, out, TAG_BYTES, message.length);
        System.arraycopy(tag, 0, out, 0, TAG_BYTES);
        return out;
    }

    /** The message, or empty when the box was not sealed with this key and nonce (or was altered). */
    static Optional<byte[]> open(byte[] box, byte[] nonce, byte[] key) {
        if (box.length < TAG_BYTES) return Optional.empty();
        XSalsa20Engine stream = stream(nonce, key);
        byte[] polyKey = keyStream(stream, 32);
        byte[] tag = mac(polyKey, box, TAG_BYTES, box.length - TAG_BYTES);
        if (!MessageDigest.isEqual(tag, Arrays.copyOf(box, TAG_BYTES))) return Optional.empty();
        byte[] message = new byte[box.length - TAG_BYTES];
        stream.processBytes(box, TAG_BYTES, message.length, message, 0);
        return Optional.of(message);
    }

    private static XSalsa20Engine stream(byte[] nonce, byte[] key) {
        if (key.length != KEY_BYTES) throw new IllegalArgumentException("secretbox key must be 32 bytes, got " + key.length);
        if (nonce.length != NONCE_BYTES) throw new IllegalArgumentException("secretbox nonce must be 24 bytes, got " + nonce.length);
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return engine;
    }

    private static byte[] keyStream(XSalsa20Engine stream, int n) {
        byte[] out = new byte[n];
        stream.processBytes(new byte[n], 0, n, out, 0);
        return out;
    }

    private static byte[] mac(byte[] polyKey, byte[] data, int off, int len) {
        Poly1305 poly = new Poly1305();
        poly.init(new KeyParameter(polyKey));
        poly.update(data, off, len);
        byte[] tag = new byte[TAG_BYTES];
        poly.doFinal(tag, 0);
        return tag;
    }
}
