package dev.kolibri.oci;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Passes bytes through while counting them and computing their sha256. */
final class DigestingOutputStream extends FilterOutputStream {
    private final MessageDigest md = Digest.newSha256();
    private long count;

    DigestingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        md.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        md.update(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }

    /** The digest of everything written; call once, after the last write. */
    Digest digest() {
        return Digest.ofSha256Hex(HexFormat.of().formatHex(md.digest()));
    }
}
