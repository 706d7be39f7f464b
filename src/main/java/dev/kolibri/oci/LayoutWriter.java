package dev.kolibri.oci;

import dev.kolibri.fs.OutputDir;
import dev.kolibri.fs.OutputDirException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes an OCI image layout directory atomically, through {@link OutputDir}: everything goes to a sibling
 * {@code <target>.tmp-<random>} directory (locked while this process writes it); {@link #commit} renames it into
 * place. Any failure, or closing without a commit, deletes the temporary directory: nothing partial is left behind.
 *
 * <p>An existing target that is neither an OCI layout nor an empty directory is refused before anything is
 * written. An existing layout is updated, not replaced: {@link #commit} keeps its entries under other tags, with
 * their blobs, and the files beside them (see {@link LayoutUpdate}).
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

    /** What a layout writer may update: an OCI image layout (a directory with an {@code oci-layout} file). */
    public static final OutputDir.Kind KIND = new OutputDir.Kind() {
        @Override
        public String what() {
            return "an OCI image layout (it has no oci-layout file)";
        }

        @Override
        public boolean recognizes(Path dir) {
            return Files.isRegularFile(dir.resolve("oci-layout"), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
    };

    private final OutputDir dir;
    private final Path tmp;
    private final Set<String> ownDirs = new TreeSet<>();
    private boolean done;

    private LayoutWriter(OutputDir dir) {
        this.dir = dir;
        this.tmp = dir.staging();
    }

    /**
     * Starts a layout that will be renamed to {@code target} on {@link #commit}; refuses (touching nothing) a target
     * that is not an OCI layout or an empty directory, and a parent that cannot be written.
     */
    public static LayoutWriter create(Path target) throws IOException {
        OutputDir dir = OutputDir.open(target, KIND);
        try {
            Files.createDirectories(dir.staging().resolve("blobs").resolve("sha256"));
        } catch (IOException e) {
            dir.close();
            throw e;
        }
        return new LayoutWriter(dir);
    }

    /** Checks, without writing anything, that {@link #create} would accept {@code target}. */
    public static void check(Path target) throws OutputDirException {
        OutputDir.check(target, KIND);
    }

    /**
     * A directory of the layout's own beside {@code blobs/} ({@code sbom/3.11}), written whole by this writer: an
     * existing layout's directory of that name is replaced, not merged. Returns it, created, in the staging dir.
     */
    public Path ownDirectory(String relative) throws IOException {
        if (relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")
                || java.util.Arrays.stream(relative.split("/")).anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals("..")
                        || s.equals("blobs") || s.equals("index.json") || s.equals("oci-layout"))) {
            throw new IllegalArgumentException("not a directory name inside a layout: '" + relative + "'");
        }
        Path p = tmp.resolve(relative);
        guard(() -> Files.createDirectories(p));
        ownDirs.add(relative);
        return p;
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
            ImageIndex written = dir.existing().isPresent()
                    ? LayoutUpdate.merge(dir.existing().get(), tmp, index, ownDirs) : index;
            Files.write(tmp.resolve("oci-layout"), OCI_LAYOUT);
            Files.write(tmp.resolve("index.json"), written.toJson());
            dir.commit();
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

    /** Deletes the temporary directory. Safe to call more than once. */
    public void abort() {
        if (done) return;
        done = true;
        dir.close();
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

    static void deleteTree(Path root) throws IOException {
        OutputDir.deleteTree(root);
    }
}
