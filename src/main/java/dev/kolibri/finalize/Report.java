package dev.kolibri.finalize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The mutable sink steps report into during one finalize run; {@link Finalizer} turns it into a result. */
public final class Report {
    private final List<String> warnings = new ArrayList<>();
    private final List<PolicyFinding> findings = new ArrayList<>();
    private final Map<String, String> env = new TreeMap<>();

    public void warn(String step, String message) {
        warnings.add(step + ": " + message);
    }

    public void finding(PolicyFinding f) {
        findings.add(f);
    }

    public void env(String name, String value) {
        env.put(name, value);
    }

    public FinalizeResult toResult() {
        return FinalizeResult.of(warnings, findings, env);
    }
}
