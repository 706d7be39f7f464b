package dev.kolibri.layer;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageRef;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.oci.Platform;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The layer plan of a previous build, read from the layer annotations of its manifest for one platform, for
 * {@code build --previous}. Only OCI layouts ({@code DIR} or {@code DIR:TAG}) for now.
 */
public final class PreviousImage {
    private static final Pattern REGISTRY = Pattern.compile("^(docker://|oci://)?[A-Za-z0-9-]+([.:][A-Za-z0-9.-]*)+(:[0-9]+)?/.+");

    private final ImageRef ref;
    private final OciLayout layout;

    private PreviousImage(ImageRef ref, OciLayout layout) {
        this.ref = ref;
        this.layout = layout;
    }

    /**
     * Opens {@code DIR[:TAG]}.
     *
     * @throws LayerPlanException when it is a registry reference (not supported yet), or no readable OCI layout
     */
    public static PreviousImage open(String image) throws LayerPlanException {
        ImageRef ref = ImageRef.parse(image);
        if (!Files.isDirectory(ref.dir())) {
            if (REGISTRY.matcher(image).matches()) {
                throw new LayerPlanException("--previous " + image + ": registry references are not supported yet; "
                        + "copy the image into an OCI layout (e.g. `skopeo copy docker://IMAGE oci:DIR:TAG`) and pass DIR:TAG");
            }
            throw new LayerPlanException("--previous " + image + ": no OCI layout directory " + ref.dir()
                    + "; pass the layout of the previous build (DIR or DIR:TAG)");
        }
        try {
            return new PreviousImage(ref, LayoutReader.open(ref.dir()));
        } catch (IOException e) {
            throw new LayerPlanException("--previous " + image + ": " + e.getMessage(), e);
        }
    }

    /**
     * The plan of the previous image for {@code platform}; empty when it has no image for that platform.
     *
     * @throws LayerPlanException when the image cannot be read or carries no layer plan
     */
    public Optional<LayerPlan> plan(Platform platform) throws LayerPlanException {
        try {
            List<OciLayout.Image> images = layout.images(ref.tag(), p -> p.os().equals(platform.os())
                    && p.architecture().equals(platform.architecture()));
            if (images.isEmpty()) return Optional.empty();
            List<Map<String, String>> annotations = new ArrayList<>();
            for (Descriptor d : images.get(0).manifest().layers()) annotations.add(d.annotations());
            return Optional.of(LayerPlan.fromAnnotations(annotations));
        } catch (IOException e) {
            throw new LayerPlanException("--previous " + ref + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new LayerPlanException("--previous " + ref + " (" + platform + "): " + e.getMessage()
                    + "; build without --previous", e);
        }
    }

    @Override
    public String toString() {
        return ref.toString();
    }
}
