package dev.kolibri.vuln;

import java.util.Locale;

/** Qualitative severity, in increasing order; {@link #UNKNOWN} when the data gives none. */
public enum Severity {
    UNKNOWN, NONE, LOW, MEDIUM, HIGH, CRITICAL;

    /** The CVSS v3/v4 rating band of a base score: 0 none, 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10 critical. */
    public static Severity ofScore(double score) {
        if (score < 0 || score > 10 || Double.isNaN(score)) throw new IllegalArgumentException("CVSS score out of range: " + score);
        if (score == 0) return NONE;
        if (score < 4.0) return LOW;
        if (score < 7.0) return MEDIUM;
        if (score < 9.0) return HIGH;
        return CRITICAL;
    }

    /**
     * A vendor's label: the CVSS bands, Red Hat's impacts (low, moderate, important, critical), Debian/Ubuntu
     * priorities (negligible, unimportant, low, medium, high, critical). Anything else is {@link #UNKNOWN}.
     */
    public static Severity ofLabel(String label) {
        if (label == null) return UNKNOWN;
        return switch (label.strip().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "low", "negligible", "unimportant" -> LOW;
            case "medium", "moderate" -> MEDIUM;
            case "high", "important" -> HIGH;
            case "critical" -> CRITICAL;
            default -> UNKNOWN;
        };
    }

    /** Parses a {@code --fail-on} level: low, medium, high or critical. */
    public static Severity parseLevel(String level) {
        Severity s = level == null ? UNKNOWN : switch (level.strip().toLowerCase(Locale.ROOT)) {
            case "low" -> LOW;
            case "medium" -> MEDIUM;
            case "high" -> HIGH;
            case "critical" -> CRITICAL;
            default -> UNKNOWN;
        };
        if (s == UNKNOWN) throw new VulnException("unknown severity level '" + level + "': use low, medium, high or critical");
        return s;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
