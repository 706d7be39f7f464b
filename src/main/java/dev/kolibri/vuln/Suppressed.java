package dev.kolibri.vuln;

import java.util.Objects;

/** A finding a VEX statement set aside, with the statement's justification and the document it came from. */
public record Suppressed(Finding finding, String justification, String source) {
    public Suppressed {
        Objects.requireNonNull(finding, "finding");
        justification = justification == null ? "" : justification;
        Objects.requireNonNull(source, "source");
    }
}
