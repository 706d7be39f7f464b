package dev.kolibri.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical JSON for OCI documents: fields in the order of the image spec's Go types, no whitespace, no nulls, empty
 * maps and optional lists left out, map keys sorted.
 */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static JsonNode read(byte[] json, String what) {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || !n.isObject()) throw new OciFormatException("not a valid " + what + ": not a JSON object");
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new OciFormatException("not a valid " + what + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new OciFormatException("not a valid " + what + ": " + e.getMessage(), e);
        }
    }

    static void stringMap(JsonGenerator g, String field, Map<String, String> m) throws IOException {
        if (m == null || m.isEmpty()) return;
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) g.writeStringField(e.getKey(), e.getValue());
        g.writeEndObject();
    }

    static void stringList(JsonGenerator g, String field, List<String> l) throws IOException {
        if (l == null || l.isEmpty()) return;
        g.writeArrayFieldStart(field);
        for (String s : l) g.writeString(s);
        g.writeEndArray();
    }

    static void optString(JsonGenerator g, String field, String v) throws IOException {
        if (v != null && !v.isEmpty()) g.writeStringField(field, v);
    }

    static void descriptor(JsonGenerator g, Descriptor d) throws IOException {
        g.writeStartObject();
        g.writeStringField("mediaType", d.mediaType());
        g.writeStringField("digest", d.digest().toString());
        g.writeNumberField("size", d.size());
        stringMap(g, "annotations", d.annotations());
        if (d.platform() != null) platform(g, d.platform());
        optString(g, "artifactType", d.artifactType());
        g.writeEndObject();
    }

    static void platform(JsonGenerator g, Platform p) throws IOException {
        g.writeObjectFieldStart("platform");
        g.writeStringField("architecture", p.architecture());
        g.writeStringField("os", p.os());
        optString(g, "variant", p.variant());
        g.writeEndObject();
    }

    static Descriptor descriptor(JsonNode n, String what) {
        if (n == null || !n.isObject()) throw new OciFormatException("not a valid " + what + ": descriptor is not an object");
        String mediaType = text(n, "mediaType", what, true);
        Digest digest;
        try {
            digest = Digest.parse(text(n, "digest", what, true));
        } catch (IllegalArgumentException e) {
            throw new OciFormatException("not a valid " + what + ": " + e.getMessage(), e);
        }
        JsonNode size = n.get("size");
        if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
            throw new OciFormatException("not a valid " + what + ": descriptor " + digest + " has no valid size");
        }
        Platform platform = null;
        JsonNode p = n.get("platform");
        if (p != null && p.isObject()) {
            platform = new Platform(text(p, "os", what, true), text(p, "architecture", what, true), text(p, "variant", what, false));
        }
        return new Descriptor(mediaType, digest, size.asLong(), stringMap(n, "annotations", what), platform,
                text(n, "artifactType", what, false));
    }

    static String text(JsonNode n, String field, String what, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new OciFormatException("not a valid " + what + ": missing field '" + field + "'");
            return null;
        }
        if (!v.isTextual()) throw new OciFormatException("not a valid " + what + ": field '" + field + "' is not a string");
        return v.asText();
    }

    static Map<String, String> stringMap(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        Map<String, String> out = new TreeMap<>();
        if (v == null || v.isNull()) return out;
        if (!v.isObject()) throw new OciFormatException("not a valid " + what + ": field '" + field + "' is not an object");
        for (Map.Entry<String, JsonNode> e : v.properties()) out.put(e.getKey(), e.getValue().asText());
        return out;
    }

    static List<String> stringList(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (!v.isArray()) throw new OciFormatException("not a valid " + what + ": field '" + field + "' is not an array");
        for (JsonNode s : v) out.add(s.asText());
        return out;
    }

    static List<Descriptor> descriptors(JsonNode n, String field, String what, boolean required) {
        JsonNode v = n.get(field);
        List<Descriptor> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            if (required) throw new OciFormatException("not a valid " + what + ": missing field '" + field + "'");
            return out;
        }
        if (!v.isArray()) throw new OciFormatException("not a valid " + what + ": field '" + field + "' is not an array");
        for (JsonNode d : v) out.add(descriptor(d, what));
        return out;
    }

    static void checkSchemaVersion(JsonNode n, String what) {
        JsonNode v = n.get("schemaVersion");
        if (v == null || !v.isInt() || v.asInt() != 2) {
            throw new OciFormatException("not a valid " + what + ": schemaVersion must be 2, got " + v);
        }
    }
}
