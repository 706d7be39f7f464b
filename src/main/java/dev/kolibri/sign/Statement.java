package dev.kolibri.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kolibri.oci.Digest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-toto Statement: what an attestation says about its subjects. cosign writes {@code _type}
 * {@value #TYPE_V01} with one subject (the repository and the image's sha256) and the predicate parsed from the
 * user's file; {@link #toJson()} writes it the same way (fields in Go's order, predicate keys sorted).
 */
public record Statement(String type, List<Subject> subjects, String predicateType, JsonNode predicate) {
    public static final String TYPE_V01 = "https://in-toto.io/Statement/v0.1";
    public static final String TYPE_V1 = "https://in-toto.io/Statement/v1";
    public static final String SPDX = "https://spdx.dev/Document";
    public static final String CYCLONEDX = "https://cyclonedx.org/bom";
    public static final String SLSA_PROVENANCE_V02 = "https://slsa.dev/provenance/v0.2";
    public static final String SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
    public static final String LINK_V1 = "https://in-toto.io/Link/v1";
    public static final String COSIGN_VULN = "https://cosign.sigstore.dev/attestation/vuln/v1";
    public static final String COSIGN_CUSTOM = "https://cosign.sigstore.dev/attestation/v1";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One thing the statement is about: a name and its digests (algorithm to lowercase hex). */
    public record Subject(String name, Map<String, String> digest) {
        public Subject {
            digest = java.util.Collections.unmodifiableMap(new TreeMap<>(digest));
        }
    }

    public Statement {
        subjects = List.copyOf(subjects);
        if (predicate == null) predicate = NullNode.getInstance();
    }

    /** The statement cosign's {@code attest} makes: one subject {@code name} with {@code digest}. */
    public static Statement of(String name, Digest digest, String predicateType, JsonNode predicate) {
        return new Statement(TYPE_V01, List.of(new Subject(name, Map.of(digest.algorithm(), digest.hex()))), predicateType, predicate);
    }

    /**
     * The predicate type URI for one of cosign's {@code --type} names (slsaprovenance, slsaprovenance02,
     * slsaprovenance1, spdx, spdxjson, cyclonedx, link, vuln, custom), or a URI given as is.
     */
    public static String predicateType(String cosignType) {
        return switch (cosignType) {
            case "slsaprovenance", "slsaprovenance02" -> SLSA_PROVENANCE_V02;
            case "slsaprovenance1" -> SLSA_PROVENANCE_V1;
            case "spdx", "spdxjson" -> SPDX;
            case "cyclonedx" -> CYCLONEDX;
            case "link" -> LINK_V1;
            case "vuln" -> COSIGN_VULN;
            case "custom" -> COSIGN_CUSTOM;
            default -> {
                if (cosignType.matches("[a-zA-Z][a-zA-Z0-9+.-]*:\\S+")) yield cosignType;
                throw new IllegalArgumentException("unknown predicate type '" + cosignType
                        + "': use slsaprovenance, slsaprovenance1, spdxjson, cyclonedx, link, vuln, custom or a URI");
            }
        };
    }

    public byte[] toJson() {
        List<Object> subs = new ArrayList<>();
        for (Subject s : subjects) subs.add(new GoJson.Struct().put("name", s.name()).put("digest", s.digest()));
        return GoJson.bytes(new GoJson.Struct()
                .put("_type", type)
                .put("predicateType", predicateType)
                .put("subject", subs)
                .put("predicate", predicate));
    }

    /** Reads a v0.1 or v1 statement. */
    public static Statement parse(byte[] json) throws PayloadException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new PayloadException("the attestation payload is not JSON: " + GoJson.why(e), e);
        }
        if (root == null || !root.isObject()) throw new PayloadException("the attestation payload is not a JSON object");
        String type = root.path("_type").asText("");
        if (!type.equals(TYPE_V01) && !type.equals(TYPE_V1)) {
            throw new PayloadException("the attestation payload has _type '" + type + "', expected an in-toto Statement (" + TYPE_V01 + " or " + TYPE_V1 + ")");
        }
        JsonNode pt = root.get("predicateType");
        if (pt == null || !pt.isTextual() || pt.asText().isEmpty()) throw new PayloadException("the in-toto statement has no predicateType");
        JsonNode subs = root.get("subject");
        if (subs == null || !subs.isArray() || subs.isEmpty()) throw new PayloadException("the in-toto statement has no subject");
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode s : subs) {
            JsonNode digests = s.path("digest");
            if (!digests.isObject() || digests.isEmpty()) throw new PayloadException("an in-toto subject has no digest: " + s);
            Map<String, String> d = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : digests.properties()) {
                if (!e.getValue().isTextual()) throw new PayloadException("an in-toto subject digest '" + e.getKey() + "' is not a string");
                d.put(e.getKey(), e.getValue().asText());
            }
            subjects.add(new Subject(s.path("name").asText(""), d));
        }
        return new Statement(type, subjects, pt.asText(), root.get("predicate"));
    }
}
