package dev.kolibri.vuln;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Renders a {@link ScanReport} as a text table, as JSON, or as SARIF 2.1.0. Output is deterministic. */
public final class Reports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
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

    /** JSON: target, ecosystem, summary counts, findings and suppressed findings. */
    public static String json(ScanReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("target", report.target());
        root.put("ecosystem", report.ecosystem());
        ObjectNode summary = root.putObject("summary");
        summary.put("total", report.findings().size());
        for (Severity sev : DESCENDING) summary.put(sev.label(), report.summary().get(sev));
        summary.put("suppressed", report.suppressed().size());
        ArrayNode findings = root.putArray("findings");
        for (Finding f : report.findings()) findings.add(finding(f));
        ArrayNode suppressed = root.putArray("suppressed");
        for (Suppressed s : report.suppressed()) {
            ObjectNode n = finding(s.finding());
            n.put("justification", s.justification());
            n.put("suppressedBy", s.source());
            suppressed.add(n);
        }
        return write(root);
    }

    private static ObjectNode finding(Finding f) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", f.id());
        ArrayNode aliases = n.putArray("aliases");
        f.aliases().forEach(aliases::add);
        n.put("summary", f.summary());
        ObjectNode sev = n.putObject("severity");
        sev.put("label", f.severity().label());
        if (f.rating().score() == null) sev.putNull("score");
        else sev.put("score", f.rating().score());
        sev.put("vector", f.rating().vector());
        sev.put("source", f.rating().source());
        n.put("package", f.packageName());
        n.put("sourcePackage", f.sourceName());
        n.put("purl", f.purl());
        n.put("installedVersion", f.installedVersion());
        n.put("fixedVersion", f.fixedVersion());
        n.put("fixAvailable", f.fixAvailable());
        n.put("dataSource", f.dataSource());
        return n;
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
        ObjectNode root = JSON.createObjectNode();
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

    private static String write(ObjectNode root) {
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
