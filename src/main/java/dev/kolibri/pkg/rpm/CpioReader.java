package dev.kolibri.pkg.rpm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads rpm's cpio payload: SVR4 "newc" members ({@code 070701}, no CRC) and rpm's stripped members
 * ({@code 07070X}: only a file index, metadata and size come from the header). Names and sizes are bounded.
 */
final class CpioReader {
    static final int MAX_NAME = 4096 * 4;

    /** One member header; {@code fileIndex} is set for stripped members (then {@code name} is null). */
    record Member(String name, int fileIndex, long ino, int mode, long nlink, long size, boolean trailer) {}

    private final InputStream in;
    private final String what;
    private long position;

    CpioReader(InputStream in, String what) {
        this.in = in;
        this.what = what;
    }

    /** The next member header; its data must then be consumed with {@link #readData} or {@link #skipData}. */
    Member next() throws IOException {
        align();
        byte[] magic = exactly(6);
        String m = new String(magic, StandardCharsets.US_ASCII);
        if (m.equals("07070X")) {
            long idx = hex(exactly(8), 0);
            if (idx > Integer.MAX_VALUE) throw bad("stripped cpio member with file index " + idx);
            align();
            return new Member(null, (int) idx, 0, 0, 1, -1, false);
        }
        if (!m.equals("070701") && !m.equals("070702")) {
            throw bad("bad cpio magic '" + printable(magic) + "' at payload offset " + (position - 6) + " (expected 070701)");
        }
        byte[] h = exactly(104);
        long ino = hex(h, 0), mode = hex(h, 1), nlink = hex(h, 4), size = hex(h, 6), nameSize = hex(h, 11);
        if (nameSize < 1 || nameSize > MAX_NAME) throw bad("cpio member name of " + nameSize + " bytes");
        byte[] name = exactly((int) nameSize);
        if (name[name.length - 1] != 0) throw bad("cpio member name is not NUL-terminated");
        String n = new String(name, 0, name.length - 1, StandardCharsets.UTF_8);
        align();
        boolean trailer = n.equals("TRAILER!!!");
        return new Member(n, -1, ino, (int) mode, nlink, size, trailer);
    }

    byte[] readData(long size, long max) throws IOException {
        if (size > max) throw bad("member of " + size + " bytes exceeds the bound of " + max + " bytes");
        return exactly((int) size);
    }

    /** Hands the member's {@code size} bytes to {@code sink} as a stream, without holding them here. */
    dev.kolibri.fs.Content takeData(String member, long size, dev.kolibri.fs.ContentSink sink) throws IOException {
        InputStream bounded = new java.io.FilterInputStream(in) {
            private long left = size;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) return -1;
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n < 0) throw bad("payload ends inside member '" + member + "' (truncated)");
                left -= n;
                position += n;
                return n;
            }

            @Override
            public void close() {
                // the payload stream belongs to the reader
            }
        };
        return sink.take(member, size, bounded);
    }

    void skipData(long size) throws IOException {
        long left = size;
        while (left > 0) {
            long n = in.skip(left);
            if (n <= 0) {
                if (in.read() < 0) throw bad("payload ends inside a member (truncated)");
                n = 1;
            }
            left -= n;
        }
        position += size;
    }

    private void align() throws IOException {
        int pad = (int) ((4 - (position & 3)) & 3);
        if (pad > 0) exactly(pad);
    }

    private byte[] exactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw bad("payload ends inside a cpio member (truncated or corrupt)");
        position += n;
        return b;
    }

    private long hex(byte[] b, int field) {
        long v = 0;
        for (int i = field * 8; i < field * 8 + 8; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) throw bad("cpio header has a non-hex digit");
            v = (v << 4) | d;
        }
        return v;
    }

    private RpmArchiveException bad(String msg) {
        return new RpmArchiveException(what + ": " + msg);
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(x >= 32 && x < 127 ? (char) x : '?');
        return sb.toString();
    }
}
