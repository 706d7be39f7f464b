package dev.kolibri.inspect;

import java.util.Map;

/**
 * Which distribution release an image is: os-release's {@code ID} and {@code VERSION_ID}, or what its package
 * database tells when os-release does not say (see {@link #choose}).
 *
 * @param id        os-release {@code ID} ({@code debian}, {@code fedora}), or null when nothing tells it
 * @param versionId os-release {@code VERSION_ID} ({@code 12}, {@code 43}), or null
 * @param evidence  where it comes from ({@code os-release}, {@code base-files 12.4+deb12u5}, ...)
 */
public record OsIdentity(String id, String versionId, String evidence) {
    public static final String OS_RELEASE = "os-release";

    public OsIdentity {
        id = id == null || id.isBlank() ? null : id.strip();
        versionId = versionId == null || versionId.isBlank() ? null : versionId.strip();
    }

    /** True when both {@code ID} and {@code VERSION_ID} are known. */
    public boolean complete() {
        return id != null && versionId != null;
    }

    /**
     * os-release's identity when it names both {@code ID} and {@code VERSION_ID}; else the package database's
     * ({@code fromDatabase}, may be null) when there is one; else os-release's, however partial.
     */
    public static OsIdentity choose(Map<String, String> osRelease, OsIdentity fromDatabase) {
        OsIdentity rel = new OsIdentity(osRelease.get("ID"), osRelease.get("VERSION_ID"), OS_RELEASE);
        if (rel.complete() || fromDatabase == null || !fromDatabase.complete()) return rel;
        return fromDatabase;
    }
}
