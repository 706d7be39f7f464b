package dev.kolibri.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passes a blob through and, at its end, checks its digest (and size, when known). A mismatch throws
 * {@link OciLayoutException} from the read that reached the end, so a consumer never finishes on corrupt data.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final MessageDigest md;
    private final Digest expected;
    private final long expectedSize;
    private final Path path;
    private long count;
    private boolean checked;

    /** @param expectedSize the descriptor's size, or -1 to check the digest alone */
    VerifyingInputStream(InputStream in, Digest expected, long expectedSize, Path path) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.path = path;
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

    private void fail(String why) throws OciLayoutException {
        checked = true;
        throw new OciLayoutException("blob " + expected + " at " + path + " is corrupt: " + why
                + " (the layout was modified or damaged; rebuild or re-pull it)");
    }
}
