package dev.kolibri.fs;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Decoded package payloads, kept so that a package is decompressed once, not at every build: {@code <dir>/<sha256
 * of the package file>}, each holding the package's {@link PayloadEntry}s uncompressed, in archive order, exactly
 * as the archive reader gave them (nothing is trusted more for coming from here: the {@link Installer} checks them
 * as it checks a fresh archive).
 *
 * <p>An entry streams: the file contents come first, one after the other, as the archive reader hands them over
 * (never held whole in memory), then the metadata (the caller's header, each member with the offset, size and
 * sha256 of its content), the metadata's offset and a CRC-32C of everything before it. Entries read back are
 * {@link Content.Region}s of the entry file, so a warm build holds no package content in memory either. An entry is
 * written to a temporary file and renamed into place, so a reader never sees half of one; an entry that is
 * truncated, corrupt, or of another format version is deleted and the payload decoded afresh. The key is the
 * package file's sha256, which the build has checked against the lock; the entry itself is derived data, trusted
 * like the rest of the cache directory (see {@code docs/parts/build-cache.md}). The {@link Limits} are checked on
 * every read, cached or not.
 */
public final class PayloadCache {
    private static final byte[] MAGIC = "KOLIBRI-PAYLOAD\n".getBytes(StandardCharsets.US_ASCII);
    /** Bump when the encoding changes: old entries are then ignored and replaced. */
    static final int FORMAT = 4;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    /** The metadata part of an entry (names, modes, offsets) is read into memory; it may not be bigger than this. */
    static final long MAX_METADATA_BYTES = 256L << 20;
    private static final PayloadEntry.Kind[] KINDS = PayloadEntry.Kind.values();

    private final Path dir;

    private PayloadCache(Path dir) {
        this.dir = dir;
    }

    /** A cache in {@code dir} (created when first written). */
    public static PayloadCache at(Path dir) {
        return new PayloadCache(dir.toAbsolutePath().normalize());
    }

    /** A cache in {@code dir}; {@code digests} is not needed any more (contents carry their sha256). */
    public static PayloadCache at(Path dir, ContentDigests digests) {
        return at(dir);
    }

    /** No cache: every payload is decoded from its package. */
    public static PayloadCache disabled() {
        return new PayloadCache(null);
    }

    public boolean enabled() {
        return dir != null;
    }

    /**
     * What is kept per package: the payload's entries and an opaque header the caller needs besides them (for a
     * .deb: its data member's name and its control tar).
     */
    public record Cached(byte[] header, List<PayloadEntry> entries) {
        public Cached {
            header = header.clone();
            entries = List.copyOf(entries);
        }

        @Override
        public byte[] header() {
            return header.clone();
        }
    }

    /**
     * The payload of the package file whose sha256 is {@code sha256Hex}: from the cache, else read from
     * {@code source} (and then cached). Errors of the source propagate and cache nothing. Contents in memory, within
     * the default limits: for tests and small tools.
     */
    public List<PayloadEntry> entries(String sha256Hex, Supplier<PayloadSource> source) {
        return get(sha256Hex, () -> new Cached(new byte[0], decode(source.get()))).entries();
    }

    /** Like {@link #entries}, with the caller's header kept beside the entries. */
    public Cached get(String sha256Hex, Supplier<Cached> source) {
        Unpacking unpacking = Unpacking.inMemory(Limits.DEFAULT);
        return get(sha256Hex, unpacking, unpacking.admission("package " + sha256Hex, Long.MAX_VALUE),
                sink -> source.get());
    }

    /**
     * The payload of the package file whose sha256 is {@code sha256Hex}, each member admitted by {@code admission}
     * (so the limits hold for cached entries too): from the cache, else from {@code source}, given a sink that
     * streams each content into the new entry. When the cache is disabled or cannot be written, {@code source} is
     * given {@code unpacking}'s own sink (memory or spill) instead. Errors of the source propagate and cache nothing.
     */
    public Cached get(String sha256Hex, Unpacking unpacking, Unpacking.Admission admission,
                      Function<ContentSink, Cached> source) {
        if (dir == null) return fresh(unpacking, admission, source);
        String key = sha256Hex.toLowerCase(Locale.ROOT);
        if (!HEX.matcher(key).matches()) throw new IllegalArgumentException("not a sha256 (64 hex digits): " + sha256Hex);
        Path file = dir.resolve(key);
        Cached cached = read(file);
        if (cached != null) {
            for (PayloadEntry e : cached.entries()) if (e.data() != null) admission.check(e.path(), e.size());
            return cached;
        }
        Writer w;
        try {
            Files.createDirectories(dir);
            w = new Writer(file, admission);
        } catch (IOException e) {
            return fresh(unpacking, admission, source); // caching is an optimisation
        }
        Cached fresh;
        try {
            fresh = source.apply(w);
        } catch (RuntimeException | Error e) {
            w.abandon();
            if (!w.failed) throw e;
            admission.reset(); // the cache could not be written: decode again without it
            return fresh(unpacking, admission, source);
        }
        Cached done = w.finish(fresh);
        if (done != null) return done;
        admission.reset();
        return fresh(unpacking, admission, source);
    }

    private static Cached fresh(Unpacking unpacking, Unpacking.Admission admission, Function<ContentSink, Cached> source) {
        try (ContentSink sink = unpacking.sink(admission)) {
            return source.apply(sink);
        }
    }

    /** Whether a valid entry for this package is cached (for tests and diagnostics). */
    public boolean contains(String sha256Hex) {
        return dir != null && read(dir.resolve(sha256Hex.toLowerCase(Locale.ROOT))) != null;
    }

    private static List<PayloadEntry> decode(PayloadSource source) {
        List<PayloadEntry> out = new ArrayList<>();
        source.forEachEntry(out::add);
        return out;
    }

    /** The entry in {@code file}, or null when it is absent or not a valid entry (then it is deleted). */
    private static Cached read(Path file) {
        Cached entries;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            entries = parse(ch, file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            entries = null;
        }
        if (entries == null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a later write replaces it
            }
        }
        return entries;
    }

    /** Checks the CRC over the whole entry (streamed), then reads the metadata; null when anything is off. */
    static Cached parse(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        int head = MAGIC.length + 4;
        if (size < head + 16) return null;
        ByteBuffer tail = ByteBuffer.allocate(16);
        if (ch.read(tail, size - 16) != 16) return null;
        long metaOffset = tail.getLong(0);
        long crcWant = tail.getLong(8);
        if (metaOffset < head || metaOffset > size - 16 || size - 16 - metaOffset > MAX_METADATA_BYTES) return null;
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
        long pos = 0;
        long end = size - 8;
        while (pos < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = ch.read(buf, pos);
            if (n <= 0) return null;
            buf.flip();
            crc.update(buf);
            pos += n;
        }
        if (crc.getValue() != crcWant) return null;
        ByteBuffer h = ByteBuffer.allocate(head);
        if (ch.read(h, 0) != head) return null;
        for (int i = 0; i < MAGIC.length; i++) if (h.get(i) != MAGIC[i]) return null;
        if (h.getInt(MAGIC.length) != FORMAT) return null;
        ByteBuffer b = ByteBuffer.allocate((int) (size - 16 - metaOffset));
        while (b.hasRemaining()) if (ch.read(b, metaOffset + b.position()) <= 0) return null;
        b.flip();
        try {
            int hl = b.getInt();
            if (hl < 0 || hl > b.remaining()) return null;
            byte[] header = new byte[hl];
            b.get(header);
            int n = b.getInt();
            if (n < 0) return null;
            List<PayloadEntry> out = new ArrayList<>(Math.min(n, 1 << 16));
            for (int i = 0; i < n; i++) {
                int k = b.get();
                if (k < 0 || k >= KINDS.length) return null;
                PayloadEntry.Kind kind = KINDS[k];
                String path = string(b);
                int mode = b.getInt();
                int uid = b.getInt();
                int gid = b.getInt();
                String user = string(b);
                String group = string(b);
                long mtime = b.getLong();
                String link = b.get() == 1 ? string(b) : null;
                Content content = null;
                if (b.get() == 1) {
                    long off = b.getLong();
                    long len = b.getLong();
                    if (off < head || len < 0 || off + len > metaOffset) return null;
                    byte[] digest = new byte[32];
                    b.get(digest);
                    content = new Content.Region(file, off, len, digest);
                }
                out.add(new PayloadEntry(path, kind, mode, uid, gid, user, group, mtime, link, content));
            }
            return b.hasRemaining() ? null : new Cached(header, out);
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private static String string(ByteBuffer b) {
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) throw new BufferUnderflowException();
        String s = new String(b.array(), b.arrayOffset() + b.position(), len, StandardCharsets.UTF_8);
        b.position(b.position() + len);
        return s;
    }

    /**
     * A new entry being written: the sink the archive reader streams contents into (each admitted first), then
     * {@link #finish} with the metadata. An I/O failure of the cache marks it {@link #failed}.
     */
    private static final class Writer implements ContentSink {
        private final Path file;
        private final Path tmp;
        private final FileChannel out;
        private final CRC32C crc = new CRC32C();
        private final Unpacking.Admission admission;
        private long position;
        boolean failed;

        Writer(Path file, Unpacking.Admission admission) throws IOException {
            this.file = file;
            this.admission = admission;
            this.tmp = Files.createTempFile(file.getParent(), ".payload-", ".tmp");
            FileChannel ch;
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                this.out = ch;
                ByteBuffer h = ByteBuffer.allocate(MAGIC.length + 4).put(MAGIC).putInt(FORMAT);
                write(h.array(), 0, h.capacity());
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }

        @Override
        public Content take(String member, long size, InputStream in) throws IOException {
            admission.check(member, size);
            long start = position;
            java.security.MessageDigest md = Unpacking.sha256();
            byte[] buf = new byte[(int) Math.min(1 << 16, Math.max(1, size))];
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new java.io.EOFException("member '" + member + "' ends " + left + " bytes early");
                md.update(buf, 0, n);
                write(buf, 0, n);
                left -= n;
            }
            return new Content.Region(file, start, size, md.digest());
        }

        @Override
        public void checkStream(String member, long streamed) {
            admission.checkStream(member, streamed);
        }

        private void write(byte[] b, int off, int len) {
            try {
                ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                while (bb.hasRemaining()) out.write(bb);
            } catch (IOException e) {
                failed = true;
                throw new UncheckedIOException(e);
            }
            crc.update(b, off, len);
            position += len;
        }

        /** Writes the metadata and renames the entry into place; null when the cache could not be written. */
        Cached finish(Cached fresh) {
            try {
                List<PayloadEntry> entries = new ArrayList<>(fresh.entries().size());
                for (PayloadEntry e : fresh.entries()) {
                    if (e.data() == null || (e.data() instanceof Content.Region r && r.file().equals(file))) {
                        entries.add(e);
                        continue;
                    }
                    long start = position;   // content the source made itself: copied in now
                    try (InputStream in = e.data().open()) {
                        byte[] buf = new byte[1 << 16];
                        for (int n; (n = in.read(buf)) > 0; ) write(buf, 0, n);
                    }
                    entries.add(e.withData(new Content.Region(file, start, e.size(), e.data().sha256())));
                }
                long metaOffset = position;
                ByteArrayOutputStream meta = new ByteArrayOutputStream(64 * entries.size() + 256);
                try (DataOutputStream d = new DataOutputStream(meta)) {
                    byte[] header = fresh.header();
                    d.writeInt(header.length);
                    d.write(header);
                    d.writeInt(entries.size());
                    for (PayloadEntry e : entries) {
                        d.writeByte(e.kind().ordinal());
                        string(d, e.path());
                        d.writeInt(e.mode());
                        d.writeInt(e.uid());
                        d.writeInt(e.gid());
                        string(d, e.userName());
                        string(d, e.groupName());
                        d.writeLong(e.mtime());
                        d.writeByte(e.linkTarget() == null ? 0 : 1);
                        if (e.linkTarget() != null) string(d, e.linkTarget());
                        d.writeByte(e.data() == null ? 0 : 1);
                        if (e.data() instanceof Content.Region r) {
                            d.writeLong(r.offset());
                            d.writeLong(r.size());
                            d.write(r.sha256());
                        }
                    }
                    d.writeLong(metaOffset);
                }
                byte[] m = meta.toByteArray();
                write(m, 0, m.length);
                byte[] c = ByteBuffer.allocate(8).putLong(crc.getValue()).array();
                write(c, 0, 8);
                out.close();
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return new Cached(fresh.header(), entries);
            } catch (IOException | UncheckedIOException e) {
                abandon();
                return null;
            }
        }

        void abandon() {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
