package dev.kolibri.oci;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip member writer with a fixed header: no mtime (0), no file name, no comment, OS byte 255 ("unknown", as Go's
 * compress/gzip writes). The deflate stream comes from the JDK's zlib, so the bytes depend only on the input, the
 * level and the zlib build.
 */
final class GzipWriter extends OutputStream {
    private static final int OS_UNKNOWN = 255;
    private final OutputStream out;
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[1 << 16];
    private long size;
    private boolean closed;

    GzipWriter(OutputStream out, int level) throws IOException {
        this.out = out;
        this.deflater = new Deflater(level, true);
        int xfl = level == 9 ? 2 : level == 1 ? 4 : 0;
        out.write(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) xfl, (byte) OS_UNKNOWN});
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("gzip stream already closed");
        if (len == 0) return;
        crc.update(b, off, len);
        size += len;
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) drain();
    }

    private void drain() throws IOException {
        int n = deflater.deflate(buf, 0, buf.length, Deflater.NO_FLUSH);
        if (n > 0) out.write(buf, 0, n);
    }

    /** Does not flush the deflater: a sync flush would change the bytes. */
    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            deflater.finish();
            while (!deflater.finished()) drain();
            long c = crc.getValue();
            out.write(new byte[]{(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                    (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
        } finally {
            deflater.end();
            out.close();
        }
    }
}
