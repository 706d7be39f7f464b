package dev.kolibri.vuln;

/**
 * The {@code --fail-on LEVEL} gate: fails when an unsuppressed finding at or above the level remains. A finding
 * without severity data counts only for {@code low} (so {@code --fail-on low} fails on every unsuppressed finding).
 * The exit code is the CLI's business.
 */
public record Gate(Severity threshold) {
    public Gate {
        if (threshold.compareTo(Severity.LOW) < 0) throw new VulnException("a gate level must be low, medium, high or critical");
    }

    public static Gate parse(String level) {
        return new Gate(Severity.parseLevel(level));
    }

    public boolean fails(ScanReport report) {
        return report.findings().stream().anyMatch(this::trips);
    }

    public boolean trips(Finding f) {
        Severity s = f.severity();
        if (s == Severity.UNKNOWN) return threshold == Severity.LOW;
        return s.compareTo(threshold) >= 0;
    }
}
