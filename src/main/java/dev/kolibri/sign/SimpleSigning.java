package dev.kolibri.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.oci.Digest;

import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * cosign's signature payload, the "simple signing" format of containers/image:
 * {@code {"critical":{"identity":{"docker-reference":REPO},"image":{"docker-manifest-digest":DIGEST},"type":"cosign container image signature"},"optional":ANNOTATIONS|null}}.
 * Written byte for byte as cosign (Go's encoding/json) writes it: fields in this order, annotations sorted by key.
 */
public final class SimpleSigning {
    public static final String TYPE = "cosign container image signature";
    /** Media type of the signature layer in cosign's {@code .sig} image. */
    public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a payload says: the repository (no tag), the signed manifest digest, the optional annotations (may be empty). */
    public record Parsed(String dockerReference, Digest manifestDigest, Map<String, Object> annotations) {
        public Parsed {
            annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
        }
    }

    private SimpleSigning() {}

    /**
     * The payload for {@code dockerReference} (a repository such as {@code host:5000/team/app}, without tag or digest:
     * cosign writes the repository name) and the manifest digest. {@code annotations} may be null or empty: cosign
     * then writes {@code "optional":null}. Values: strings, numbers, booleans, null, maps and lists of those.
     */
    public static byte[] payload(String dockerReference, Digest manifestDigest, Map<String, Object> annotations) {
        checkRepository(dockerReference);
        return GoJson.bytes(new GoJson.Struct()
                .put("critical", new GoJson.Struct()
                        .put("identity", new GoJson.Struct().put("docker-reference", dockerReference))
                        .put("image", new GoJson.Struct().put("docker-manifest-digest", manifestDigest.toString()))
                        .put("type", TYPE))
                .put("optional", annotations == null || annotations.isEmpty() ? null : annotations));
    }

    public static Parsed parse(byte[] payload) throws PayloadException {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new PayloadException("the signature payload is not JSON: " + GoJson.why(e), e);
        }
        if (root == null || !root.isObject()) throw new PayloadException("the signature payload is not a JSON object");
        JsonNode critical = root.get("critical");
        if (critical == null || !critical.isObject()) throw new PayloadException("the signature payload has no 'critical' object: it is not a simple-signing payload");
        // containers-signature(5): a consumer must reject a 'critical' object with fields it does not know
        for (Iterator<String> it = critical.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("identity", "image", "type").contains(f)) throw new PayloadException("the signature payload has an unknown critical field '" + f + "': refusing it");
        }
        String type = critical.path("type").asText("");
        if (!type.equals(TYPE)) throw new PayloadException("the signature payload is of type '" + type + "', expected '" + TYPE + "'");
        JsonNode ref = critical.path("identity").path("docker-reference");
        JsonNode digest = critical.path("image").path("docker-manifest-digest");
        if (!ref.isTextual() || ref.asText().isEmpty()) throw new PayloadException("the signature payload has no critical.identity.docker-reference");
        if (!digest.isTextual()) throw new PayloadException("the signature payload has no critical.image.docker-manifest-digest");
        Digest d;
        try {
            d = Digest.parse(digest.asText());
        } catch (IllegalArgumentException e) {
            throw new PayloadException("the signature payload's manifest digest is invalid: " + e.getMessage(), e);
        }
        JsonNode optional = root.get("optional");
        Map<String, Object> annotations = new LinkedHashMap<>();
        if (optional != null && !optional.isNull()) {
            if (!optional.isObject()) throw new PayloadException("the signature payload's 'optional' is not an object");
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) GoJson.plain(optional);
            annotations.putAll(m);
        }
        return new Parsed(ref.asText(), d, annotations);
    }

    private static void checkRepository(String ref) {
        if (ref == null || ref.isBlank() || ref.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("not a repository name: '" + ref + "'");
        }
        String last = ref.substring(ref.lastIndexOf('/') + 1);
        if (ref.contains("@") || last.contains(":")) {
            throw new IllegalArgumentException("pass the repository without tag or digest (cosign signs 'host/repo'), got '" + ref + "'");
        }
    }
}
