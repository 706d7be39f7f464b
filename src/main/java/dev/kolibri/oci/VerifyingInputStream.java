package dev.kolibri.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passes a blob through and, at its end, checks its digest (and size, when known). A mismatch throws the
 * exception {@code onMismatch} makes from the reason, from the read that reached the end (or went past the size),
 * so a consumer never finishes on corrupt data. Used for layout blobs and registry downloads alike.
 */
public final class VerifyingInputStream extends FilterInputStream {
    /** Makes the exception for a mismatch, given why ("its content hashes to sha256:..."). */
    public interface Mismatch {
        IOException because(String why);
    }

    private final MessageDigest md;
    private final Digest expected;
    private final long expectedSize;
    private final Mismatch onMismatch;
    private long count;
    private boolean checked;

    /** A blob of a layout: a mismatch is an {@link OciLayoutException} naming the file. */
    VerifyingInputStream(InputStream in, Digest expected, long expectedSize, Path path) {
        this(in, expected, expectedSize, why -> new OciLayoutException("blob " + expected + " at " + path
                + " is corrupt: " + why + " (the layout was modified or damaged; rebuild or re-pull it)"));
    }

    /** @param expectedSize the descriptor's size, or -1 to check the digest alone */
    public VerifyingInputStream(InputStream in, Digest expected, long expectedSize, Mismatch onMismatch) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.onMismatch = onMismatch;
        try {
            this.md = MessageDigest.getInstance(expected.algorithm().equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            md.update(b, off, n);
            count += n;
            if (expectedSize >= 0 && count > expectedSize) fail("it is longer than the " + expectedSize + " bytes its descriptor says");
        } else if (n < 0) {
            check();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check() throws IOException {
        if (checked) return;
        checked = true;
        if (expectedSize >= 0 && count != expectedSize) {
            fail("it has " + count + " bytes, its descriptor says " + expectedSize);
        }
        Digest actual = new Digest(expected.algorithm(), HexFormat.of().formatHex(md.digest()));
        if (!actual.equals(expected)) fail("its content hashes to " + actual);
    }

    private void fail(String why) throws IOException {
        checked = true;
        throw onMismatch.because(why);
    }
}
