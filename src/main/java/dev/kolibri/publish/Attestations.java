package dev.kolibri.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.Manifest;
import dev.kolibri.registry.Reference;
import dev.kolibri.registry.RegistryClient;
import dev.kolibri.sign.Dsse;
import dev.kolibri.sign.KeyException;
import dev.kolibri.sign.Statement;

import java.io.IOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kolibri attest}: an in-toto statement about the image the reference names, signed in a DSSE envelope,
 * stored as cosign stores it (a layer of media type {@value dev.kolibri.sign.Dsse#MEDIA_TYPE} with annotation
 * {@code predicateType}, appended to the image under {@code sha256-<hex>.att}) and as an OCI 1.1 referrer.
 */
public final class Attestations {
    private Attestations() {}

    /** What was attested: the digest, the predicate type, the {@code .att} tag and image, the referrer. */
    public record Result(Reference reference, Digest digest, String predicateType, String tag, Digest attestationImage,
                         Digest referrer) {}

    public static Result attest(RegistryClient c, Reference ref, KeyPair key, String predicateType, JsonNode predicate)
            throws IOException, PublishException {
        RegistryClient.RemoteManifest top = Artifacts.resolve(c, ref);
        Descriptor target = top.descriptor();
        String repo = ref.repository();
        Statement st = Statement.of(ref.name(), target.digest(), predicateType, predicate);
        byte[] envelope;
        try {
            envelope = Dsse.sign(st, key.getPrivate()).toJson();
        } catch (KeyException e) {
            throw new PublishException("cannot attest " + ref + ": " + e.getMessage(), e);
        }
        Descriptor layer = new Descriptor(Dsse.MEDIA_TYPE, Digest.sha256(envelope), envelope.length,
                Map.of(Cosign.SIGNATURE_ANNOTATION, "", Cosign.PREDICATE_TYPE_ANNOTATION, predicateType), null, null);
        String tag = Cosign.attestationTag(target.digest());
        List<Artifacts.Layer> layers = new ArrayList<>();
        Optional<Manifest> existing = Artifacts.manifestAt(c, repo, tag);
        existing.ifPresent(m -> m.layers().forEach(d -> layers.add(new Artifacts.Layer(d, null))));
        layers.add(new Artifacts.Layer(layer, envelope));
        Digest image = Artifacts.putImage(c, repo, tag, layers, existing.map(Manifest::annotations).orElse(Map.of()));
        Digest referrer = Artifacts.putReferrer(c, repo, target, Cosign.ATTESTATION_ARTIFACT_TYPE, new Artifacts.Layer(layer, null));
        return new Result(ref, target.digest(), predicateType, tag, image, referrer);
    }
}
