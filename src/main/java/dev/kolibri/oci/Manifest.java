package dev.kolibri.oci;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI image manifest. {@code subject} and {@code artifactType} may be null; annotations are sorted, never null.
 * {@link #toJson()} is canonical: {@code schemaVersion, mediaType, artifactType, config, layers, subject,
 * annotations}.
 */
public record Manifest(Descriptor config, List<Descriptor> layers, Map<String, String> annotations, Descriptor subject,
                       String artifactType) {
    public Manifest {
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers == null ? List.of() : layers);
        annotations = Collections.unmodifiableMap(new TreeMap<>(annotations == null ? Map.of() : annotations));
    }

    public static Manifest of(Descriptor config, List<Descriptor> layers) {
        return new Manifest(config, layers, Map.of(), null, null);
    }

    public byte[] toJson() {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 2);
            g.writeStringField("mediaType", MediaTypes.IMAGE_MANIFEST);
            Json.optString(g, "artifactType", artifactType);
            g.writeFieldName("config");
            Json.descriptor(g, config);
            g.writeArrayFieldStart("layers");
            for (Descriptor d : layers) Json.descriptor(g, d);
            g.writeEndArray();
            if (subject != null) {
                g.writeFieldName("subject");
                Json.descriptor(g, subject);
            }
            Json.stringMap(g, "annotations", annotations);
            g.writeEndObject();
        });
    }

    /** The descriptor of this manifest's JSON, with {@code platform} (may be null) for use in an index. */
    public Descriptor descriptor(Platform platform) {
        return Descriptor.of(MediaTypes.IMAGE_MANIFEST, toJson()).withPlatform(platform);
    }

    /** Parses an OCI manifest (or a Docker schema 2 manifest, whose shape is the same). */
    public static Manifest parse(byte[] json) {
        String what = "OCI image manifest";
        JsonNode n = Json.read(json, what);
        Json.checkSchemaVersion(n, what);
        String mt = Json.text(n, "mediaType", what, false);
        if (mt != null && !mt.equals(MediaTypes.IMAGE_MANIFEST) && !mt.equals(MediaTypes.DOCKER_MANIFEST)) {
            throw new OciFormatException("not a valid " + what + ": mediaType is " + mt);
        }
        JsonNode subject = n.get("subject");
        return new Manifest(Json.descriptor(n.get("config"), what), Json.descriptors(n, "layers", what, true),
                Json.stringMap(n, "annotations", what),
                subject == null || subject.isNull() ? null : Json.descriptor(subject, what),
                Json.text(n, "artifactType", what, false));
    }
}
