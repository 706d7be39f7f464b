package dev.kolibri.sbom;

import dev.kolibri.oci.Digest;
import dev.kolibri.oci.Platform;

import java.util.List;
import java.util.Objects;

/**
 * The image an SBOM or provenance statement is about.
 *
 * @param name     repository name of the image ({@code python}, {@code org/python})
 * @param tag      tag, or null
 * @param digest   digest of the image manifest, or of the index for a multi-arch image
 * @param platform the platform of a single-arch image; null for an index
 * @param layers   layer digests, in manifest order (may be empty)
 */
public record ImageSubject(String name, String tag, Digest digest, Platform platform, List<Digest> layers) {
    public ImageSubject {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        if (name.isBlank()) throw new IllegalArgumentException("image name is empty");
        layers = List.copyOf(layers == null ? List.of() : layers);
    }
}
