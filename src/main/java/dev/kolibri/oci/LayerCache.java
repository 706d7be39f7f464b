package dev.kolibri.oci;

import dev.kolibri.fs.OutputFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * Compressed layer blobs by their recipe, so that a layer a previous build already wrote is neither serialized nor
 * compressed again: {@code <dir>/<compression>-<level>/<key hex>.blob} and beside it {@code .desc} (the blob's
 * digest and size, the diffID and the uncompressed size), written after the blob, so that a {@code .desc} names a
 * complete blob.
 *
 * <p>The key ({@link LayerWriter#recipe}) is the sha256 of everything the layer's bytes depend on: each tar entry's
 * header fields and the sha256 of its content, the tar writer's format and library version, and a fingerprint of
 * the compressor's output at this level. Nothing about how a layer came to be (packages, plan, options) takes part,
 * so a stale entry cannot match. A hit is copied (a reflink where the file system offers one, never a hard link) into
 * the caller's directory and the copy's sha256 checked against the {@code .desc}; an entry whose size or digest differs is dropped (and the layer written afresh). Entries are derived data, trusted like the rest of the cache directory.
 */
public final class LayerCache {
    private final Path dir;

    private LayerCache(Path dir) {
        this.dir = dir;
    }

    public static LayerCache at(Path dir) {
        return new LayerCache(dir.toAbsolutePath().normalize());
    }

    public static LayerCache disabled() {
        return new LayerCache(null);
    }

    public boolean enabled() {
        return dir != null;
    }

    /**
     * The cached layer for this recipe key, compression and level, copied into {@code blobDir}; empty when
     * there is none (or it is incomplete: then it is dropped).
     */
    Optional<Layer> find(Digest key, Compression compression, int level, Path blobDir) throws IOException {
        if (dir == null) return Optional.empty();
        Path base = base(compression, level);
        Path desc = base.resolve(key.hex() + ".desc");
        Path blob = base.resolve(key.hex() + ".blob");
        String[] f;
        try {
            f = Files.readString(desc, StandardCharsets.US_ASCII).strip().split(" ");
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Digest digest;
        long size;
        Digest diffId;
        long plain;
        try {
            if (f.length != 4) throw new IllegalArgumentException("fields");
            digest = Digest.parse(f[0]);
            size = Long.parseLong(f[1]);
            diffId = Digest.parse(f[2]);
            plain = Long.parseLong(f[3]);
            if (size < 0 || plain < 0) throw new IllegalArgumentException("sizes");
        } catch (IllegalArgumentException e) {
            drop(desc, blob);
            return Optional.empty();
        }
        long actual;
        try {
            actual = Files.size(blob);
        } catch (NoSuchFileException e) {
            drop(desc, blob);
            return Optional.empty();
        }
        if (actual != size) {
            drop(desc, blob);
            return Optional.empty();
        }
        Files.createDirectories(blobDir);
        Path out = blobDir.resolve(digest.hex());
        // A copy, never a hard link: the output is the user's (the umask's mode, readable by whoever the user lets
        // read it) and later damage to this cache entry cannot change it. A name of its own: two layers of one image
        // may have the same recipe and be fetched at the same time.
        Path tmp = OutputFiles.copyToTemp(blob, blobDir, digest.hex().substring(0, 12) + "-", ".copy");
        // The copy's bytes are checked here, on the layer's worker thread, so the layout can take it as it is; a
        // blob that is not what its .desc says is dropped and the layer written afresh.
        Digest copied;
        try (java.io.InputStream in = Files.newInputStream(tmp)) {
            copied = Digest.sha256(in);
        }
        if (!copied.equals(digest)) {
            Files.deleteIfExists(tmp);
            drop(desc, blob);
            return Optional.empty();
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        Descriptor d = new Descriptor(compression.mediaType(), digest, size, Map.of(), null, null);
        return Optional.of(new Layer(d, diffId, out, plain));
    }

    /** Keeps a copy of {@code layer}'s blob under {@code key}. A failure to cache is not an error. */
    void store(Digest key, Layer layer, Compression compression, int level) {
        if (dir == null) return;
        Path base = base(compression, level);
        String hex = key.hex();
        Path blob = base.resolve(hex + ".blob");
        Path desc = base.resolve(hex + ".desc");
        try {
            Files.createDirectories(base);
            Path tmp = Files.createTempFile(base, ".blob-", ".tmp");
            try {
                Files.delete(tmp);
                Files.copy(layer.blob(), tmp); // a copy of its own: the layout's blob is the user's
                Files.move(tmp, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Path dtmp = Files.createTempFile(base, ".desc-", ".tmp");
                Files.writeString(dtmp, layer.descriptor().digest() + " " + layer.descriptor().size() + " "
                        + layer.diffId() + " " + layer.uncompressedSize() + "\n", StandardCharsets.US_ASCII);
                Files.move(dtmp, desc, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            // another build stored it meanwhile
        } catch (IOException e) {
            // caching is an optimisation
        }
    }

    /** {@code <dir>/<compression>-<level>}: where the entries of one compression and level live. */
    private Path base(Compression compression, int level) {
        return dir.resolve(compression.name().toLowerCase(java.util.Locale.ROOT) + "-" + level);
    }

    private static void drop(Path desc, Path blob) {
        try {
            Files.deleteIfExists(desc);
            Files.deleteIfExists(blob);
        } catch (IOException ignored) {
            // the next store replaces them
        }
    }
}
