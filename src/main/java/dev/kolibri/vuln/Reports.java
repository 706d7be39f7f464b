package dev.kolibri.vuln;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Renders a {@link ScanReport} as a text table, as JSON, or as SARIF 2.1.0. Output is deterministic. */
public final class Reports {
    private static final List<Severity> DESCENDING = List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW,
            Severity.NONE, Severity.UNKNOWN);

    private Reports() {}

    /** A fixed-width table (id, aliases, severity, package, installed, fixed, fix available) and a summary line. */
    public static String table(ScanReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "ALIASES", "SEVERITY", "PACKAGE", "INSTALLED", "FIXED", "FIX"});
        for (Finding f : report.findings()) {
            rows.add(new String[] {f.id(), String.join(",", f.aliases()), severityText(f.rating()), f.packageName(),
                    f.installedVersion(), f.fixedVersion() == null ? "-" : f.fixedVersion(), f.fixAvailable() ? "yes" : "no"});
        }
        int[] width = new int[rows.getFirst().length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        if (!report.findings().isEmpty()) {
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    line.append(r[i]);
                    if (i < r.length - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
                sb.append(line.toString().stripTrailing()).append('\n');
            }
        }
        sb.append(summaryLine(report)).append('\n');
        return sb.toString();
    }

    static String summaryLine(ScanReport report) {
        Map<Severity, Integer> s = report.summary();
        StringBuilder sb = new StringBuilder().append(report.findings().size()).append(report.findings().size() == 1 ? " finding" : " findings");
        List<String> parts = new ArrayList<>();
        for (Severity sev : DESCENDING) if (s.get(sev) > 0) parts.add(s.get(sev) + " " + sev.label());
        if (!parts.isEmpty()) sb.append(" (").append(String.join(", ", parts)).append(')');
        sb.append(", ").append(report.suppressed().size()).append(" suppressed by VEX");
        return sb.toString();
    }

    private static String severityText(Finding.Rating r) {
        return r.score() == null ? r.severity().label() : r.severity().label() + " " + String.format(Locale.ROOT, "%.1f", r.score());
    }

    /**
     * JSON: target, ecosystem, summary counts, findings and suppressed findings. Written straight to a generator
     * with Jackson's default pretty printer (the same text a tree written with {@code INDENT_OUTPUT} gives, without
     * building the tree: reports can hold many thousands of findings).
     */
    public static String json(ScanReport report) {
        StringWriter out = new StringWriter(1024 + report.findings().size() * 640);
        try (JsonGenerator g = JsonFactoryHolder.FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("target", report.target());
            g.writeStringField("ecosystem", report.ecosystem());
            g.writeObjectFieldStart("summary");
            g.writeNumberField("total", report.findings().size());
            Map<Severity, Integer> counts = report.summary();
            for (Severity sev : DESCENDING) g.writeNumberField(sev.label(), counts.get(sev));
            g.writeNumberField("suppressed", report.suppressed().size());
            g.writeEndObject();
            g.writeArrayFieldStart("findings");
            for (Finding f : report.findings()) {
                g.writeStartObject();
                finding(g, f);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("suppressed");
            for (Suppressed s : report.suppressed()) {
                g.writeStartObject();
                finding(g, s.finding());
                g.writeStringField("justification", s.justification());
                g.writeStringField("suppressedBy", s.source());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }

    private static void finding(JsonGenerator g, Finding f) throws IOException {
        g.writeStringField("id", f.id());
        g.writeArrayFieldStart("aliases");
        for (String a : f.aliases()) g.writeString(a);
        g.writeEndArray();
        g.writeStringField("summary", f.summary());
        g.writeObjectFieldStart("severity");
        g.writeStringField("label", f.severity().label());
        if (f.rating().score() == null) g.writeNullField("score");
        else g.writeNumberField("score", f.rating().score().doubleValue());
        g.writeStringField("vector", f.rating().vector());
        g.writeStringField("source", f.rating().source());
        g.writeEndObject();
        g.writeStringField("package", f.packageName());
        g.writeStringField("sourcePackage", f.sourceName());
        g.writeStringField("purl", f.purl());
        g.writeStringField("installedVersion", f.installedVersion());
        g.writeStringField("fixedVersion", f.fixedVersion());
        g.writeBooleanField("fixAvailable", f.fixAvailable());
        g.writeStringField("dataSource", f.dataSource());
    }

    /** Jackson's plain factory (no databind) for the JSON report. */
    private static final class JsonFactoryHolder {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    /**
     * SARIF 2.1.0: one run whose driver {@code kolibri} has a rule per vulnerability id (short description,
     * {@code properties.security-severity}), and a result per finding (level error for high and critical, warning
     * for medium, note otherwise) located at a logical location naming the package.
     */
    public static String sarif(ScanReport report) {
        Map<String, Finding> rulesById = new TreeMap<>();
        for (Finding f : report.findings()) {
            rulesById.merge(f.id(), f, (a, b) -> b.severity().compareTo(a.severity()) > 0 ? b : a);
        }
        List<String> ruleIds = new ArrayList<>(rulesById.keySet());
        ObjectNode root = Sarif.JSON.createObjectNode();
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "kolibri");
        ArrayNode rules = driver.putArray("rules");
        for (String id : ruleIds) {
            Finding f = rulesById.get(id);
            ObjectNode rule = rules.addObject();
            rule.put("id", id);
            rule.putObject("shortDescription").put("text", f.summary().isEmpty() ? id : f.summary());
            ObjectNode props = rule.putObject("properties");
            props.put("security-severity", securitySeverity(f.rating()));
            ArrayNode tags = props.putArray("tags");
            tags.add("security");
            tags.add("vulnerability");
            tags.add(f.severity().label());
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : report.findings()) {
            ObjectNode r = results.addObject();
            r.put("ruleId", f.id());
            r.put("ruleIndex", ruleIds.indexOf(f.id()));
            r.put("level", level(f.severity()));
            String fix = f.fixAvailable() ? "; fixed in " + f.fixedVersion() : "; no fix available";
            r.putObject("message").put("text", f.id() + " in " + f.packageName() + " " + f.installedVersion() + fix);
            ObjectNode logical = r.putArray("locations").addObject().putArray("logicalLocations").addObject();
            logical.put("name", f.packageName());
            logical.put("fullyQualifiedName", f.packageName() + "@" + f.installedVersion());
            logical.put("kind", "module");
        }
        ObjectNode props = run.putObject("properties");
        props.put("target", report.target());
        props.put("ecosystem", report.ecosystem());
        ObjectNode summary = props.putObject("summary");
        for (Severity sev : DESCENDING) summary.put(sev.label(), report.summary().get(sev));
        summary.put("suppressed", report.suppressed().size());
        return write(root);
    }

    static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            default -> "note";
        };
    }

    /** The score when there is one, else a representative score of the band (GitHub reads this property). */
    static String securitySeverity(Finding.Rating r) {
        if (r.score() != null) return String.format(Locale.ROOT, "%.1f", r.score());
        return switch (r.severity()) {
            case CRITICAL -> "9.0";
            case HIGH -> "7.0";
            case MEDIUM -> "4.0";
            case LOW -> "0.1";
            default -> "0.0";
        };
    }

    /** The object mapper for SARIF, made on first use (the JSON report does not need databind). */
    private static final class Sarif {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static String write(ObjectNode root) {
        try {
            return Sarif.JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
