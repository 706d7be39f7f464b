package dev.kolibri.oci;

import dev.kolibri.fs.ContentDigests;
import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Writes file entries as a reproducible tar layer, compressed, straight to a blob file, computing the diffID and
 * the blob digest in the same pass.
 *
 * <p>The tar is POSIX (ustar headers, PAX records only for long names, long link targets, non-ASCII names and
 * numbers too big for ustar). Entries come sorted by path; a directory's name ends in {@code /}; owners are numeric
 * (user and group names empty); modes hold only the permission bits; no atime or ctime is written. Every mtime is
 * clamped to {@code [0, epoch]}. Parent directories missing from the entries are added as {@code 0755 0:0} with
 * the newest mtime of the entries (clamped). Hardlinks become tar link entries: in each hardlink group the entry
 * with the smallest path carries the content and the others link to it, so extraction never meets a link before
 * its target.
 */
public final class LayerWriter {
    private LayerWriter() {}

    /** {@link #write(Collection, Compression, int, long, Path)} at the compression's default level. */
    public static Layer write(Collection<FileEntry> entries, Compression compression, long epoch, Path blobDir)
            throws IOException {
        return write(entries, compression, compression.defaultLevel(), epoch, blobDir);
    }

    /**
     * Writes a layer blob into {@code blobDir} (named by its hex digest) and returns it.
     *
     * @throws IllegalArgumentException when the entries cannot form a layer: two entries on one path, a hardlink
     *                                  whose target is not a regular file among the entries, or an entry below a
     *                                  path that is not a directory
     */
    public static Layer write(Collection<FileEntry> entries, Compression compression, int level, long epoch,
                              Path blobDir) throws IOException {
        return write(entries, compression, level, epoch, blobDir, LayerCache.disabled(), new ContentDigests());
    }

    /**
     * Like {@link #write(Collection, Compression, int, long, Path)}, but takes the blob from {@code cache} when a
     * previous build wrote a layer of the same {@link #recipe}; a fresh blob is added to the cache. File contents are
     * hashed through {@code digests} (which knows those of cached package payloads already).
     */
    public static Layer write(Collection<FileEntry> entries, Compression compression, int level, long epoch,
                              Path blobDir, LayerCache cache, ContentDigests digests) throws IOException {
        List<TarItem> items = plan(entries, epoch);
        if (!cache.enabled()) return compress(items, compression, level, blobDir);
        Digest key = recipe(items, compression, level, digests);
        java.util.Optional<Layer> hit = cache.find(key, compression, level, blobDir);
        if (hit.isPresent()) return hit.get();
        Layer fresh = compress(items, compression, level, blobDir);
        cache.store(key, fresh, compression, level);
        return fresh;
    }

    /**
     * Bump when the tar this class writes changes for the same entries (header fields, PAX use, ordering, parent
     * directories): cached layers of the old recipe then never match.
     */
    static final int TAR_FORMAT = 2; // 2: uid/gid above 2^31-1 written unsigned

    /**
     * The layer cache's key: the sha256 of everything the compressed blob's bytes depend on. That is the tar format
     * ({@link #TAR_FORMAT} and the tar library's version), each entry as written (type, path, mode, owner, clamped
     * time, link, content length and sha256), and the compressor: its name, level and a fingerprint of its output on
     * a fixed probe, so that a JDK or zlib whose gzip bytes differ never reuses another's blobs.
     */
    static Digest recipe(List<TarItem> items, Compression compression, int level, ContentDigests digests)
            throws IOException {
        java.security.MessageDigest md = Digest.newSha256();
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(256);
        java.io.DataOutputStream out = new java.io.DataOutputStream(buf);
        out.writeUTF("kolibri-layer-recipe");
        out.writeInt(TAR_FORMAT);
        out.writeUTF(String.valueOf(TarArchiveOutputStream.class.getPackage().getImplementationVersion()));
        out.writeUTF(compression.name());
        out.writeInt(level);
        out.write(fingerprint(compression, level));
        for (TarItem item : items) {
            FileEntry e = item.entry();
            out.writeByte(item.link() ? 'h' : e.type().name().charAt(0));
            text(out, e.path());
            out.writeInt(e.mode());
            out.writeInt(e.uid());
            out.writeInt(e.gid());
            out.writeLong(e.mtime());
            if (item.link()) text(out, item.linkTo());
            else if (e.type() == EntryType.SYMLINK) text(out, e.linkTarget());
            else if (e.type() == EntryType.FILE) {
                out.writeLong(e.size());
                out.write(digests.sha256(e.data()));
            }
            out.flush();
            md.update(buf.toByteArray());
            buf.reset();
        }
        return Digest.ofSha256Hex(java.util.HexFormat.of().formatHex(md.digest()));
    }

    private static void text(java.io.DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static final java.util.concurrent.ConcurrentMap<String, byte[]> FINGERPRINTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The sha256 of the compressor's output for a fixed, deterministic 64 KiB probe (computed once per process). */
    static byte[] fingerprint(Compression compression, int level) {
        return FINGERPRINTS.computeIfAbsent(compression + "-" + level, k -> {
            byte[] probe = new byte[64 << 10];
            long x = 0x9E3779B97F4A7C15L;
            String words = "usr lib bin share doc copyright python3 libc6 ELF \0\0\0\0 #!/bin/sh 0755 ";
            for (int i = 0; i < probe.length; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                probe[i] = (x >>> 60) < 12 ? (byte) words.charAt((int) ((x >>> 33) % words.length())) : (byte) (x >>> 40);
            }
            try {
                java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream(probe.length);
                try (OutputStream c = compression.compress(sink, level)) {
                    c.write(probe);
                }
                return java.security.MessageDigest.getInstance("SHA-256").digest(sink.toByteArray());
            } catch (IOException | java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("cannot fingerprint the " + compression + " compressor: " + e.getMessage(), e);
            }
        });
    }

    private static void writeTar(List<TarItem> items, OutputStream plain) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(plain, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            for (TarItem item : items) writeItem(tar, item);
            tar.finish();
        }
    }

    private static Layer compress(List<TarItem> items, Compression compression, int level, Path blobDir)
            throws IOException {
        Files.createDirectories(blobDir);
        Path tmp = dev.kolibri.fs.OutputFiles.createTempFile(blobDir, "layer-", ".tmp"); // the umask's mode, not 0600
        try {
            DigestingOutputStream compressed;
            DigestingOutputStream plain;
            OutputStream file = Files.newOutputStream(tmp);
            compressed = new DigestingOutputStream(new BufferedOutputStream(file, 1 << 16));
            plain = new DigestingOutputStream(new BufferedOutputStream(compression.compress(compressed, level), 1 << 16));
            writeTar(items, plain);
            Digest diffId = plain.digest();
            Digest blobDigest = compression == Compression.NONE ? diffId : compressed.digest();
            Path blob = blobDir.resolve(blobDigest.hex());
            Files.move(tmp, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Descriptor d = new Descriptor(compression.mediaType(), blobDigest, compressed.count(), Map.of(), null, null);
            return new Layer(d, diffId, blob, plain.count());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** One tar record to write: the entry (already clamped) and, for a hardlink, the path it links to. */
    record TarItem(FileEntry entry, boolean link, String linkTo) {}

    static List<TarItem> plan(Collection<FileEntry> entries, long epoch) {
        TreeMap<String, FileEntry> byPath = new TreeMap<>();
        long newest = 0;
        for (FileEntry e : entries) {
            if (byPath.put(e.path(), e) != null) {
                throw new IllegalArgumentException("two layer entries on one path: " + e.path());
            }
            newest = Math.max(newest, e.mtime());
        }
        long dirTime = clamp(newest, epoch);

        // Hardlink groups: final target file -> smallest path of the group (the one that carries the content).
        Map<String, String> primaryOf = new HashMap<>();
        for (FileEntry e : byPath.values()) {
            if (e.type() != EntryType.HARDLINK) continue;
            String target = finalTarget(e, byPath);
            String cur = primaryOf.getOrDefault(target, target);
            if (e.path().compareTo(cur) < 0) cur = e.path();
            primaryOf.put(target, cur);
        }

        List<TarItem> out = new ArrayList<>(byPath.size() + 16);
        Set<String> dirs = new HashSet<>();
        for (FileEntry e : byPath.values()) {
            addParents(e.path(), byPath, dirs, dirTime, out);
            if (e.type() == EntryType.DIRECTORY) dirs.add(e.path());
            FileEntry clamped = e.withMtime(clamp(e.mtime(), epoch));
            if (e.type() == EntryType.HARDLINK || primaryOf.containsKey(e.path())) {
                String target = e.type() == EntryType.HARDLINK ? finalTarget(e, byPath) : e.path();
                FileEntry file = byPath.get(target);
                String primary = primaryOf.get(target);
                FileEntry inode = new FileEntry(e.path(), EntryType.FILE, file.mode(), file.uid(), file.gid(),
                        clamp(file.mtime(), epoch), null, file.data(), e.owner());
                out.add(primary.equals(e.path()) ? new TarItem(inode, false, null) : new TarItem(inode, true, primary));
            } else {
                out.add(new TarItem(clamped, false, null));
            }
        }
        return out;
    }

    private static String finalTarget(FileEntry link, Map<String, FileEntry> byPath) {
        FileEntry cur = link;
        for (int hops = 0; cur.type() == EntryType.HARDLINK; hops++) {
            FileEntry next = byPath.get(cur.linkTarget());
            if (next == null || hops > 40) {
                throw new IllegalArgumentException("hardlink " + link.path() + " points to " + cur.linkTarget()
                        + ", which is not a regular file in this layer (keep hardlinks in their target's layer)");
            }
            cur = next;
        }
        if (cur.type() != EntryType.FILE) {
            throw new IllegalArgumentException("hardlink " + link.path() + " points to " + cur.path()
                    + ", which is a " + cur.type().name().toLowerCase() + ", not a regular file");
        }
        return cur.path();
    }

    private static void addParents(String path, Map<String, FileEntry> byPath, Set<String> dirs, long dirTime,
                                   List<TarItem> out) {
        int slash = -1;
        while ((slash = path.indexOf('/', slash + 1)) >= 0) {
            String parent = path.substring(0, slash);
            if (dirs.contains(parent)) continue;
            FileEntry existing = byPath.get(parent);
            if (existing != null && existing.type() != EntryType.DIRECTORY) {
                throw new IllegalArgumentException(path + ": its parent " + parent + " is a "
                        + existing.type().name().toLowerCase() + ", not a directory");
            }
            out.add(new TarItem(FileEntry.directory(parent, 0755, 0, 0, dirTime, ""), false, null));
            dirs.add(parent);
        }
    }

    private static long clamp(long mtime, long epoch) {
        return Math.max(0, Math.min(mtime, epoch));
    }

    private static void writeItem(TarArchiveOutputStream tar, TarItem item) throws IOException {
        FileEntry e = item.entry();
        TarArchiveEntry t;
        if (item.link()) {
            t = new TarArchiveEntry(e.path(), TarConstants.LF_LINK);
            t.setLinkName(item.linkTo());
        } else {
            switch (e.type()) {
                case DIRECTORY -> t = new TarArchiveEntry(e.path() + "/", TarConstants.LF_DIR);
                case FILE -> {
                    t = new TarArchiveEntry(e.path(), TarConstants.LF_NORMAL);
                    t.setSize(e.size());
                }
                case SYMLINK -> {
                    t = new TarArchiveEntry(e.path(), TarConstants.LF_SYMLINK);
                    t.setLinkName(e.linkTarget());
                }
                default -> throw new AssertionError(e.type());
            }
        }
        t.setMode(e.mode() & 07777);
        // ids are unsigned 32-bit (an int's bits): 4294967294 is written as such, never as -2, which GNU tar refuses
        t.setUserId(Integer.toUnsignedLong(e.uid()));
        t.setGroupId(Integer.toUnsignedLong(e.gid()));
        t.setUserName("");
        t.setGroupName("");
        t.setLastModifiedTime(FileTime.from(e.mtime(), TimeUnit.SECONDS));
        tar.putArchiveEntry(t);
        if (!item.link() && e.type() == EntryType.FILE) {
            try (java.io.InputStream in = e.data().open()) {
                long copied = in.transferTo(tar);
                if (copied != e.size()) throw new IOException("/" + e.path() + ": its content has " + copied
                        + " bytes, not " + e.size());
            }
        }
        tar.closeArchiveEntry();
    }
}
