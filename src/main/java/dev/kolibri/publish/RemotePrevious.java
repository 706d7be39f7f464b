package dev.kolibri.publish;

import dev.kolibri.layer.LayerPlanException;
import dev.kolibri.layer.PreviousImage;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.Platform;
import dev.kolibri.registry.Reference;
import dev.kolibri.registry.RegistryClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code build --previous REF} for an image in a registry: reads only its index and the platform's manifest (no
 * layer is downloaded) and hands their layer annotations to the planner.
 */
public final class RemotePrevious {
    private RemotePrevious() {}

    /** Opens layouts as usual and registry references through {@code options}. */
    public static PreviousImage.Opener opener(RegistryOptions options) {
        return image -> PreviousImage.isRegistryReference(image) ? open(options, image) : PreviousImage.open(image);
    }

    static PreviousImage open(RegistryOptions options, String image) throws LayerPlanException {
        Reference ref;
        RegistryClient client;
        try {
            ref = options.parse(image);
            client = options.client(ref);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new LayerPlanException("--previous " + image + ": " + e.getMessage(), e);
        }
        return PreviousImage.of(ref.toString(), platform -> annotations(client, ref, platform));
    }

    private static Optional<List<Map<String, String>>> annotations(RegistryClient client, Reference ref, Platform platform)
            throws java.io.IOException {
        RegistryClient.RemoteManifest top = client.getManifest(ref.repository(), ref.reference(), List.of());
        Manifest manifest;
        if (top.mediaType().equals(MediaTypes.IMAGE_INDEX) || top.mediaType().equals(MediaTypes.DOCKER_MANIFEST_LIST)) {
            Optional<Descriptor> match = ImageIndex.parse(top.bytes()).manifests().stream()
                    .filter(d -> d.platform() != null && d.platform().os().equals(platform.os())
                            && d.platform().architecture().equals(platform.architecture()))
                    .findFirst();
            if (match.isEmpty()) return Optional.empty();
            RegistryClient.RemoteManifest m = client.getManifest(ref.repository(), match.get().digest().toString(),
                    List.of(match.get().mediaType()));
            manifest = Manifest.parse(m.bytes());
        } else {
            manifest = Manifest.parse(top.bytes());
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (Descriptor d : manifest.layers()) out.add(d.annotations());
        return Optional.of(out);
    }
}
