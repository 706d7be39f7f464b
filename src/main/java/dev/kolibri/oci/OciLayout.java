package dev.kolibri.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A readable OCI image layout. Every blob read through it is checked against its digest (and size, where a
 * descriptor gives one); a missing or corrupt blob throws {@link OciLayoutException} naming the path and digest.
 */
public final class OciLayout {
    /** Documents (manifests, indexes, configs) larger than this are refused, as registries do. */
    static final long MAX_DOCUMENT = 16L << 20;

    private final Path dir;
    private final ImageIndex index;

    private OciLayout(Path dir, ImageIndex index) {
        this.dir = dir;
        this.index = index;
    }

    /** One runnable image: its manifest, where it came from, and its config. */
    public record Image(Descriptor descriptor, Manifest manifest, ImageConfig config) {
        public Platform platform() {
            return config.platform();
        }
    }

    static OciLayout open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new OciLayoutException("not an OCI layout: " + dir + " is not a directory");
        Path marker = dir.resolve("oci-layout");
        if (!Files.isRegularFile(marker)) {
            throw new OciLayoutException("not an OCI layout: " + dir + " has no oci-layout file");
        }
        String text = Files.readString(marker);
        if (!text.contains("\"imageLayoutVersion\"")) {
            throw new OciLayoutException("not an OCI layout: " + marker + " has no imageLayoutVersion");
        }
        Path idx = dir.resolve("index.json");
        byte[] json;
        try {
            json = Files.readAllBytes(idx);
        } catch (NoSuchFileException e) {
            throw new OciLayoutException("not an OCI layout: " + dir + " has no index.json");
        }
        try {
            return new OciLayout(dir, ImageIndex.parse(json));
        } catch (OciFormatException e) {
            throw new OciLayoutException(idx + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The layout's {@code index.json}. */
    public ImageIndex index() {
        return index;
    }

    /**
     * The top-level entry tagged {@code tag}, or when {@code tag} is null the only entry. Throws, listing the
     * tags there are, when there is no such entry or (without a tag) more than one.
     */
    public Descriptor resolve(String tag) throws OciLayoutException {
        List<Descriptor> all = index.manifests();
        if (tag == null) {
            if (all.size() == 1) return all.get(0);
            // A Kolibri layout: one multi-arch index plus its platforms' manifests under TAG-ARCH.
            List<Descriptor> indexes = all.stream().filter(d -> d.mediaType().equals(MediaTypes.IMAGE_INDEX)).toList();
            if (indexes.size() == 1) return indexes.get(0);
            throw new OciLayoutException(dir + " holds " + all.size() + " images; name one with DIR:TAG (tags: " + tags() + ")");
        }
        for (Descriptor d : all) {
            if (tag.equals(d.annotations().get(ImageIndex.REF_NAME))) return d;
        }
        throw new OciLayoutException("no image tagged '" + tag + "' in " + dir + " (tags: " + tags() + ")");
    }

    private String tags() {
        List<String> t = new ArrayList<>();
        for (Descriptor d : index.manifests()) t.add(d.annotations().getOrDefault(ImageIndex.REF_NAME, "<untagged " + d.digest() + ">"));
        return t.isEmpty() ? "none" : String.join(", ", t);
    }

    public Manifest manifest(Descriptor d) throws IOException {
        byte[] b = document(d);
        try {
            return Manifest.parse(b);
        } catch (OciFormatException e) {
            throw new OciLayoutException(path(d.digest()) + ": " + e.getMessage(), e);
        }
    }

    public ImageIndex index(Descriptor d) throws IOException {
        byte[] b = document(d);
        try {
            return ImageIndex.parse(b);
        } catch (OciFormatException e) {
            throw new OciLayoutException(path(d.digest()) + ": " + e.getMessage(), e);
        }
    }

    public ImageConfig config(Descriptor d) throws IOException {
        byte[] b = document(d);
        try {
            return ImageConfig.parse(b);
        } catch (OciFormatException e) {
            throw new OciLayoutException(path(d.digest()) + ": " + e.getMessage(), e);
        }
    }

    /** The bytes of a small blob (manifest, index, config), verified against {@code d}. */
    public byte[] document(Descriptor d) throws IOException {
        if (d.size() > MAX_DOCUMENT) {
            throw new OciLayoutException("blob " + d.digest() + " is " + d.size() + " bytes, too large for a " + d.mediaType());
        }
        try (InputStream in = blob(d)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) d.size());
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** A blob's content, verified against its digest as it is read. */
    public InputStream blob(Digest digest) throws IOException {
        return open(digest, -1);
    }

    /** A blob's content, verified against the descriptor's digest and size as it is read. */
    public InputStream blob(Descriptor d) throws IOException {
        return open(d.digest(), d.size());
    }

    private InputStream open(Digest digest, long size) throws IOException {
        Path p = path(digest);
        if (!Files.isRegularFile(p)) {
            throw new OciLayoutException("blob " + digest + " is missing from " + dir + " (expected at " + p + ")");
        }
        return new VerifyingInputStream(Files.newInputStream(p), digest, size, p);
    }

    /** Where the blob with this digest lives in the layout. */
    public Path path(Digest digest) {
        return LayoutWriter.blobPath(dir, digest);
    }

    /**
     * The images under the entry tagged {@code tag} (null: the only entry) whose platform passes {@code filter}:
     * one for a manifest, one per matching manifest for an index (nested indexes are followed).
     */
    public List<Image> images(String tag, Predicate<Platform> filter) throws IOException {
        List<Image> out = new ArrayList<>();
        collect(resolve(tag), filter, out, 0);
        return out;
    }

    private void collect(Descriptor d, Predicate<Platform> filter, List<Image> out, int depth) throws IOException {
        if (depth > 8) throw new OciLayoutException("index nesting deeper than 8 at " + d.digest() + " in " + dir);
        switch (d.mediaType()) {
            case MediaTypes.IMAGE_INDEX, MediaTypes.DOCKER_MANIFEST_LIST -> {
                for (Descriptor m : index(d).manifests()) {
                    if (m.platform() != null && !filter.test(m.platform())) continue;
                    collect(m, filter, out, depth + 1);
                }
            }
            case MediaTypes.IMAGE_MANIFEST, MediaTypes.DOCKER_MANIFEST -> {
                Manifest m = manifest(d);
                String cmt = m.config().mediaType();
                if (!cmt.equals(MediaTypes.IMAGE_CONFIG) && !cmt.equals(MediaTypes.DOCKER_CONFIG)) return; // an artifact
                ImageConfig c = config(m.config());
                if (filter.test(c.platform())) out.add(new Image(d, m, c));
            }
            default -> { }
        }
    }
}
