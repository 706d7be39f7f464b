package dev.kolibri.publish;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.OciFormatException;
import dev.kolibri.registry.Reference;
import dev.kolibri.registry.RegistryClient;
import dev.kolibri.registry.RegistryException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry side of cosign's storage: small images under {@code sha256-<hex>.sig|.att|.sbom} tags, built as
 * go-containerregistry builds them for cosign (OCI manifest, OCI config media type, the config of an empty image
 * with one history entry and diff ID per layer), and OCI 1.1 referrers carrying the same layer.
 */
final class Artifacts {
    /** Payloads, envelopes and SBOMs larger than this are refused when read back. */
    static final long MAX_BLOB = 64L << 20;
    /** The OCI empty descriptor's content, used as the config of referrer artifacts. */
    static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

    private Artifacts() {}

    /** A layer to put: its descriptor and, when it is new, its content. */
    record Layer(Descriptor descriptor, byte[] content) {}

    /** What {@code ref} names now: the manifest or index bytes, digest checked. */
    static RegistryClient.RemoteManifest resolve(RegistryClient c, Reference ref) throws RegistryException {
        return c.getManifest(ref.repository(), ref.reference(), List.of());
    }

    /** The manifest under {@code tag}, or empty when there is none. */
    static Optional<Manifest> manifestAt(RegistryClient c, String repo, String tag) throws IOException {
        RegistryClient.RemoteManifest m;
        try {
            m = c.getManifest(repo, tag, List.of(MediaTypes.IMAGE_MANIFEST, MediaTypes.DOCKER_MANIFEST));
        } catch (RegistryException e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
        return Optional.of(parse(m.bytes(), c.host() + "/" + repo + ":" + tag));
    }

    static Manifest manifest(RegistryClient c, String repo, Digest d) throws IOException {
        RegistryClient.RemoteManifest m = c.getManifest(repo, d.toString(), List.of(MediaTypes.IMAGE_MANIFEST));
        return parse(m.bytes(), c.host() + "/" + repo + "@" + d);
    }

    private static Manifest parse(byte[] bytes, String where) throws RegistryException {
        try {
            return Manifest.parse(bytes);
        } catch (OciFormatException e) {
            throw new RegistryException("MANIFEST_INVALID", 200, false, "manifest_invalid: " + where + ": " + e.getMessage(), e);
        }
    }

    /** A small blob's bytes, checked against its digest and size. */
    static byte[] blob(RegistryClient c, String repo, Descriptor d) throws IOException {
        if (d.size() > MAX_BLOB) {
            throw new RegistryException("BLOB_INVALID", 0, false, "blob_invalid: " + c.host() + "/" + repo + ": "
                    + d.digest() + " is " + d.size() + " bytes, too large for a " + d.mediaType() + "; refusing it");
        }
        try (InputStream in = c.getBlob(repo, d)) {
            return in.readAllBytes();
        }
    }

    /**
     * Puts an image of {@code layers} under {@code tag}: new layer contents and the config are uploaded first, the
     * manifest last. Returns the manifest's digest.
     */
    static Digest putImage(RegistryClient c, String repo, String tag, List<Layer> layers, Map<String, String> annotations)
            throws IOException {
        for (Layer l : layers) if (l.content() != null) push(c, repo, l.descriptor(), l.content());
        byte[] config = config(layers.stream().map(Layer::descriptor).toList());
        Descriptor cd = Descriptor.of(MediaTypes.IMAGE_CONFIG, config);
        push(c, repo, cd, config);
        Manifest m = new Manifest(cd, layers.stream().map(Layer::descriptor).toList(), annotations, null, null);
        return c.putManifest(repo, tag, MediaTypes.IMAGE_MANIFEST, m.toJson());
    }

    /**
     * Puts {@code layer} as an OCI 1.1 referrer of {@code subject} (empty config, {@code artifactType}), by digest;
     * on a registry without the referrers API also records it in the {@code sha256-<hex>} referrers tag.
     */
    static Digest putReferrer(RegistryClient c, String repo, Descriptor subject, String artifactType, Layer layer)
            throws IOException {
        if (layer.content() != null) push(c, repo, layer.descriptor(), layer.content());
        Descriptor empty = Descriptor.of(MediaTypes.EMPTY_JSON, EMPTY_JSON);
        push(c, repo, empty, EMPTY_JSON);
        Descriptor subj = new Descriptor(subject.mediaType(), subject.digest(), subject.size(), Map.of(), null, null);
        Manifest m = new Manifest(empty, List.of(layer.descriptor()), Map.of(), subj, artifactType);
        byte[] json = m.toJson();
        Digest d = c.putManifest(repo, Digest.sha256(json).toString(), MediaTypes.IMAGE_MANIFEST, json);
        if (!c.supportsReferrersApi(repo, subject.digest())) {
            c.addToReferrersTag(repo, subject.digest(), Descriptor.of(MediaTypes.IMAGE_MANIFEST, json).withArtifactType(artifactType));
        }
        return d;
    }

    /** The layers of every referrer of {@code subject} with {@code artifactType}, with the referrer's digest. */
    static List<Found> referrerLayers(RegistryClient c, String repo, Digest subject, String artifactType) throws IOException {
        List<Found> out = new ArrayList<>();
        for (Descriptor r : c.referrers(repo, subject, artifactType)) {
            Manifest m = manifest(c, repo, r.digest());
            if (m.subject() == null || !m.subject().digest().equals(subject)) continue; // listed, but not about it
            for (Descriptor l : m.layers()) out.add(new Found("referrer " + r.digest(), l));
        }
        return out;
    }

    /** The layers of the image under {@code tag}, or none. */
    static List<Found> tagLayers(RegistryClient c, String repo, String tag) throws IOException {
        List<Found> out = new ArrayList<>();
        Optional<Manifest> m = manifestAt(c, repo, tag);
        if (m.isPresent()) for (Descriptor l : m.get().layers()) out.add(new Found("tag " + tag, l));
        return out;
    }

    /** A layer found in the registry and where it was found. */
    record Found(String source, Descriptor layer) {}

    private static void push(RegistryClient c, String repo, Descriptor d, byte[] content) throws RegistryException {
        c.pushBlob(repo, d, () -> new ByteArrayInputStream(content));
    }

    /**
     * The config go-containerregistry gives an empty image after appending these layers, as cosign pushes it:
     * {@code {"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":...}...],"os":"",
     * "rootfs":{"type":"layers","diff_ids":[...]},"config":{}}} (static layers are uncompressed: diff ID = digest).
     */
    static byte[] config(List<Descriptor> layers) {
        String zero = "\"0001-01-01T00:00:00Z\"";
        StringBuilder h = new StringBuilder();
        StringBuilder ids = new StringBuilder();
        for (Descriptor l : layers) {
            if (!h.isEmpty()) {
                h.append(',');
                ids.append(',');
            }
            h.append("{\"created\":").append(zero).append('}');
            ids.append('"').append(l.digest()).append('"');
        }
        String json = "{\"architecture\":\"\",\"created\":" + zero + ",\"history\":[" + h + "],\"os\":\"\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]},\"config\":{}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
