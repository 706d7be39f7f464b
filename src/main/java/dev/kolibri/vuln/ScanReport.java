package dev.kolibri.vuln;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a scan found: {@code target} (image, SBOM or lockfile as the user named it), the OS ecosystem, findings
 * and the findings VEX suppressed.
 */
public record ScanReport(String target, String ecosystem, List<Finding> findings, List<Suppressed> suppressed) {
    public ScanReport {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(ecosystem, "ecosystem");
        findings = List.copyOf(findings);
        suppressed = List.copyOf(suppressed);
    }

    /** Findings per severity, every severity present (zero when none), from critical down to unknown. */
    public Map<Severity, Integer> summary() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) counts.put(s, 0);
        for (Finding f : findings) counts.merge(f.severity(), 1, Integer::sum);
        return counts;
    }
}
