package dev.kolibri.publish;

import dev.kolibri.oci.Digest;

/**
 * Where cosign keeps what it attaches to an image {@code D} in the image's repository, and the media types it
 * uses (sigstore/cosign {@code specs/SIGNATURE_SPEC.md}, {@code pkg/types}, {@code pkg/oci/static}).
 */
public final class Cosign {
    private Cosign() {}

    /** Layer annotation holding the base64 DER signature of a simple-signing payload ({@code ""} on attestations). */
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    /** Layer annotation naming an attestation's predicate type. */
    public static final String PREDICATE_TYPE_ANNOTATION = "predicateType";
    /** {@code artifactType} of a signature stored as an OCI 1.1 referrer. */
    public static final String SIGNATURE_ARTIFACT_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";
    /** {@code artifactType} of an attestation stored as an OCI 1.1 referrer: the DSSE envelope's media type. */
    public static final String ATTESTATION_ARTIFACT_TYPE = "application/vnd.dsse.envelope.v1+json";
    /** cosign's SBOM layer media types ({@code cosign attach sbom}). */
    public static final String SPDX_JSON = "text/spdx+json";
    public static final String CYCLONEDX_JSON = "application/vnd.cyclonedx+json";

    /** {@code sha256-<hex>.sig}. */
    public static String signatureTag(Digest d) {
        return d.dashed() + ".sig";
    }

    /** {@code sha256-<hex>.att}. */
    public static String attestationTag(Digest d) {
        return d.dashed() + ".att";
    }

    /** {@code sha256-<hex>.sbom}. */
    public static String sbomTag(Digest d) {
        return d.dashed() + ".sbom";
    }
}
