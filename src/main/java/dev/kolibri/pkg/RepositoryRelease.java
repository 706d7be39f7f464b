package dev.kolibri.pkg;

/**
 * What a repository's signed metadata says it is, as the lock keeps it.
 *
 * <ul>
 *   <li>Debian: the {@code Origin}, {@code Label}, {@code Suite}, {@code Codename} and {@code Version} fields of the
 *       verified {@code InRelease} ({@code Debian}, {@code Debian-Security}, {@code oldstable-security},
 *       {@code bookworm-security}, {@code 12}).</li>
 *   <li>RPM: {@code origin} is the distribution's id taken from the package that provides {@code system-release}
 *       ({@code fedora-release-common} gives {@code fedora}), {@code label} the yum repository id, {@code version}
 *       the release ({@code system-release(43)}, else {@code $releasever}); {@code suite} and {@code codename} are
 *       null.</li>
 * </ul>
 * Any field may be null when the metadata does not carry it.
 */
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"origin", "label", "suite", "codename", "version"})
public record RepositoryRelease(String origin, String label, String suite, String codename, String version) {
    public RepositoryRelease {
        origin = blankToNull(origin);
        label = blankToNull(label);
        suite = blankToNull(suite);
        codename = blankToNull(codename);
        version = blankToNull(version);
    }

    /** Whether nothing at all is known. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return origin == null && label == null && suite == null && codename == null && version == null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
