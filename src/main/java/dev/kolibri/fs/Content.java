package dev.kolibri.fs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes of one regular file, wherever they are: in memory ({@link Bytes}, small files) or a region of a file on
 * disk ({@link Region}: the payload cache's entry, or the build's spill file), so that a build never holds a large
 * file whole. Immutable; reading never changes it. See {@code docs/parts/limits.md}.
 */
public sealed interface Content permits Content.Bytes, Content.Region {

    /** Content bigger than this is never read into memory by {@link #bytes()} (finalize steps read small files). */
    long MAX_IN_MEMORY = Integer.MAX_VALUE - 16;

    /** The length in bytes. */
    long size();

    /** A fresh stream of the bytes, from the first. */
    InputStream open() throws IOException;

    /** The sha256 when it is already known (kept beside the bytes by the payload cache or the spill), else null. */
    byte[] knownSha256();

    /** The whole content as an array: for files read by finalize steps and other small files. */
    byte[] bytes();

    /** In-memory content (the array is kept, not copied: do not change it afterwards). */
    static Content of(byte[] bytes) {
        return new Bytes(bytes, null);
    }

    /** The sha256 of the bytes: known, else computed by streaming them. */
    default byte[] sha256() {
        byte[] known = knownSha256();
        if (known != null) return known.clone();
        try (InputStream in = open()) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return md.digest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read file content (" + this + "): " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    /** Whether both hold the same bytes (compared by sha256 when both know it, else streamed side by side). */
    static boolean same(Content a, Content b) {
        if (a == b) return true;
        if (a == null || b == null) return false;
        if (a.size() != b.size()) return false;
        if (a instanceof Bytes x && b instanceof Bytes y) return Arrays.equals(x.array, y.array);
        if (a.knownSha256() != null && b.knownSha256() != null) return Arrays.equals(a.knownSha256(), b.knownSha256());
        try (InputStream x = a.open(); InputStream y = b.open()) {
            byte[] bx = new byte[1 << 15];
            byte[] by = new byte[1 << 15];
            while (true) {
                int n = x.readNBytes(bx, 0, bx.length);
                int m = y.readNBytes(by, 0, by.length);
                if (n != m || !Arrays.equals(bx, 0, n, by, 0, m)) return false;
                if (n < bx.length) return true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compare file contents: " + e.getMessage(), e);
        }
    }

    /**
     * Bytes in memory.
     *
     * @param array  the bytes (kept, not copied)
     * @param sha256 their sha256 when known, else null
     */
    record Bytes(byte[] array, byte[] sha256Known) implements Content {
        public Bytes {
            Objects.requireNonNull(array, "array");
            if (sha256Known != null && sha256Known.length != 32) throw new IllegalArgumentException("not a sha256");
        }

        @Override
        public long size() {
            return array.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(array);
        }

        @Override
        public byte[] knownSha256() {
            return sha256Known;
        }

        @Override
        public byte[] bytes() {
            return array;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(array, b.array);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(array);
        }

        @Override
        public String toString() {
            return array.length + " bytes in memory";
        }
    }

    /**
     * {@code size} bytes of {@code file} from {@code offset}: the file is opened each time the content is read, so
     * holding a region costs no descriptor and no memory.
     *
     * @param sha256Known their sha256 when known, else null
     */
    record Region(Path file, long offset, long size, byte[] sha256Known) implements Content {
        public Region {
            Objects.requireNonNull(file, "file");
            if (offset < 0 || size < 0) throw new IllegalArgumentException("negative region of " + file);
            if (sha256Known != null && sha256Known.length != 32) throw new IllegalArgumentException("not a sha256");
        }

        @Override
        public InputStream open() throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            try {
                if (ch.size() < offset + size) {
                    throw new IOException(file + " holds " + ch.size() + " bytes, fewer than the " + (offset + size)
                            + " this content needs (was it changed or deleted during the build?)");
                }
                ch.position(offset);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new java.io.FilterInputStream(new java.io.BufferedInputStream(Channels.newInputStream(ch), 1 << 16)) {
                private long left = size;

                @Override
                public int read() throws IOException {
                    if (left <= 0) return -1;
                    int b = super.read();
                    if (b >= 0) left--;
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) return -1;
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) left -= n;
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    long s = super.skip(Math.min(n, left));
                    left -= s;
                    return s;
                }

                @Override
                public int available() throws IOException {
                    return (int) Math.min(super.available(), left);
                }
            };
        }

        @Override
        public byte[] knownSha256() {
            return sha256Known;
        }

        @Override
        public byte[] bytes() {
            if (size > MAX_IN_MEMORY) throw new IllegalStateException(this + " is too big to read into memory");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate((int) size);
                while (b.hasRemaining()) {
                    if (ch.read(b, offset + b.position()) < 0) {
                        throw new IOException(file + " ends before the " + size + " bytes at offset " + offset);
                    }
                }
                return b.array();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + size + " bytes of " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Region r && file.equals(r.file) && offset == r.offset && size == r.size;
        }

        @Override
        public int hashCode() {
            return Objects.hash(file, offset, size);
        }

        @Override
        public String toString() {
            return size + " bytes at " + offset + " of " + file;
        }
    }
}
