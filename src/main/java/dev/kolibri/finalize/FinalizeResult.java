package dev.kolibri.finalize;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a finalize run reports besides the changed tree.
 *
 * @param warnings     one line each, in the order the steps produced them
 * @param findings     policy findings (warnings only: error findings fail the run)
 * @param envAdditions environment variables the image config should carry (e.g. {@code SSL_CERT_FILE}), sorted
 */
public record FinalizeResult(List<String> warnings, List<PolicyFinding> findings, SortedMap<String, String> envAdditions) {
    public FinalizeResult {
        warnings = List.copyOf(warnings);
        findings = List.copyOf(findings);
        envAdditions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(envAdditions));
    }

    static FinalizeResult of(List<String> warnings, List<PolicyFinding> findings, Map<String, String> env) {
        return new FinalizeResult(warnings, findings, new TreeMap<>(env));
    }
}
