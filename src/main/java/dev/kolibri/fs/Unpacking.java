package dev.kolibri.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The unpacking of one image's packages (one arch): the {@link Limits} and the bytes admitted so far, and where file
 * contents go when no payload cache keeps them: a spill directory of append-only files, one per package, which
 * {@link #close} deletes. Contents are then {@link Content.Region}s of those files, never arrays, so memory does not
 * grow with the image. Thread-safe: packages are decoded in parallel, each through its own {@link Admission}.
 */
public final class Unpacking implements AutoCloseable {
    private final Limits limits;
    private final Path spillDir;
    private final AtomicLong image = new AtomicLong();

    private Unpacking(Limits limits, Path spillDir) {
        this.limits = limits;
        this.spillDir = spillDir;
    }

    /** Contents in memory (tests and small inputs): the limits hold, but memory grows with what is unpacked. */
    public static Unpacking inMemory(Limits limits) {
        return new Unpacking(limits, null);
    }

    /** Contents spilled into files under {@code dir} (made when first needed, deleted by {@link #close}). */
    public static Unpacking spilling(Limits limits, Path dir) {
        return new Unpacking(limits, dir.toAbsolutePath().normalize());
    }

    /** The same limits and spill directory, with its own image count (for a scratch install that is not the image). */
    public Unpacking scratch() {
        return new Unpacking(limits, spillDir);
    }

    public Limits limits() {
        return limits;
    }

    /** Regular-file bytes admitted so far, over all packages. */
    public long imageBytes() {
        return image.get();
    }

    /**
     * The admission of one package's members.
     *
     * @param label       the package as people name it ({@code package 'bash' 5.2-1 (amd64)})
     * @param packedBytes the size of the package file (the ratio's denominator)
     */
    public Admission admission(String label, long packedBytes) {
        return new Admission(label, packedBytes);
    }

    /** A sink for one package's members: admitted, then kept in this unpacking's spill (or memory). */
    public ContentSink sink(String label, long packedBytes) {
        return sink(admission(label, packedBytes));
    }

    /** A sink whose members {@code a} admits, kept in this unpacking's spill (or memory). */
    public ContentSink sink(Admission a) {
        return spillDir == null ? memorySink(a) : new Spill(a);
    }

    private static ContentSink memorySink(Admission a) {
        return new ContentSink() {
            @Override
            public Content take(String member, long size, InputStream in) throws IOException {
                a.check(member, size);
                return readAll(a, member, size, in);
            }

            @Override
            public void checkStream(String member, long streamed) {
                a.checkStream(member, streamed);
            }
        };
    }

    private static Content readAll(Admission a, String member, long size, InputStream in) throws IOException {
        if (size > Content.MAX_IN_MEMORY) {
                throw new LimitExceededException(a.label + ": member '" + member + "' is " + Limits.exact(size)
                        + ", more than can be held in memory; build with a spill directory", "limits.file");
            }
            byte[] b = in.readNBytes((int) size);
            if (b.length != size) throw new IOException("member '" + member + "' ends after " + b.length + " of "
                    + size + " bytes");
            return Content.of(b);
    }

    /** Deletes the spill directory (contents of entries made through it cannot be read afterwards). */
    @Override
    public void close() {
        if (spillDir == null || !Files.exists(spillDir)) return;
        try (Stream<Path> walk = Files.walk(spillDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover spill directory is reclaimed with the cache
        }
    }

    /** One package's running count against the limits. Not thread-safe: one package is read by one thread. */
    public final class Admission {
        private final String label;
        private final long packed;
        private long unpacked;

        private Admission(String label, long packed) {
            this.label = label;
            this.packed = packed;
        }

        public String label() {
            return label;
        }

        /** Counts a regular member of {@code size} bytes, refusing it when it passes a limit. */
        public void check(String member, long size) {
            if (size < 0) throw new IllegalArgumentException(label + ": member '" + member + "' has a negative size");
            if (size > limits.file()) {
                throw refuse("member '" + member + "' is " + Limits.exact(size), limits.file(), "per file",
                        "limits.file");
            }
            long total = unpacked + size;
            String of = "member '" + member + "' of " + Limits.exact(size);
            if (total > limits.pkg() || total < 0) {
                throw refuse(of + " brings the package to " + Limits.exact(total) + " unpacked", limits.pkg(),
                        "per package", "limits.package");
            }
            if (!limits.ratioAllows(total, packed)) throw ratio(of + " brings the package to " + Limits.exact(total));
            long img = image.addAndGet(size);
            if (img > limits.image() || img < 0) {
                image.addAndGet(-size);
                throw refuse(of + " brings the image to " + Limits.exact(img), limits.image(), "per image",
                        "limits.image");
            }
            unpacked = total;
        }

        /** Checks the decompressed stream itself (headers and padding too) against the package and ratio limits. */
        public void checkStream(String member, long streamed) {
            if (streamed > limits.pkg()) {
                throw refuse("the payload passes " + Limits.exact(streamed) + " unpacked at member '" + member + "'",
                        limits.pkg(), "per package", "limits.package");
            }
            if (!limits.ratioAllows(streamed, packed)) {
                throw ratio("the payload passes " + Limits.exact(streamed) + " at member '" + member + "'");
            }
        }

        private LimitExceededException ratio(String what) {
            return new LimitExceededException(label + ": " + what + " unpacked from a " + Limits.human(packed)
                    + " package file, more than " + limits.ratio() + " times its size (limits.ratio); refusing it as a "
                    + "decompression bomb: raise limits.ratio in the definition only for a package you trust",
                    "limits.ratio");
        }

        /** Forgets what this package admitted (its payload is being read again). */
        public void reset() {
            image.addAndGet(-unpacked);
            unpacked = 0;
        }

        private LimitExceededException refuse(String what, long limit, String per, String key) {
            return new LimitExceededException(label + ": " + what + ", more than the limit of " + Limits.exact(limit)
                    + " " + per + " (" + key + "); refusing it: raise " + key + " in the definition"
                    + (key.equals("limits.image") ? " if the image is meant to be this big" : " only for a package you trust"),
                    key);
        }
    }

    /** Appends one package's contents to its own spill file, hashing them on the way. */
    private final class Spill implements ContentSink {
        private final Admission admission;
        private FileChannel out;
        private Path file;
        private long position;

        Spill(Admission admission) {
            this.admission = admission;
        }

        @Override
        public Content take(String member, long size, InputStream in) throws IOException {
            admission.check(member, size);
            if (out == null) {
                Files.createDirectories(spillDir);
                file = Files.createTempFile(spillDir, "spill-", ".bin");
                out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            long start = position;
            byte[] sha = copy(in, size, out, member);
            position += size;
            return new Content.Region(file, start, size, sha);
        }

        @Override
        public void checkStream(String member, long streamed) {
            admission.checkStream(member, streamed);
        }

        @Override
        public void close() {
            try {
                if (out != null) out.close();
            } catch (IOException e) {
                // the regions written stay readable through their own descriptors
            }
        }
    }

    /**
     * Copies exactly {@code size} bytes from {@code in} to {@code out} and returns their sha256.
     */
    static byte[] copy(InputStream in, long size, FileChannel out, String member) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[(int) Math.min(1 << 16, Math.max(1, size))];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new IOException("member '" + member + "' ends " + left + " bytes early");
            md.update(buf, 0, n);
            ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
            while (b.hasRemaining()) out.write(b);
            left -= n;
        }
        return md.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("no SHA-256 in this JDK", e));
        }
    }
}
