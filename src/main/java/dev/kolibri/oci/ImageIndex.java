package dev.kolibri.oci;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OCI image index (also the shape of a layout's {@code index.json}). {@code subject} and {@code artifactType}
 * may be null. {@link #toJson()} is canonical: {@code schemaVersion, mediaType, artifactType, manifests, subject,
 * annotations}.
 */
public record ImageIndex(List<Descriptor> manifests, Map<String, String> annotations, Descriptor subject,
                         String artifactType) {
    /** The annotation that names a tag in a layout's {@code index.json}. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    public ImageIndex {
        manifests = List.copyOf(manifests == null ? List.of() : manifests);
        annotations = Collections.unmodifiableMap(new TreeMap<>(annotations == null ? Map.of() : annotations));
    }

    public static ImageIndex of(List<Descriptor> manifests) {
        return new ImageIndex(manifests, Map.of(), null, null);
    }

    public byte[] toJson() {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 2);
            g.writeStringField("mediaType", MediaTypes.IMAGE_INDEX);
            Json.optString(g, "artifactType", artifactType);
            g.writeArrayFieldStart("manifests");
            for (Descriptor d : manifests) Json.descriptor(g, d);
            g.writeEndArray();
            if (subject != null) {
                g.writeFieldName("subject");
                Json.descriptor(g, subject);
            }
            Json.stringMap(g, "annotations", annotations);
            g.writeEndObject();
        });
    }

    /** The descriptor of this index's JSON. */
    public Descriptor descriptor() {
        return Descriptor.of(MediaTypes.IMAGE_INDEX, toJson());
    }

    /** Parses an OCI image index (or a Docker manifest list, whose shape is the same). */
    public static ImageIndex parse(byte[] json) {
        String what = "OCI image index";
        JsonNode n = Json.read(json, what);
        Json.checkSchemaVersion(n, what);
        String mt = Json.text(n, "mediaType", what, false);
        if (mt != null && !mt.equals(MediaTypes.IMAGE_INDEX) && !mt.equals(MediaTypes.DOCKER_MANIFEST_LIST)) {
            throw new OciFormatException("not a valid " + what + ": mediaType is " + mt);
        }
        JsonNode subject = n.get("subject");
        return new ImageIndex(Json.descriptors(n, "manifests", what, true), Json.stringMap(n, "annotations", what),
                subject == null || subject.isNull() ? null : Json.descriptor(subject, what),
                Json.text(n, "artifactType", what, false));
    }
}
