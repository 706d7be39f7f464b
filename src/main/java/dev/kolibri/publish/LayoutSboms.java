package dev.kolibri.publish;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.OciLayout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SBOMs an OCI layout holds about one image, as {@code kolibri build} stores them (docs/parts/sbom-build.md):
 * OCI 1.1 artifact manifests listed in {@code index.json} with an {@code artifactType} of SPDX or CycloneDX JSON,
 * one layer (the document), and a {@code subject} that is the image or one of its platform manifests.
 */
public final class LayoutSboms {
    /** The artifact types read as SBOMs. */
    public static final Set<String> TYPES = Set.of(MediaTypes.SPDX_JSON, MediaTypes.CYCLONEDX_JSON);

    private LayoutSboms() {}

    /**
     * One SBOM in a layout.
     *
     * @param artifact     the artifact manifest (media type, digest, size)
     * @param subject      the manifest it describes, as its {@code subject} names it
     * @param artifactType {@link MediaTypes#SPDX_JSON} or {@link MediaTypes#CYCLONEDX_JSON}
     * @param document     the layer holding the document
     */
    public record LayoutSbom(Descriptor artifact, Descriptor subject, String artifactType, Descriptor document) {}

    /** The SBOMs of {@code top} (an entry of {@code layout}) and of the manifests of its index, in index.json order. */
    public static List<LayoutSbom> of(OciLayout layout, Descriptor top) throws IOException {
        Map<Digest, Descriptor> about = new LinkedHashMap<>();
        about.put(top.digest(), top);
        if (top.mediaType().equals(MediaTypes.IMAGE_INDEX)) {
            for (Descriptor d : layout.index(top).manifests()) about.put(d.digest(), d);
        }
        List<LayoutSbom> out = new ArrayList<>();
        for (Descriptor e : layout.index().manifests()) {
            if (e.artifactType() == null || !TYPES.contains(e.artifactType()) || !e.mediaType().equals(MediaTypes.IMAGE_MANIFEST)) continue;
            Manifest m = layout.manifest(e);
            if (m.subject() == null || !about.containsKey(m.subject().digest()) || m.layers().size() != 1) continue;
            Descriptor artifact = new Descriptor(e.mediaType(), e.digest(), e.size(), Map.of(), null, null);
            out.add(new LayoutSbom(artifact, m.subject(), e.artifactType(), m.layers().get(0)));
        }
        return out;
    }
}
