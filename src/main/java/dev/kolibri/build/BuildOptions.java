package dev.kolibri.build;

import dev.kolibri.oci.Compression;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to build: where to, for which arches and variant, and what may be touched.
 *
 * @param output          the OCI layout directory to write (replaced atomically)
 * @param archs           OCI architecture names to build; empty means every arch of the definition
 * @param variant         a variant of the definition, or null for the base image
 * @param locked          refuse a lock that no longer matches the definition (never re-resolve)
 * @param offline         build from the cache alone
 * @param compression     layer compression
 * @param sourceDateEpoch SOURCE_DATE_EPOCH when set (read once, by the caller), else null
 */
public record BuildOptions(Path output, List<String> archs, String variant, boolean locked, boolean offline,
                           Compression compression, Long sourceDateEpoch) {
    public BuildOptions {
        Objects.requireNonNull(output, "output");
        archs = List.copyOf(archs);
        Objects.requireNonNull(compression, "compression");
    }
}
