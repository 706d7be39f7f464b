package dev.kolibri.publish;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.registry.Reference;
import dev.kolibri.registry.RegistryClient;
import dev.kolibri.sign.KeyException;
import dev.kolibri.sign.Signer;
import dev.kolibri.sign.SimpleSigning;

import java.io.IOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kolibri sign}: cosign signatures with a key. The reference is resolved to a digest; an index is signed
 * together with each of its platform manifests. Each signature is stored twice: as a layer appended to the
 * image under {@code sha256-<hex>.sig} (cosign's tag scheme, earlier signatures kept) and as an OCI 1.1 referrer
 * with {@code artifactType} {@value Cosign#SIGNATURE_ARTIFACT_TYPE}.
 */
public final class Signatures {
    private Signatures() {}

    /** One signed manifest: its digest, the {@code .sig} tag and the manifest now under it, the referrer's digest. */
    public record Signed(Digest manifest, String mediaType, String tag, Digest signatureImage, Digest referrer, int signatures) {}

    /** What was signed: the reference, the digest it resolved to, and each signed manifest (the top one first). */
    public record Result(Reference reference, Digest digest, List<Signed> signed) {}

    public static Result sign(RegistryClient c, Reference ref, KeyPair key, Map<String, Object> annotations)
            throws IOException, PublishException {
        RegistryClient.RemoteManifest top = Artifacts.resolve(c, ref);
        List<Descriptor> targets = new ArrayList<>();
        targets.add(top.descriptor());
        if (top.mediaType().equals(MediaTypes.IMAGE_INDEX) || top.mediaType().equals(MediaTypes.DOCKER_MANIFEST_LIST)) {
            for (Descriptor d : ImageIndex.parse(top.bytes()).manifests()) {
                if (d.mediaType().equals(MediaTypes.IMAGE_MANIFEST) || d.mediaType().equals(MediaTypes.DOCKER_MANIFEST)) targets.add(d);
            }
        }
        List<Signed> out = new ArrayList<>();
        for (Descriptor t : targets) out.add(signOne(c, ref, t, key, annotations));
        return new Result(ref, top.digest(), out);
    }

    private static Signed signOne(RegistryClient c, Reference ref, Descriptor target, KeyPair key, Map<String, Object> annotations)
            throws IOException, PublishException {
        String repo = ref.repository();
        byte[] payload = SimpleSigning.payload(ref.name(), target.digest(), annotations == null ? Map.of() : annotations);
        String sig;
        try {
            sig = Base64.getEncoder().encodeToString(Signer.sign(key.getPrivate(), payload));
        } catch (KeyException e) {
            throw new PublishException("cannot sign " + ref + ": " + e.getMessage(), e);
        }
        Descriptor layer = new Descriptor(SimpleSigning.MEDIA_TYPE, Digest.sha256(payload), payload.length,
                Map.of(Cosign.SIGNATURE_ANNOTATION, sig), null, null);
        String tag = Cosign.signatureTag(target.digest());
        List<Artifacts.Layer> layers = new ArrayList<>();
        Optional<Manifest> existing = Artifacts.manifestAt(c, repo, tag);
        Map<String, String> manifestAnnotations = new LinkedHashMap<>();
        if (existing.isPresent()) {
            for (Descriptor d : existing.get().layers()) layers.add(new Artifacts.Layer(d, null));
            manifestAnnotations.putAll(existing.get().annotations());
        }
        layers.add(new Artifacts.Layer(layer, payload));
        Digest image = Artifacts.putImage(c, repo, tag, layers, manifestAnnotations);
        Digest referrer = Artifacts.putReferrer(c, repo, target, Cosign.SIGNATURE_ARTIFACT_TYPE, new Artifacts.Layer(layer, null));
        return new Signed(target.digest(), target.mediaType(), tag, image, referrer, layers.size());
    }
}
