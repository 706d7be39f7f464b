package dev.kolibri.publish;

import dev.kolibri.oci.Digest;
import dev.kolibri.registry.Reference;
import dev.kolibri.registry.RegistryClient;
import dev.kolibri.sign.Dsse;
import dev.kolibri.sign.KeyException;
import dev.kolibri.sign.PayloadException;
import dev.kolibri.sign.Signer;
import dev.kolibri.sign.SimpleSigning;
import dev.kolibri.sign.Statement;

import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code kolibri verify}: the reference is resolved to a digest now; its signatures are collected from the
 * {@code sha256-<hex>.sig} image and from its referrers; the image is verified when at least one signature is by
 * the key AND its payload names that digest. With attestations, the same for DSSE envelopes (the statement's
 * subject must carry the digest). Anything else is a {@link PublishException} with one line saying why.
 */
public final class Verifier {
    private Verifier() {}

    /** A signature that verified: where it was found and its payload's claims. */
    public record VerifiedSignature(String source, Digest payload, String dockerReference, Map<String, Object> annotations) {}

    /** An attestation that verified: where it was found and its predicate type. */
    public record VerifiedAttestation(String source, Digest envelope, String predicateType) {}

    public record Result(Reference reference, Digest digest, List<VerifiedSignature> signatures,
                         List<VerifiedAttestation> attestations) {}

    /**
     * @param keyName names the key in messages (its file)
     */
    public static Result verify(RegistryClient c, Reference ref, PublicKey key, String keyName, boolean attestations)
            throws IOException, PublishException {
        Digest digest = Artifacts.resolve(c, ref).digest();
        String repo = ref.repository();
        String what = ref + " (" + digest + ")";

        List<Artifacts.Found> found = new ArrayList<>(Artifacts.tagLayers(c, repo, Cosign.signatureTag(digest)));
        found.addAll(Artifacts.referrerLayers(c, repo, digest, Cosign.SIGNATURE_ARTIFACT_TYPE));
        found.removeIf(f -> !f.layer().mediaType().equals(SimpleSigning.MEDIA_TYPE));
        if (found.isEmpty()) {
            throw new PublishException(what + " has no signatures (none under " + Cosign.signatureTag(digest)
                    + " nor among its referrers): sign it with `kolibri sign`, or check the tag names the image you mean");
        }
        List<VerifiedSignature> ok = new ArrayList<>();
        TreeSet<Digest> otherDigests = new TreeSet<>();
        int byKey = 0;
        for (Artifacts.Found f : found) {
            String b64 = f.layer().annotations().get(Cosign.SIGNATURE_ANNOTATION);
            if (b64 == null || b64.isEmpty()) continue;
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                continue; // not a signature; counted as not verifying
            }
            byte[] payload = Artifacts.blob(c, repo, f.layer());
            if (!verifies(key, payload, sig)) continue;
            byKey++;
            SimpleSigning.Parsed p;
            try {
                p = SimpleSigning.parse(payload);
            } catch (PayloadException e) {
                continue;
            }
            if (!p.manifestDigest().equals(digest)) {
                otherDigests.add(p.manifestDigest());
                continue;
            }
            ok.add(new VerifiedSignature(f.source(), f.layer().digest(), p.dockerReference(), new LinkedHashMap<>(p.annotations())));
        }
        if (ok.isEmpty()) {
            if (byKey > 0 && !otherDigests.isEmpty()) {
                throw new PublishException("the signature(s) of " + what + " by " + keyName + " sign " + otherDigests.first()
                        + ", not the image the reference names now: refusing a signature copied from another image");
            }
            throw new PublishException("none of the " + found.size() + " signature(s) of " + what + " verifies with "
                    + keyName + ": it was signed with another key, or a signature was altered");
        }
        ok = dedupe(ok);
        List<VerifiedAttestation> atts = attestations ? attestations(c, ref, digest, key, keyName, what) : List.of();
        return new Result(ref, digest, List.copyOf(ok), atts);
    }

    private static List<VerifiedAttestation> attestations(RegistryClient c, Reference ref, Digest digest, PublicKey key,
                                                          String keyName, String what) throws IOException, PublishException {
        String repo = ref.repository();
        List<Artifacts.Found> found = new ArrayList<>(Artifacts.tagLayers(c, repo, Cosign.attestationTag(digest)));
        found.addAll(Artifacts.referrerLayers(c, repo, digest, Cosign.ATTESTATION_ARTIFACT_TYPE));
        found.removeIf(f -> !f.layer().mediaType().equals(Dsse.MEDIA_TYPE));
        if (found.isEmpty()) {
            throw new PublishException(what + " has no attestations (none under " + Cosign.attestationTag(digest)
                    + " nor among its referrers): attest it with `kolibri attest`");
        }
        List<VerifiedAttestation> ok = new ArrayList<>();
        int byKey = 0;
        for (Artifacts.Found f : found) {
            Dsse.Envelope env;
            Statement st;
            try {
                env = Dsse.parse(Artifacts.blob(c, repo, f.layer()));
                if (!Dsse.verify(env, key)) continue;
                byKey++;
                if (!env.payloadType().equals(Dsse.IN_TOTO)) continue;
                st = Statement.parse(env.payload());
            } catch (PayloadException e) {
                continue;
            } catch (KeyException e) {
                throw new PublishException("cannot verify with " + keyName + ": " + e.getMessage(), e);
            }
            boolean about = st.subjects().stream().anyMatch(s -> digest.hex().equals(s.digest().get(digest.algorithm())));
            if (!about) continue;
            ok.add(new VerifiedAttestation(f.source(), f.layer().digest(), st.predicateType()));
        }
        if (ok.isEmpty()) {
            throw new PublishException(byKey > 0
                    ? "the attestation(s) of " + what + " by " + keyName + " are about another image: refusing them"
                    : "none of the " + found.size() + " attestation(s) of " + what + " verifies with " + keyName);
        }
        List<VerifiedAttestation> unique = new ArrayList<>();
        for (VerifiedAttestation a : ok) if (unique.stream().noneMatch(u -> u.envelope().equals(a.envelope()))) unique.add(a);
        return List.copyOf(unique);
    }

    private static boolean verifies(PublicKey key, byte[] payload, byte[] sig) throws PublishException {
        try {
            return Signer.verify(key, payload, sig);
        } catch (KeyException e) {
            throw new PublishException("cannot verify with this key: " + e.getMessage(), e);
        }
    }

    /** The same payload found under the tag and as a referrer counts once (the first place it was found). */
    private static List<VerifiedSignature> dedupe(List<VerifiedSignature> all) {
        List<VerifiedSignature> out = new ArrayList<>();
        for (VerifiedSignature s : all) if (out.stream().noneMatch(o -> o.payload().equals(s.payload()))) out.add(s);
        return out;
    }
}
