package dev.kolibri.oci;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI image configuration ({@code application/vnd.oci.image.config.v1+json}): the fields Kolibri writes.
 * Lists are never null (empty when absent); {@code variant}, {@code user}, {@code workingDir} and {@code created}
 * may be null. {@link #toJson()} is canonical: the same record always gives the same bytes. {@link #parse} keeps
 * only these fields, so a foreign config does not round-trip byte for byte.
 */
public record ImageConfig(String architecture, String os, String variant, String user, List<String> env,
                          List<String> entrypoint, List<String> cmd, String workingDir, Map<String, String> labels,
                          List<String> exposedPorts, List<String> volumes,
                          Instant created, List<Digest> diffIds, List<History> history) {

    /** One history entry; Kolibri writes one per layer, none empty. */
    public record History(Instant created, String createdBy, String comment, boolean emptyLayer) {
        public static History layer(Instant created, String createdBy) {
            return new History(created, createdBy, null, false);
        }
    }

    public ImageConfig {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(os, "os");
        env = List.copyOf(env == null ? List.of() : env);
        entrypoint = List.copyOf(entrypoint == null ? List.of() : entrypoint);
        cmd = List.copyOf(cmd == null ? List.of() : cmd);
        labels = Collections.unmodifiableMap(new TreeMap<>(labels == null ? Map.of() : labels));
        exposedPorts = List.copyOf(new java.util.TreeSet<>(exposedPorts == null ? List.of() : exposedPorts));
        volumes = List.copyOf(new java.util.TreeSet<>(volumes == null ? List.of() : volumes));
        diffIds = List.copyOf(diffIds == null ? List.of() : diffIds);
        history = List.copyOf(history == null ? List.of() : history);
    }

    /**
     * The config of an image built by Kolibri: {@code created} and every history entry's time is {@code epoch}
     * (seconds), one history entry per layer with {@code createdBy[i]}.
     */
    public static ImageConfig of(Platform platform, String user, List<String> env, List<String> entrypoint,
                                 List<String> cmd, String workingDir, Map<String, String> labels, long epoch,
                                 List<Digest> diffIds, List<String> createdBy) {
        if (createdBy.size() != diffIds.size()) {
            throw new IllegalArgumentException("need one history entry per layer: " + diffIds.size() + " layers, "
                    + createdBy.size() + " history entries");
        }
        Instant t = Instant.ofEpochSecond(epoch);
        List<History> h = new ArrayList<>();
        for (String c : createdBy) h.add(History.layer(t, c));
        return new ImageConfig(platform.architecture(), platform.os(), platform.variant(), user, env, entrypoint, cmd,
                workingDir, labels, List.of(), List.of(), t, diffIds, h);
    }

    /**
     * This config with {@code ExposedPorts} ({@code PORT/PROTO}) and {@code Volumes} (absolute paths), written as
     * objects of empty objects in sorted order, as Docker and podman write them.
     */
    public ImageConfig withPortsAndVolumes(List<String> ports, List<String> volumePaths) {
        return new ImageConfig(architecture, os, variant, user, env, entrypoint, cmd, workingDir, labels, ports,
                volumePaths, created, diffIds, history);
    }

    public Platform platform() {
        return new Platform(os, architecture, variant);
    }

    public byte[] toJson() {
        return Json.write(g -> {
            g.writeStartObject();
            if (created != null) g.writeStringField("created", formatTime(created));
            g.writeStringField("architecture", architecture);
            g.writeStringField("os", os);
            Json.optString(g, "variant", variant);
            boolean hasConfig = user != null || !env.isEmpty() || !entrypoint.isEmpty() || !cmd.isEmpty()
                    || workingDir != null || !labels.isEmpty() || !exposedPorts.isEmpty() || !volumes.isEmpty();
            if (hasConfig) {
                g.writeObjectFieldStart("config");
                Json.optString(g, "User", user);
                Json.stringList(g, "Env", env);
                Json.stringList(g, "Entrypoint", entrypoint);
                Json.stringList(g, "Cmd", cmd);
                emptyObjects(g, "ExposedPorts", exposedPorts);
                Json.optString(g, "WorkingDir", workingDir);
                Json.stringMap(g, "Labels", labels);
                emptyObjects(g, "Volumes", volumes);
                g.writeEndObject();
            }
            g.writeObjectFieldStart("rootfs");
            g.writeStringField("type", "layers");
            g.writeArrayFieldStart("diff_ids");
            for (Digest d : diffIds) g.writeString(d.toString());
            g.writeEndArray();
            g.writeEndObject();
            if (!history.isEmpty()) {
                g.writeArrayFieldStart("history");
                for (History h : history) {
                    g.writeStartObject();
                    if (h.created() != null) g.writeStringField("created", formatTime(h.created()));
                    Json.optString(g, "created_by", h.createdBy());
                    Json.optString(g, "comment", h.comment());
                    if (h.emptyLayer()) g.writeBooleanField("empty_layer", true);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    public static ImageConfig parse(byte[] json) {
        String what = "OCI image config";
        JsonNode n = Json.read(json, what);
        JsonNode c = n.path("config");
        JsonNode rootfs = n.get("rootfs");
        if (rootfs == null || !rootfs.isObject()) throw new OciFormatException("not a valid " + what + ": missing field 'rootfs'");
        List<Digest> diffIds = new ArrayList<>();
        for (String s : Json.stringList(rootfs, "diff_ids", what)) {
            try {
                diffIds.add(Digest.parse(s));
            } catch (IllegalArgumentException e) {
                throw new OciFormatException("not a valid " + what + ": " + e.getMessage(), e);
            }
        }
        List<History> history = new ArrayList<>();
        for (JsonNode h : n.path("history")) {
            history.add(new History(parseTime(Json.text(h, "created", what, false)), Json.text(h, "created_by", what, false),
                    Json.text(h, "comment", what, false), h.path("empty_layer").asBoolean(false)));
        }
        boolean hasConfig = c.isObject();
        return new ImageConfig(Json.text(n, "architecture", what, true), Json.text(n, "os", what, true),
                Json.text(n, "variant", what, false),
                hasConfig ? Json.text(c, "User", what, false) : null,
                hasConfig ? Json.stringList(c, "Env", what) : List.of(),
                hasConfig ? Json.stringList(c, "Entrypoint", what) : List.of(),
                hasConfig ? Json.stringList(c, "Cmd", what) : List.of(),
                hasConfig ? Json.text(c, "WorkingDir", what, false) : null,
                hasConfig ? Json.stringMap(c, "Labels", what) : Map.of(),
                hasConfig ? keys(c, "ExposedPorts") : List.of(),
                hasConfig ? keys(c, "Volumes") : List.of(),
                parseTime(Json.text(n, "created", what, false)), diffIds, history);
    }

    /** {@code "FIELD": {"a": {}, "b": {}}}, nothing when empty. */
    private static void emptyObjects(com.fasterxml.jackson.core.JsonGenerator g, String field, List<String> keys)
            throws java.io.IOException {
        if (keys.isEmpty()) return;
        g.writeObjectFieldStart(field);
        for (String k : keys) {
            g.writeObjectFieldStart(k);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The field names of the object {@code field} (absent or null: none). */
    private static List<String> keys(JsonNode c, String field) {
        JsonNode o = c.get(field);
        if (o == null || o.isNull()) return List.of();
        if (!o.isObject()) throw new OciFormatException("not a valid OCI image config: '" + field + "' must be an object");
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** RFC 3339 in UTC with whole seconds when there is no fraction: {@code 1970-01-01T00:00:00Z}. */
    static String formatTime(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    private static Instant parseTime(String s) {
        if (s == null || s.isEmpty()) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new OciFormatException("not a valid OCI image config: bad time '" + s + "' (want RFC 3339)", e);
        }
    }
}
