package dev.kolibri.sbom;

import java.util.Objects;

/**
 * A file the image carries that no package installed: one added by {@code contents:} (local files).
 *
 * @param path   the absolute path in the image ({@code /app/config.yaml})
 * @param sha1   lower-case hex SHA-1 of its bytes (SPDX requires it for a file)
 * @param sha256 lower-case hex SHA-256 of its bytes
 * @param entry  the {@code contents:} entry that added it, named by its destination ({@code /app}); the SPDX
 *               writer groups the files of one entry into one package
 */
public record SbomFile(String path, String sha1, String sha256, String entry) {
    public SbomFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha1, "sha1");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(entry, "entry");
        if (!path.startsWith("/")) throw new IllegalArgumentException("not an absolute path: " + path);
    }
}
