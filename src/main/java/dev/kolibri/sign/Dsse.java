package dev.kolibri.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * DSSE, the envelope cosign puts attestations in:
 * {@code {"payloadType":T,"payload":b64,"signatures":[{"keyid":"","sig":b64}]}}, each signature an ECDSA P-256
 * SHA-256 DER signature over {@link #pae PAE(T, payload)}.
 */
public final class Dsse {
    /** The payload type of an in-toto statement. */
    public static final String IN_TOTO = "application/vnd.in-toto+json";
    /** Media type of the attestation layer in cosign's {@code .att} image. */
    public static final String MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Dsse() {}

    /** One signature; {@code keyid} is an unauthenticated hint, empty when cosign signs with a key. */
    public record Sig(String keyid, byte[] sig) {
        public Sig {
            sig = sig.clone();
        }

        @Override
        public byte[] sig() {
            return sig.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sig s && s.keyid.equals(keyid) && Arrays.equals(s.sig, sig);
        }

        @Override
        public int hashCode() {
            return keyid.hashCode() * 31 + Arrays.hashCode(sig);
        }

        @Override
        public String toString() {
            return "Sig[keyid=" + keyid + ", " + sig.length + " bytes]";
        }
    }

    public record Envelope(String payloadType, byte[] payload, List<Sig> signatures) {
        public Envelope {
            payload = payload.clone();
            signatures = List.copyOf(signatures);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        /** As Go's encoding/json writes cosign's envelope: payloadType, payload, signatures[{keyid, sig}]. */
        public byte[] toJson() {
            Base64.Encoder b64 = Base64.getEncoder();
            List<Object> sigs = new ArrayList<>();
            for (Sig s : signatures) sigs.add(new GoJson.Struct().put("keyid", s.keyid()).put("sig", b64.encodeToString(s.sig)));
            return GoJson.bytes(new GoJson.Struct()
                    .put("payloadType", payloadType)
                    .put("payload", b64.encodeToString(payload))
                    .put("signatures", sigs));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Envelope e && e.payloadType.equals(payloadType) && Arrays.equals(e.payload, payload) && e.signatures.equals(signatures);
        }

        @Override
        public int hashCode() {
            return (payloadType.hashCode() * 31 + Arrays.hashCode(payload)) * 31 + signatures.hashCode();
        }

        @Override
        public String toString() {
            return "Envelope[" + payloadType + ", " + payload.length + " bytes, " + signatures.size() + " signature(s)]";
        }
    }

    /** {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, lengths in bytes as decimal ASCII. */
    public static byte[] pae(String payloadType, byte[] body) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + body.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    public static Envelope sign(String payloadType, byte[] payload, PrivateKey key) throws KeyException {
        return new Envelope(payloadType, payload, List.of(new Sig("", Signer.sign(key, pae(payloadType, payload)))));
    }

    /** An attestation: the statement, signed, in an in-toto envelope. */
    public static Envelope sign(Statement statement, PrivateKey key) throws KeyException {
        return sign(IN_TOTO, statement.toJson(), key);
    }

    /** True when at least one of the envelope's signatures is by {@code key}. */
    public static boolean verify(Envelope envelope, PublicKey key) throws KeyException {
        byte[] pae = pae(envelope.payloadType(), envelope.payload);
        for (Sig s : envelope.signatures()) {
            if (Signer.verify(key, pae, s.sig)) return true;
        }
        return false;
    }

    /** Reads an envelope; base64 may be standard or URL-safe, padded or not (the spec asks verifiers to accept both). */
    public static Envelope parse(byte[] json) throws PayloadException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new PayloadException("the DSSE envelope is not JSON: " + GoJson.why(e), e);
        }
        if (root == null || !root.isObject()) throw new PayloadException("the DSSE envelope is not a JSON object");
        JsonNode type = root.get("payloadType");
        if (type == null || !type.isTextual()) throw new PayloadException("the DSSE envelope has no payloadType");
        byte[] payload = base64(root.get("payload"), "payload");
        JsonNode sigs = root.get("signatures");
        if (sigs == null || !sigs.isArray() || sigs.isEmpty()) throw new PayloadException("the DSSE envelope has no signatures");
        List<Sig> out = new ArrayList<>();
        for (JsonNode s : sigs) out.add(new Sig(s.path("keyid").asText(""), base64(s.get("sig"), "signatures[].sig")));
        return new Envelope(type.asText(), payload, out);
    }

    private static byte[] base64(JsonNode n, String field) throws PayloadException {
        if (n == null || !n.isTextual()) throw new PayloadException("the DSSE envelope has no '" + field + "'");
        String s = n.asText();
        try {
            return (s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
        } catch (IllegalArgumentException e) {
            throw new PayloadException("the DSSE envelope's '" + field + "' is not base64: " + e.getMessage(), e);
        }
    }
}
