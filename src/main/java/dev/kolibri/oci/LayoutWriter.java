package dev.kolibri.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes an OCI image layout directory atomically. Everything goes to a sibling {@code <target>.tmp-<random>}
 * directory; {@link #commit} renames it into place (an existing target is renamed aside first and deleted after).
 * Any failure, or closing without a commit, deletes the temporary directory: nothing partial is left behind.
 *
 * <pre>{@code
 * try (LayoutWriter w = LayoutWriter.create(out)) {
 *     w.addBlob(layer.blob(), layer.descriptor());
 *     Descriptor cfg = w.addBlob(MediaTypes.IMAGE_CONFIG, config.toJson());
 *     ...
 *     w.commit(index);
 * }
 * }</pre>
 */
public final class LayoutWriter implements AutoCloseable {
    static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path tmp;
    private boolean done;

    private LayoutWriter(Path target, Path tmp) {
        this.target = target;
        this.tmp = tmp;
    }

    /** Starts a layout that will be renamed to {@code target} on {@link #commit}. */
    public static LayoutWriter create(Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) throw new OciLayoutException("cannot write an OCI layout at the file system root: " + target);
        Files.createDirectories(parent);
        Path tmp = Files.createDirectory(sibling(abs, ".tmp-"));
        try {
            Files.createDirectories(tmp.resolve("blobs").resolve("sha256"));
        } catch (IOException e) {
            deleteTree(tmp);
            throw e;
        }
        return new LayoutWriter(abs, tmp);
    }

    /** The temporary directory being written (for diagnostics and tests). */
    public Path stagingDir() {
        return tmp;
    }

    /** Adds {@code content} as a blob and returns its descriptor with {@code mediaType}. */
    public Descriptor addBlob(String mediaType, byte[] content) throws IOException {
        Descriptor d = Descriptor.of(mediaType, content);
        guard(() -> {
            Path p = blobPath(tmp, d.digest());
            if (!Files.exists(p)) Files.write(p, content);
        });
        return d;
    }

    /**
     * Copies the blob in {@code file} into the layout, checking on the way that its size and digest are the
     * descriptor's. A mismatch aborts the whole layout and throws.
     */
    public void addBlob(Path file, Descriptor d) throws IOException {
        guard(() -> {
            if (!d.digest().algorithm().equals("sha256")) {
                throw new OciLayoutException("blob " + d.digest() + ": only sha256 blobs can be written");
            }
            Path dest = blobPath(tmp, d.digest());
            if (Files.exists(dest)) return;
            Path part = dest.resolveSibling(d.digest().hex() + ".part");
            Digest actual;
            long count;
            try (InputStream in = Files.newInputStream(file);
                 DigestingOutputStream out = new DigestingOutputStream(Files.newOutputStream(part))) {
                in.transferTo(out);
                actual = out.digest();
                count = out.count();
            }
            if (!actual.equals(d.digest()) || count != d.size()) {
                throw new OciLayoutException("blob " + file + " does not match its descriptor: expected " + d.digest()
                        + " (" + d.size() + " bytes), found " + actual + " (" + count + " bytes)");
            }
            Files.move(part, dest);
        });
    }

    /**
     * Moves a blob whose digest the caller computed from these very bytes (as {@link LayerWriter} does when it
     * writes a layer, and {@link LayerCache} when it hands one out) into the layout, without reading it again; only
     * its size is checked. A mismatch aborts the whole layout and throws.
     */
    public void moveBlob(Layer layer) throws IOException {
        Path file = layer.blob();
        Descriptor d = layer.descriptor();
        guard(() -> {
            if (!d.digest().algorithm().equals("sha256")) {
                throw new OciLayoutException("blob " + d.digest() + ": only sha256 blobs can be written");
            }
            Path dest = blobPath(tmp, d.digest());
            if (Files.exists(dest)) {
                Files.deleteIfExists(file);
                return;
            }
            long size = Files.size(file);
            if (size != d.size()) {
                throw new OciLayoutException("blob " + file + " does not match its descriptor: expected " + d.size()
                        + " bytes, found " + size);
            }
            try {
                Files.move(file, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.copy(file, dest);
                Files.delete(file);
            }
        });
    }

    /**
     * Writes {@code oci-layout} and {@code index.json}, checks that every blob the index reaches is present with
     * its size, and renames the layout into place. Every top-level entry must carry a distinct
     * {@code org.opencontainers.image.ref.name}.
     */
    public void commit(ImageIndex index) throws IOException {
        if (done) throw new IllegalStateException("layout writer already committed or aborted");
        guard(() -> {
            Set<String> tags = new HashSet<>();
            for (Descriptor d : index.manifests()) {
                String tag = d.annotations().get(ImageIndex.REF_NAME);
                if (tag == null || tag.isEmpty()) {
                    throw new OciLayoutException("index.json entry " + d.digest() + " has no " + ImageIndex.REF_NAME
                            + " annotation (every image in a Kolibri layout is tagged)");
                }
                if (!tags.add(tag)) throw new OciLayoutException("two index.json entries are tagged '" + tag + "'");
                checkReachable(d, 0);
            }
            Files.write(tmp.resolve("oci-layout"), OCI_LAYOUT);
            Files.write(tmp.resolve("index.json"), index.toJson());
            swapIntoPlace();
        });
        done = true;
    }

    private void checkReachable(Descriptor d, int depth) throws IOException {
        if (depth > 8) throw new OciLayoutException("index nesting deeper than 8 at " + d.digest());
        Path p = blobPath(tmp, d.digest());
        if (!Files.isRegularFile(p)) {
            throw new OciLayoutException("blob " + d.digest() + " (" + d.mediaType() + ") is referenced but was never added");
        }
        if (Files.size(p) != d.size()) {
            throw new OciLayoutException("blob " + d.digest() + " has " + Files.size(p) + " bytes, its descriptor says " + d.size());
        }
        switch (d.mediaType()) {
            case MediaTypes.IMAGE_INDEX -> {
                for (Descriptor m : ImageIndex.parse(Files.readAllBytes(p)).manifests()) checkReachable(m, depth + 1);
            }
            case MediaTypes.IMAGE_MANIFEST -> {
                Manifest m = Manifest.parse(Files.readAllBytes(p));
                checkReachable(m.config(), depth + 1);
                for (Descriptor l : m.layers()) checkReachable(l, depth + 1);
            }
            default -> { }
        }
    }

    private void swapIntoPlace() throws IOException {
        Path old = null;
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new OciLayoutException("cannot write the OCI layout: " + target + " exists and is not a directory");
            }
            old = sibling(target, ".old-");
            move(target, old);
        }
        try {
            move(tmp, target);
        } catch (IOException e) {
            if (old != null) move(old, target);
            throw e;
        }
        if (old != null) deleteTree(old);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new OciLayoutException("cannot rename " + from + " to " + to + " atomically: " + e.getMessage(), e);
        }
    }

    /** Deletes the temporary directory. Safe to call more than once. */
    public void abort() {
        if (done) return;
        done = true;
        try {
            deleteTree(tmp);
        } catch (IOException e) {
            // Best effort: the caller is already handling a failure.
        }
    }

    /** Aborts unless {@link #commit} succeeded. */
    @Override
    public void close() {
        abort();
    }

    private interface Step {
        void run() throws IOException;
    }

    private void guard(Step step) throws IOException {
        if (done) throw new IllegalStateException("layout writer already committed or aborted");
        try {
            step.run();
        } catch (IOException | RuntimeException | Error e) {
            abort();
            throw e;
        }
    }

    static Path blobPath(Path layout, Digest d) {
        return layout.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
    }

    private static Path sibling(Path abs, String infix) throws IOException {
        for (int i = 0; i < 100; i++) {
            byte[] r = new byte[6];
            RANDOM.nextBytes(r);
            Path p = abs.resolveSibling(abs.getFileName() + infix + HexFormat.of().formatHex(r));
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return p;
        }
        throw new FileAlreadyExistsException(abs + infix + "*");
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(all::add);
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) Files.deleteIfExists(p);
    }
}
