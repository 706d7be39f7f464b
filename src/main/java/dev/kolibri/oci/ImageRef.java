package dev.kolibri.oci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An image in a local OCI layout: {@code DIR} or {@code DIR:TAG}. Paths may contain {@code :}; the part after the
 * last {@code :} is a tag only if the whole argument is not an existing directory and the part holds no {@code /}.
 *
 * @param dir the layout directory
 * @param tag the tag ({@code org.opencontainers.image.ref.name}), or null for "the only image in the layout"
 */
public record ImageRef(Path dir, String tag) {
    public ImageRef {
        Objects.requireNonNull(dir, "dir");
        if (tag != null && tag.isEmpty()) tag = null;
    }

    public static ImageRef parse(String s) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException("empty image reference (want DIR or DIR:TAG)");
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || Files.isDirectory(Path.of(s))) return new ImageRef(Path.of(s), null);
        String tag = s.substring(colon + 1);
        if (tag.contains("/")) return new ImageRef(Path.of(s), null);
        return new ImageRef(Path.of(s.substring(0, colon)), tag);
    }

    @Override
    public String toString() {
        return tag == null ? dir.toString() : dir + ":" + tag;
    }
}
