package dev.kolibri.fs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The sha256 of file contents, by content array: filled by the {@link PayloadCache} (which keeps each file's digest
 * beside its bytes, so that a warm build hashes no package file again) and computed on demand for any other
 * content. One instance belongs to one build; it holds the arrays it was given, which the build's tree holds anyway.
 * Thread-safe.
 */
public final class ContentDigests {
    private final Map<byte[], byte[]> known = Collections.synchronizedMap(new IdentityHashMap<>());

    /** Records that {@code content} (this very array, not a copy) has the sha256 {@code digest}. */
    void remember(byte[] content, byte[] digest) {
        if (digest.length != 32) throw new IllegalArgumentException("a sha256 has 32 bytes, not " + digest.length);
        known.put(content, digest);
    }

    /** Whether this very array's digest is recorded. */
    boolean knows(byte[] content) {
        return known.containsKey(content);
    }

    /** The sha256 of {@code content}: known to it (cached payloads, spilled files), recorded, else computed. */
    public byte[] sha256(Content content) {
        if (content.knownSha256() != null) return content.knownSha256().clone();
        if (content instanceof Content.Bytes b) return sha256(b.array());
        byte[] d = knownContents.get(content);
        if (d == null) {
            d = content.sha256();
            knownContents.put(content, d);
        }
        return d.clone();
    }

    private final Map<Content, byte[]> knownContents = Collections.synchronizedMap(new IdentityHashMap<>());

    /** The sha256 of {@code content}: recorded, else computed (and recorded). */
    public byte[] sha256(byte[] content) {
        byte[] d = known.get(content);
        if (d != null) return d.clone();
        d = compute(content);
        known.put(content, d);
        return d.clone();
    }

    static byte[] compute(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }
}
