package dev.kolibri.repo;

import java.util.List;

/**
 * A loaded RPM repository: the verified packages ({@link RepoSnapshot}: {@code id} is the base URL,
 * {@code releaseDigest} the sha256 of {@code repomd.xml}) and what was ignored or not checked on the way
 * (modular metadata, an unchecked signature, unsupported rich conflicts), one line each.
 */
public record RpmSnapshot(RepoSnapshot snapshot, List<String> warnings) {
    public RpmSnapshot {
        warnings = List.copyOf(warnings);
    }
}
