package dev.kolibri.sbom;

import java.util.Objects;

/**
 * The operating system of an image, from its {@code os-release}.
 *
 * @param id        {@code ID}: {@code debian}, {@code fedora}
 * @param versionId {@code VERSION_ID}: {@code 12}, {@code 40}; null when the file has none (Debian testing)
 */
public record OsInfo(String id, String versionId) {
    public OsInfo {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) throw new IllegalArgumentException("os-release ID is empty");
    }

    /** The purl {@code distro} qualifier, as syft writes it: {@code debian-12}, {@code fedora-40}, or just the id. */
    public String distro() {
        return versionId == null || versionId.isBlank() ? id : id + "-" + versionId;
    }
}
