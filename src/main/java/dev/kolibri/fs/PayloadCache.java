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
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Decoded package payloads, kept so that a package is decompressed once, not at every build: {@code <dir>/<sha256
 * of the package file>}, each holding the package's {@link PayloadEntry}s uncompressed (each regular file with its sha256, see
 * {@link ContentDigests}), in archive order, exactly as
 * the archive reader gave them (nothing is trusted more for coming from here: the {@link Installer} checks them as
 * it checks a fresh archive).
 *
 * <p>An entry is written to a temporary file and renamed into place, so a reader never sees half of one. It ends in
 * a CRC-32C of everything before it; an entry that is truncated, corrupt, or of another format version is deleted
 * and the payload decoded afresh. The key is the package file's sha256, which the build has checked against the
 * lock; the entry itself is derived data, trusted like the rest of the cache directory (see
 * {@code docs/parts/build-cache.md}).
 */
public final class PayloadCache {
    private static final byte[] MAGIC = "KOLIBRI-PAYLOAD\n".getBytes(StandardCharsets.US_ASCII);
    /** Bump when the encoding changes: old entries are then ignored and replaced. */
    static final int FORMAT = 3;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    /** Payloads bigger than this are not cached (an entry is one array in memory). */
    private static final long MAX_ENTRY_BYTES = 1L << 30;
    private static final PayloadEntry.Kind[] KINDS = PayloadEntry.Kind.values();

    private final Path dir;
    private final ContentDigests digests;

    private PayloadCache(Path dir, ContentDigests digests) {
        this.dir = dir;
        this.digests = digests;
    }

    /** A cache in {@code dir} (created when first written). */
    public static PayloadCache at(Path dir) {
        return at(dir, new ContentDigests());
    }

    /**
     * A cache in {@code dir} that records in {@code digests} the sha256 it keeps of each regular file's content
     * (computed once, when the payload enters the cache).
     */
    public static PayloadCache at(Path dir, ContentDigests digests) {
        return new PayloadCache(dir.toAbsolutePath().normalize(), digests);
    }

    /** No cache: every payload is decoded from its package. */
    public static PayloadCache disabled() {
        return new PayloadCache(null, new ContentDigests());
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
     * {@code source} (and then cached). Errors of the source propagate and cache nothing.
     */
    public List<PayloadEntry> entries(String sha256Hex, Supplier<PayloadSource> source) {
        return get(sha256Hex, () -> new Cached(new byte[0], decode(source.get()))).entries();
    }

    /** Like {@link #entries}, with the caller's header kept beside the entries. */
    public Cached get(String sha256Hex, Supplier<Cached> source) {
        if (dir == null) return source.get();
        String key = sha256Hex.toLowerCase(Locale.ROOT);
        if (!HEX.matcher(key).matches()) throw new IllegalArgumentException("not a sha256 (64 hex digits): " + sha256Hex);
        Path file = dir.resolve(key);
        Cached cached = read(file, digests);
        if (cached != null) return cached;
        Cached fresh = source.get();
        write(file, fresh, digests);
        return fresh;
    }

    /** Whether a valid entry for this package is cached (for tests and diagnostics). */
    public boolean contains(String sha256Hex) {
        return dir != null && read(dir.resolve(sha256Hex.toLowerCase(Locale.ROOT)), new ContentDigests()) != null;
    }

    private static List<PayloadEntry> decode(PayloadSource source) {
        List<PayloadEntry> out = new ArrayList<>();
        source.forEachEntry(out::add);
        return out;
    }

    /** The entry in {@code file}, or null when it is absent or not a valid entry (then it is deleted). */
    private static Cached read(Path file, ContentDigests digests) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
        Cached entries = parse(all, digests);
        if (entries == null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a later write replaces it
            }
        }
        return entries;
    }

    static Cached parse(byte[] all, ContentDigests digests) {
        int head = MAGIC.length + 4 + 4;
        if (all.length < head + 8) return null;
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 8);
        ByteBuffer b = ByteBuffer.wrap(all);
        if (crc.getValue() != b.getLong(all.length - 8)) return null;
        for (int i = 0; i < MAGIC.length; i++) if (all[i] != MAGIC[i]) return null;
        b.position(MAGIC.length);
        if (b.getInt() != FORMAT) return null;
        b.limit(all.length - 8);
        try {
            int h = b.getInt();
            if (h < 0 || h > b.remaining()) return null;
            byte[] header = new byte[h];
            b.get(header);
            int n = b.getInt();
            if (n < 0) return null;
            List<PayloadEntry> out = new ArrayList<>(n);
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
                byte[] content = null;
                if (b.get() == 1) {
                    int len = b.getInt();
                    if (len < 0 || len > b.remaining()) return null;
                    content = new byte[len];
                    b.get(content);
                    byte[] digest = new byte[32];
                    b.get(digest);
                    digests.remember(content, digest);
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
        String s = new String(b.array(), b.position(), len, StandardCharsets.UTF_8);
        b.position(b.position() + len);
        return s;
    }

    static byte[] encode(Cached cached, ContentDigests digests) {
        List<PayloadEntry> entries = cached.entries();
        byte[] header = cached.header();
        long size = MAGIC.length + 20L + header.length;
        for (PayloadEntry e : entries) size += 64 + e.path().length() * 3L + e.size();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 16));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(header.length);
            out.write(header);
            out.writeInt(entries.size());
            for (PayloadEntry e : entries) {
                out.writeByte(e.kind().ordinal());
                string(out, e.path());
                out.writeInt(e.mode());
                out.writeInt(e.uid());
                out.writeInt(e.gid());
                string(out, e.userName());
                string(out, e.groupName());
                out.writeLong(e.mtime());
                out.writeByte(e.linkTarget() == null ? 0 : 1);
                if (e.linkTarget() != null) string(out, e.linkTarget());
                out.writeByte(e.content() == null ? 0 : 1);
                if (e.content() != null) {
                    out.writeInt(e.content().length);
                    out.write(e.content());
                    out.write(digests.sha256(e.content()));
                }
            }
            out.flush();
            CRC32C crc = new CRC32C();
            byte[] body = bytes.toByteArray();
            crc.update(body);
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** Writes the entry atomically; a failure to cache is not a build failure (the next build decodes again). */
    private static void write(Path file, Cached cached, ContentDigests digests) {
        long bytes = cached.header().length;
        for (PayloadEntry e : cached.entries()) bytes += e.size() + e.path().length() + 64;
        if (bytes > MAX_ENTRY_BYTES) return;
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), ".payload-", ".tmp");
            Files.write(tmp, encode(cached, digests));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException | UncheckedIOException e) {
            // caching is an optimisation: leave no partial file, carry on
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }
}
