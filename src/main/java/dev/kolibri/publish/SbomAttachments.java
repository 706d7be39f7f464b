package dev.kolibri.publish;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.Platform;
import dev.kolibri.registry.Reference;
import dev.kolibri.registry.RegistryClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SBOMs attached as cosign attaches them ({@code cosign attach sbom}): an image under
 * {@code sha256-<hex of the manifest>.sbom} whose one layer is the SBOM, of media type {@value Cosign#SPDX_JSON} or
 * {@value Cosign#CYCLONEDX_JSON}; attaching again replaces it. {@link #download} is {@code cosign download sbom}.
 */
public final class SbomAttachments {
    /** Layer media types read back as SBOMs (cosign has written SPDX JSON under each of the first three). */
    static final Set<String> SBOM_TYPES = Set.of(Cosign.SPDX_JSON, "spdx+json", MediaTypes.SPDX_JSON, "text/spdx",
            Cosign.CYCLONEDX_JSON, "application/vnd.cyclonedx+xml", "application/vnd.syft+json");

    private SbomAttachments() {}

    /** One SBOM read back: the manifest it is about, its platform (null for a single manifest), its media type and bytes. */
    public record Downloaded(Digest manifest, Platform platform, String mediaType, byte[] content) {}

    /** The SBOM layer media type for a format name: {@code spdx} or {@code cyclonedx}. */
    public static String mediaType(String format) {
        return switch (format) {
            case "spdx", "spdxjson" -> Cosign.SPDX_JSON;
            case "cyclonedx" -> Cosign.CYCLONEDX_JSON;
            default -> throw new IllegalArgumentException("unknown SBOM format '" + format + "': use spdx or cyclonedx");
        };
    }

    /** Attaches {@code sbom} to the manifest {@code manifest} in {@code repo}; returns the {@code .sbom} image's digest. */
    public static Digest attach(RegistryClient c, String repo, Digest manifest, byte[] sbom, String mediaType) throws IOException {
        Descriptor layer = Descriptor.of(mediaType, sbom);
        return Artifacts.putImage(c, repo, Cosign.sbomTag(manifest), List.of(new Artifacts.Layer(layer, sbom)), Map.of());
    }

    /**
     * The SBOMs attached to what {@code ref} names. For an index: the SBOM of the manifest for {@code platform};
     * without a platform, the index's own SBOM, and when it has none an error listing the platforms to choose from.
     */
    public static List<Downloaded> download(RegistryClient c, Reference ref, Platform platform) throws IOException, PublishException {
        String repo = ref.repository();
        RegistryClient.RemoteManifest top = Artifacts.resolve(c, ref);
        boolean index = top.mediaType().equals(MediaTypes.IMAGE_INDEX) || top.mediaType().equals(MediaTypes.DOCKER_MANIFEST_LIST);
        Digest target = top.digest();
        Platform chosen = null;
        List<Descriptor> children = index ? ImageIndex.parse(top.bytes()).manifests() : List.of();
        if (platform != null) {
            if (!index) throw new PublishException(ref + " is a single image, not an index: drop --platform");
            Descriptor match = children.stream().filter(d -> platform.equals(d.platform())).findFirst()
                    .orElseThrow(() -> new PublishException(ref + " has no image for " + platform + " (it has: " + platforms(children) + ")"));
            target = match.digest();
            chosen = platform;
        }
        List<Downloaded> out = new ArrayList<>();
        for (Artifacts.Found f : Artifacts.tagLayers(c, repo, Cosign.sbomTag(target))) {
            if (!SBOM_TYPES.contains(f.layer().mediaType())) continue;
            out.add(new Downloaded(target, chosen, f.layer().mediaType(), Artifacts.blob(c, repo, f.layer())));
        }
        if (out.isEmpty()) {
            if (index && platform == null) {
                throw new PublishException(ref + " is a multi-platform index with no SBOM of its own: pass --platform (one of: "
                        + platforms(children) + ")");
            }
            throw new PublishException("no SBOM is attached to " + ref + (chosen == null ? "" : " for " + chosen) + " ("
                    + target + "; looked under " + Cosign.sbomTag(target) + ")");
        }
        return out;
    }

    private static String platforms(List<Descriptor> ds) {
        List<String> p = new ArrayList<>();
        for (Descriptor d : ds) if (d.platform() != null) p.add(d.platform().toString());
        return p.isEmpty() ? "none" : String.join(", ", p);
    }
}
