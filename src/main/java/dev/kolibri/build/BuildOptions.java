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
 * @param previous        the previous build of this image ({@code DIR[:TAG]} of an OCI layout) whose layer plan to
 *                        keep, or null to plan afresh
 * @param compressionLevel the compression level, or null for the compression's default
 * @param buildCache      keep decoded package payloads and compressed layers in the cache and reuse them
 *                        ({@code false}: decode every package and compress every layer afresh)
 * @param tags            the tags the image gets in the layout, the first one holding its SBOMs; empty: the one
 *                        {@link ImageBuilder#tagOf} derives from the definition. Each platform's manifest is also
 *                        tagged {@code TAG-ARCH}.
 */
public record BuildOptions(Path output, List<String> archs, String variant, boolean locked, boolean offline,
                           Compression compression, Long sourceDateEpoch, String previous, Integer compressionLevel,
                           boolean buildCache, List<String> tags) {
    public BuildOptions(Path output, List<String> archs, String variant, boolean locked, boolean offline,
                        Compression compression, Long sourceDateEpoch, String previous, Integer compressionLevel,
                        boolean buildCache) {
        this(output, archs, variant, locked, offline, compression, sourceDateEpoch, previous, compressionLevel, buildCache, List.of());
    }

    public BuildOptions {
        tags = List.copyOf(tags == null ? List.of() : tags);
        if (tags.stream().distinct().count() != tags.size()) throw new IllegalArgumentException("a tag is listed twice: " + tags);
        Objects.requireNonNull(output, "output");
        archs = List.copyOf(archs);
        Objects.requireNonNull(compression, "compression");
        if (compressionLevel != null && compression == Compression.GZIP && (compressionLevel < 1 || compressionLevel > 9)) {
            throw new IllegalArgumentException("the gzip level must be 1 to 9, not " + compressionLevel);
        }
    }

    /** With the build cache on. */
    public BuildOptions(Path output, List<String> archs, String variant, boolean locked, boolean offline,
                        Compression compression, Long sourceDateEpoch, String previous, Integer compressionLevel) {
        this(output, archs, variant, locked, offline, compression, sourceDateEpoch, previous, compressionLevel, true);
    }

    /** Without a previous build, at the compression's default level. */
    public BuildOptions(Path output, List<String> archs, String variant, boolean locked, boolean offline,
                        Compression compression, Long sourceDateEpoch) {
        this(output, archs, variant, locked, offline, compression, sourceDateEpoch, null, null);
    }

    public BuildOptions withPrevious(String image) {
        return new BuildOptions(output, archs, variant, locked, offline, compression, sourceDateEpoch, image, compressionLevel, buildCache, tags);
    }

    public BuildOptions withCompressionLevel(Integer level) {
        return new BuildOptions(output, archs, variant, locked, offline, compression, sourceDateEpoch, previous, level, buildCache, tags);
    }

    /** With these tags (the first holds the SBOMs). */
    public BuildOptions withTags(List<String> tags) {
        return new BuildOptions(output, archs, variant, locked, offline, compression, sourceDateEpoch, previous,
                compressionLevel, buildCache, tags);
    }

    public BuildOptions withBuildCache(boolean on) {
        return new BuildOptions(output, archs, variant, locked, offline, compression, sourceDateEpoch, previous,
                compressionLevel, on, tags);
    }
}
