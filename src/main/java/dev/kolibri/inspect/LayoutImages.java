package dev.kolibri.inspect;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.OciLayout;

import java.util.List;

/**
 * Which image {@code DIR} (no tag) means in a layout. Besides its image, a Kolibri layout lists artifacts (SBOMs)
 * in {@code index.json}; they carry an {@code artifactType} and are not images a person means by {@code DIR}.
 */
public final class LayoutImages {
    private LayoutImages() {}

    /**
     * The tag of the only top-level entry that is not an artifact, or null (let {@link OciLayout#resolve} decide
     * and explain) when there is no such single tagged entry.
     */
    public static String defaultTag(OciLayout layout) {
        List<Descriptor> images = layout.index().manifests().stream().filter(d -> d.artifactType() == null).toList();
        if (images.size() != 1 || layout.index().manifests().size() == 1) return null;
        return images.get(0).annotations().get(ImageIndex.REF_NAME);
    }

    /**
     * The image a verb reads from a multi-platform image when no {@code --platform} is given, the same for
     * {@code sbom}, {@code scan} and {@code inspect}'s readers: linux/amd64 when there is one, else the first.
     */
    public static OciLayout.Image defaultPlatform(List<OciLayout.Image> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("no images");
        return images.stream().filter(i -> i.platform().os().equals("linux") && i.platform().architecture().equals("amd64"))
                .findFirst().orElse(images.getFirst());
    }
}
