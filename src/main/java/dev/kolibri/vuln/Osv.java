package dev.kolibri.vuln;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads OSV records: one JSON document (a record or an array of records), every {@code *.json} below a directory
 * (recursively, in path order), or every {@code *.json} entry of a zip (in entry-name order). Unknown fields are
 * ignored; a record that is not valid JSON or lacks what the schema requires fails with the file's name.
 */
public final class Osv {
    /** Bound on one JSON file or zip entry: OSV records are kilobytes; a larger one is hostile or not OSV. */
    static final long MAX_DOCUMENT = 64L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Osv() {}

    /** All records of a directory, zip or JSON file, in deterministic order. */
    public static List<OsvRecord> load(Path source) {
        List<OsvRecord> out = new ArrayList<>();
        forEach(source, out::add);
        return out;
    }

    /** Streams the records of a directory, zip or JSON file to {@code sink}, one document at a time. */
    public static void forEach(Path source, Consumer<OsvRecord> sink) {
        try {
            if (Files.isDirectory(source)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(source)) {
                    files = walk.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                            .sorted(Comparator.comparing(p -> source.relativize(p).toString())).toList();
                }
                for (Path f : files) {
                    if (Files.size(f) > MAX_DOCUMENT) throw new VulnException("OSV file " + f + " is larger than 64 MiB; it is not an OSV record");
                    parseDocument(Files.readAllBytes(f), f.toString(), sink);
                }
            } else if (Files.isRegularFile(source) && isZip(source)) {
                try (ZipFile zip = new ZipFile(source.toFile())) {
                    List<? extends ZipEntry> entries = zip.stream()
                            .filter(e -> !e.isDirectory() && e.getName().endsWith(".json"))
                            .sorted(Comparator.comparing(ZipEntry::getName)).toList();
                    for (ZipEntry e : entries) {
                        String name = source + "!" + e.getName();
                        try (InputStream in = zip.getInputStream(e)) {
                            byte[] bytes = in.readNBytes((int) MAX_DOCUMENT + 1);
                            if (bytes.length > MAX_DOCUMENT) throw new VulnException("OSV entry " + name + " is larger than 64 MiB; it is not an OSV record");
                            parseDocument(bytes, name, sink);
                        }
                    }
                }
            } else if (Files.isRegularFile(source)) {
                if (Files.size(source) > MAX_DOCUMENT) throw new VulnException("OSV file " + source + " is larger than 64 MiB; it is not an OSV record");
                parseDocument(Files.readAllBytes(source), source.toString(), sink);
            } else {
                throw new VulnException("OSV source " + source + " does not exist: give a directory or zip of OSV JSON records");
            }
        } catch (IOException e) {
            throw new VulnException("cannot read OSV source " + source + ": " + e.getMessage(), e);
        }
    }

    private static boolean isZip(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }

    private static void parseDocument(byte[] bytes, String name, Consumer<OsvRecord> sink) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new VulnException("malformed OSV record in " + name + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new VulnException("cannot read OSV record " + name + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) throw new VulnException("malformed OSV record in " + name + ": the file is empty");
        if (root.isArray()) {
            for (JsonNode n : root) sink.accept(parse(n, name));
        } else {
            sink.accept(parse(root, name));
        }
    }

    /** Parses one record from its JSON text; {@code name} names it in errors. */
    public static OsvRecord parse(String json, String name) {
        List<OsvRecord> out = new ArrayList<>();
        parseDocument(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), name, out::add);
        if (out.size() != 1) throw new VulnException("malformed OSV record in " + name + ": expected one record, found " + out.size());
        return out.getFirst();
    }

    static OsvRecord parse(JsonNode n, String name) {
        if (!n.isObject()) throw bad(name, "a record must be a JSON object");
        String id = requiredText(n, "id", name);
        List<OsvRecord.SeverityEntry> severity = new ArrayList<>();
        for (JsonNode s : array(n, "severity", name)) {
            if (!s.isObject()) throw bad(name, id + ": severity entries must be objects");
            severity.add(new OsvRecord.SeverityEntry(requiredText(s, "type", name), requiredText(s, "score", name)));
        }
        List<OsvRecord.Affected> affected = new ArrayList<>();
        for (JsonNode a : array(n, "affected", name)) affected.add(affected(a, id, name));
        return new OsvRecord(id, text(n, "modified", name), text(n, "published", name), text(n, "withdrawn", name),
                strings(n, "aliases", name), strings(n, "related", name), text(n, "summary", name), text(n, "details", name),
                severity, affected, specificSeverity(n.get("database_specific")));
    }

    private static OsvRecord.Affected affected(JsonNode a, String id, String name) {
        if (!a.isObject()) throw bad(name, id + ": affected entries must be objects");
        JsonNode pkg = a.get("package");
        String ecosystem = "";
        String pkgName = "";
        String purl = null;
        if (pkg != null && !pkg.isNull()) {
            if (!pkg.isObject()) throw bad(name, id + ": affected.package must be an object");
            ecosystem = requiredText(pkg, "ecosystem", name);
            pkgName = requiredText(pkg, "name", name);
            purl = text(pkg, "purl", name);
        }
        List<OsvRecord.Range> ranges = new ArrayList<>();
        for (JsonNode r : array(a, "ranges", name)) {
            if (!r.isObject()) throw bad(name, id + ": ranges entries must be objects");
            String type = requiredText(r, "type", name);
            List<OsvRecord.Event> events = new ArrayList<>();
            for (JsonNode e : array(r, "events", name)) events.add(event(e, id, name));
            ranges.add(new OsvRecord.Range(type, events));
        }
        String sev = specificSeverity(a.get("database_specific"));
        if (sev == null) sev = specificSeverity(a.get("ecosystem_specific"));
        return new OsvRecord.Affected(ecosystem, pkgName, purl, ranges, strings(a, "versions", name), sev);
    }

    private static OsvRecord.Event event(JsonNode e, String id, String name) {
        if (!e.isObject() || e.size() == 0) throw bad(name, id + ": a range event must be an object with one of introduced, fixed, last_affected, limit");
        OsvRecord.Event found = null;
        for (var kind : OsvRecord.EventKind.values()) {
            String key = kind.name().toLowerCase(java.util.Locale.ROOT);
            JsonNode v = e.get(key);
            if (v == null) continue;
            if (!v.isTextual()) throw bad(name, id + ": range event '" + key + "' must be a string");
            if (found != null) throw bad(name, id + ": a range event has both " + found.kind().name().toLowerCase(java.util.Locale.ROOT) + " and " + key);
            found = new OsvRecord.Event(kind, v.asText());
        }
        if (found == null) throw bad(name, id + ": a range event has none of introduced, fixed, last_affected, limit");
        return found;
    }

    /** {@code severity} of a database_specific/ecosystem_specific object, when it is a string. */
    private static String specificSeverity(JsonNode specific) {
        if (specific == null || !specific.isObject()) return null;
        JsonNode s = specific.get("severity");
        if (s != null && s.isTextual()) return s.asText();
        JsonNode urgency = specific.get("urgency");
        return urgency != null && urgency.isTextual() ? urgency.asText() : null;
    }

    private static Iterable<JsonNode> array(JsonNode n, String field, String name) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw bad(name, "field '" + field + "' must be an array");
        return v;
    }

    private static List<String> strings(JsonNode n, String field, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array(n, field, name)) {
            if (!v.isTextual()) throw bad(name, "field '" + field + "' must hold strings");
            out.add(v.asText());
        }
        return out;
    }

    private static String text(JsonNode n, String field, String name) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw bad(name, "field '" + field + "' must be a string");
        return v.asText();
    }

    private static String requiredText(JsonNode n, String field, String name) {
        String v = text(n, field, name);
        if (v == null || v.isEmpty()) throw bad(name, "required field '" + field + "' is missing");
        return v;
    }

    private static VulnException bad(String name, String why) {
        return new VulnException("malformed OSV record in " + name + ": " + why + " (fix or remove the file)");
    }
}
