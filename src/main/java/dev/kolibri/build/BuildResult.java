package dev.kolibri.build;

import dev.kolibri.oci.Digest;
import dev.kolibri.oci.Platform;

import java.nio.file.Path;
import java.util.List;

/**
 * What a build wrote.
 *
 * @param layout   the OCI layout directory
 * @param tag      the tag of the image index in it ({@code org.opencontainers.image.ref.name})
 * @param index    digest of the image index
 * @param images   one entry per platform, in the order of the index
 * @param warnings everything the build warned about (also sent to {@link BuildEvents#warn})
 */
public record BuildResult(Path layout, String tag, Digest index, List<PlatformImage> images, List<String> warnings) {
    public BuildResult {
        images = List.copyOf(images);
        warnings = List.copyOf(warnings);
    }

    /** The build's SBOMs and provenance as files: {@code <layout>/sbom/<tag>/} (see {@link ImageBuilder#sbomDirOf}). */
    public Path sbomDir() {
        return ImageBuilder.sbomDirOf(layout, tag);
    }

    /** One platform's SPDX document in {@link #sbomDir()}: {@code amd64.spdx.json}, {@code arm-v7.spdx.json}. */
    public Path spdxFile(dev.kolibri.oci.Platform platform) {
        return sbomDir().resolve(SbomStage.fileBase(platform) + ".spdx.json");
    }

    /** One platform's CycloneDX document in {@link #sbomDir()}: {@code amd64.cdx.json}, {@code arm-v7.cdx.json}. */
    public Path cycloneDxFile(dev.kolibri.oci.Platform platform) {
        return sbomDir().resolve(SbomStage.fileBase(platform) + ".cdx.json");
    }

    /** The build's provenance statement in {@link #sbomDir()}. */
    public Path provenanceFile() {
        return sbomDir().resolve(SbomStage.PROVENANCE_FILE);
    }

    /**
     * One platform's image: its manifest digest, package count, layer count and sizes: {@code compressedBytes} the
     * layer blobs, {@code uncompressedBytes} the image's files (what {@code kolibri inspect} calls "unpacked").
     */
    public record PlatformImage(Platform platform, Digest manifest, int packages, int layers, long compressedBytes,
                                long uncompressedBytes) {}
}
