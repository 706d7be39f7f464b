package dev.kolibri.registry;

import dev.kolibri.oci.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passes a downloaded blob through and checks its digest (and size, when known) as the end is reached: the read
 * that meets the end, or a read past the expected size, throws {@link RegistryException} ({@code DIGEST_INVALID}).
 */
final class VerifyingStream extends FilterInputStream {
    private final MessageDigest md;
    private final Digest expected;
    private final long size;
    private final String where;
    private long count;
    private boolean checked;

    VerifyingStream(InputStream in, Digest expected, long size, String where) {
        super(in);
        this.expected = expected;
        this.size = size;
        this.where = where;
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
            if (size >= 0 && count > size) fail("it is longer than the " + size + " bytes its descriptor says");
        } else if (n < 0 && !checked) {
            checked = true;
            if (size >= 0 && count != size) fail("it has " + count + " bytes, its descriptor says " + size);
            Digest actual = new Digest(expected.algorithm(), HexFormat.of().formatHex(md.digest()));
            if (!actual.equals(expected)) fail("its content hashes to " + actual);
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

    private void fail(String why) throws RegistryException {
        checked = true;
        throw new RegistryException("DIGEST_INVALID", 200, false, "digest_invalid: " + where + ": blob " + expected
                + " is corrupt: " + why + "; the registry or a proxy damaged it, try again");
    }
}
