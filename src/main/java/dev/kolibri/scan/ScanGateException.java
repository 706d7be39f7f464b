package dev.kolibri.scan;

import dev.kolibri.build.BuildException;
import dev.kolibri.vuln.Finding;

import java.util.List;

/** A build refused by {@code --scan DB --fail-on LEVEL}: the findings at or above the level that a newer package fixes. */
public final class ScanGateException extends BuildException {
    private final List<Finding> findings;

    public ScanGateException(String message, List<Finding> findings) {
        super(message);
        this.findings = List.copyOf(findings);
    }

    public List<Finding> findings() {
        return findings;
    }
}
