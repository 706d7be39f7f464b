package dev.kolibri.oci;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A written layer blob.
 *
 * @param descriptor       the compressed blob: media type, digest, size (no annotations)
 * @param diffId           sha256 of the uncompressed tar, as listed in the image config's {@code rootfs.diff_ids}
 * @param blob             the file holding the compressed blob
 * @param uncompressedSize size of the uncompressed tar in bytes
 */
public record Layer(Descriptor descriptor, Digest diffId, Path blob, long uncompressedSize) {
    public Layer {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(diffId, "diffId");
        Objects.requireNonNull(blob, "blob");
    }
}
