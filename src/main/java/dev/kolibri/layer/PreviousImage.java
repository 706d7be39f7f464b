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
 * {@code build --previous}: from an OCI layout ({@code DIR} or {@code DIR:TAG}, {@link #open}) or any other
 * {@link Source} (a registry: {@code publish.RemotePrevious}).
 */
public final class PreviousImage {
    private static final Pattern REGISTRY = Pattern.compile("^(docker://|oci://)?[A-Za-z0-9-]+([.:][A-Za-z0-9.-]*)+(:[0-9]+)?/.+");

    /** Where a previous image's manifests are read from. */
    @FunctionalInterface
    public interface Source {
        /** The annotations of the layers of the image's manifest for {@code platform}; empty when it has none. */
        Optional<List<Map<String, String>>> layerAnnotations(Platform platform) throws IOException;
    }

    /** Opens the {@code --previous} argument: a layout path, or (where an opener knows registries) a reference. */
    @FunctionalInterface
    public interface Opener {
        PreviousImage open(String image) throws LayerPlanException;

        /** Layouts only: a registry reference gets a clear error. */
        Opener LAYOUTS = PreviousImage::open;
    }

    private final String name;
    private final Source source;

    private PreviousImage(String name, Source source) {
        this.name = name;
        this.source = source;
    }

    /** A previous image read from {@code source}; {@code name} names it in messages. */
    public static PreviousImage of(String name, Source source) {
        return new PreviousImage(name, source);
    }

    /** Whether {@code image} names a registry image rather than a layout directory on this machine. */
    public static boolean isRegistryReference(String image) {
        return !Files.isDirectory(ImageRef.parse(image).dir()) && REGISTRY.matcher(image).matches();
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
                throw new LayerPlanException("--previous " + image + ": this build reads only OCI layouts for "
                        + "--previous; use the kolibri CLI (which reads registries), or copy the image into a layout "
                        + "(e.g. `kolibri pull IMAGE DIR`) and pass DIR:TAG");
            }
            throw new LayerPlanException("--previous " + image + ": no OCI layout directory " + ref.dir()
                    + "; pass the layout of the previous build (DIR or DIR:TAG)");
        }
        try {
            OciLayout layout = LayoutReader.open(ref.dir());
            return new PreviousImage(ref.toString(), platform -> {
                List<OciLayout.Image> images = layout.images(ref.tag(), p -> p.os().equals(platform.os())
                        && p.architecture().equals(platform.architecture()));
                if (images.isEmpty()) return Optional.empty();
                List<Map<String, String>> annotations = new ArrayList<>();
                for (Descriptor d : images.get(0).manifest().layers()) annotations.add(d.annotations());
                return Optional.of(annotations);
            });
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
            Optional<List<Map<String, String>>> annotations = source.layerAnnotations(platform);
            if (annotations.isEmpty()) return Optional.empty();
            return Optional.of(LayerPlan.fromAnnotations(annotations.get()));
        } catch (IOException e) {
            throw new LayerPlanException("--previous " + name + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new LayerPlanException("--previous " + name + " (" + platform + "): " + e.getMessage()
                    + "; build without --previous", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
