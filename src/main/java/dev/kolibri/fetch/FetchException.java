package dev.kolibri.fetch;

import java.io.IOException;
import java.util.List;

/**
 * One or more packages could not be fetched. The message has one line per failed package (the first few); all of
 * them are in {@link #failures()}, sorted. Nothing partial was left in the store.
 */
public final class FetchException extends IOException {
    static final int SHOWN = 8;

    private final List<String> failures;
    private final FetchSummary summary;

    FetchException(List<String> failures, FetchSummary summary) {
        super(message(failures));
        this.failures = List.copyOf(failures);
        this.summary = summary;
    }

    private static String message(List<String> failures) {
        if (failures.size() == 1) return failures.getFirst();
        StringBuilder sb = new StringBuilder(failures.size() + " packages could not be fetched:");
        failures.stream().limit(SHOWN).forEach(f -> sb.append("\n  ").append(f));
        if (failures.size() > SHOWN) sb.append("\n  ... and ").append(failures.size() - SHOWN).append(" more");
        return sb.toString();
    }

    /** One line per failed package, sorted. */
    public List<String> failures() {
        return failures;
    }

    /** What was done before the failure was reported (cache hits, downloads, retries). */
    public FetchSummary summary() {
        return summary;
    }
}
