package dev.kolibri.vuln;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CVSS base scores. v3.0 and v3.1 vectors are scored with the specification's formulas (each version's own
 * roundup). v4.0 vectors are validated (mandatory base metrics present and well-formed) but not scored: v4 scoring
 * needs the specification's macrovector lookup table, which is not implemented; callers take the severity label the
 * record gives instead.
 */
public final class Cvss {
    private Cvss() {}

    /** A scored vector. {@code score} is null for a v4.0 vector (not scored, see the class comment). */
    public record Score(String version, Double score, String vector) {
        public Severity severity() {
            return score == null ? Severity.UNKNOWN : Severity.ofScore(score);
        }
    }

    private static final List<String> V3_BASE = List.of("AV", "AC", "PR", "UI", "S", "C", "I", "A");
    private static final Map<String, Set<String>> V3_ALLOWED = Map.ofEntries(
            Map.entry("AV", Set.of("N", "A", "L", "P")), Map.entry("AC", Set.of("L", "H")),
            Map.entry("PR", Set.of("N", "L", "H")), Map.entry("UI", Set.of("N", "R")), Map.entry("S", Set.of("U", "C")),
            Map.entry("C", Set.of("H", "L", "N")), Map.entry("I", Set.of("H", "L", "N")), Map.entry("A", Set.of("H", "L", "N")),
            Map.entry("E", Set.of("X", "H", "F", "P", "U")), Map.entry("RL", Set.of("X", "U", "W", "T", "O")),
            Map.entry("RC", Set.of("X", "C", "R", "U")), Map.entry("CR", Set.of("X", "H", "M", "L")),
            Map.entry("IR", Set.of("X", "H", "M", "L")), Map.entry("AR", Set.of("X", "H", "M", "L")),
            Map.entry("MAV", Set.of("X", "N", "A", "L", "P")), Map.entry("MAC", Set.of("X", "L", "H")),
            Map.entry("MPR", Set.of("X", "N", "L", "H")), Map.entry("MUI", Set.of("X", "N", "R")),
            Map.entry("MS", Set.of("X", "U", "C")), Map.entry("MC", Set.of("X", "H", "L", "N")),
            Map.entry("MI", Set.of("X", "H", "L", "N")), Map.entry("MA", Set.of("X", "H", "L", "N")));
    private static final List<String> V4_BASE = List.of("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA");
    private static final Map<String, Set<String>> V4_BASE_ALLOWED = Map.ofEntries(
            Map.entry("AV", Set.of("N", "A", "L", "P")), Map.entry("AC", Set.of("L", "H")), Map.entry("AT", Set.of("N", "P")),
            Map.entry("PR", Set.of("N", "L", "H")), Map.entry("UI", Set.of("N", "P", "A")),
            Map.entry("VC", Set.of("H", "L", "N")), Map.entry("VI", Set.of("H", "L", "N")), Map.entry("VA", Set.of("H", "L", "N")),
            Map.entry("SC", Set.of("H", "L", "N")), Map.entry("SI", Set.of("H", "L", "N")), Map.entry("SA", Set.of("H", "L", "N")));

    /** Scores a vector ({@code CVSS:3.1/AV:N/...}, {@code CVSS:3.0/...}, {@code CVSS:4.0/...}). */
    public static Score score(String vector) {
        if (vector == null) throw new VulnException("missing CVSS vector");
        String v = vector.strip();
        if (v.startsWith("CVSS:3.1/")) return new Score("3.1", v3(v, metrics(v, V3_ALLOWED, V3_BASE), true), v);
        if (v.startsWith("CVSS:3.0/")) return new Score("3.0", v3(v, metrics(v, V3_ALLOWED, V3_BASE), false), v);
        if (v.startsWith("CVSS:4.0/")) {
            metricsV4(v);
            return new Score("4.0", null, v);
        }
        throw new VulnException("unsupported CVSS vector '" + vector + "': expected a CVSS:3.0, CVSS:3.1 or CVSS:4.0 prefix");
    }

    private static Map<String, String> metrics(String vector, Map<String, Set<String>> allowed, List<String> required) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] parts = vector.split("/", -1);
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].indexOf(':');
            if (colon <= 0) throw bad(vector, "component '" + parts[i] + "' is not METRIC:VALUE");
            String key = parts[i].substring(0, colon);
            String value = parts[i].substring(colon + 1);
            Set<String> values = allowed.get(key);
            if (values == null) throw bad(vector, "unknown metric " + key);
            if (!values.contains(value)) throw bad(vector, "metric " + key + " has invalid value '" + value + "'");
            if (m.put(key, value) != null) throw bad(vector, "metric " + key + " appears twice");
        }
        for (String k : required) if (!m.containsKey(k)) throw bad(vector, "base metric " + k + " is missing");
        return m;
    }

    private static void metricsV4(String vector) {
        String[] parts = vector.split("/", -1);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int colon = parts[i].indexOf(':');
            if (colon <= 0) throw bad(vector, "component '" + parts[i] + "' is not METRIC:VALUE");
            String key = parts[i].substring(0, colon);
            if (m.put(key, parts[i].substring(colon + 1)) != null) throw bad(vector, "metric " + key + " appears twice");
        }
        for (String k : V4_BASE) {
            String value = m.get(k);
            if (value == null) throw bad(vector, "base metric " + k + " is missing");
            if (!V4_BASE_ALLOWED.get(k).contains(value)) throw bad(vector, "metric " + k + " has invalid value '" + value + "'");
        }
    }

    private static double v3(String vector, Map<String, String> m, boolean v31) {
        boolean changed = m.get("S").equals("C");
        double av = switch (m.get("AV")) { case "N" -> 0.85; case "A" -> 0.62; case "L" -> 0.55; default -> 0.2; };
        double ac = m.get("AC").equals("L") ? 0.77 : 0.44;
        double pr = switch (m.get("PR")) {
            case "N" -> 0.85;
            case "L" -> changed ? 0.68 : 0.62;
            default -> changed ? 0.5 : 0.27;
        };
        double ui = m.get("UI").equals("N") ? 0.85 : 0.62;
        double iss = 1 - (1 - cia(m.get("C"))) * (1 - cia(m.get("I"))) * (1 - cia(m.get("A")));
        double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
        double exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0) return 0.0;
        double raw = changed ? Math.min(1.08 * (impact + exploitability), 10) : Math.min(impact + exploitability, 10);
        return v31 ? roundup31(raw) : roundup30(raw);
    }

    private static double cia(String v) {
        return switch (v) { case "H" -> 0.56; case "L" -> 0.22; default -> 0.0; };
    }

    /** CVSS v3.1 Appendix A roundup: the smallest one-decimal number >= x, robust to floating-point noise. */
    static double roundup31(double x) {
        long i = Math.round(x * 100000);
        if (i % 10000 == 0) return i / 100000.0;
        return (Math.floorDiv(i, 10000) + 1) / 10.0;
    }

    /** CVSS v3.0 roundup: ceil to one decimal. */
    static double roundup30(double x) {
        return Math.ceil(x * 10) / 10.0;
    }

    private static VulnException bad(String vector, String why) {
        return new VulnException("invalid CVSS vector '" + vector + "': " + why);
    }
}
