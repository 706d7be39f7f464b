package dev.kolibri.cli;

import dev.kolibri.oci.Platform;
import dev.kolibri.publish.RegistryOptions;
import dev.kolibri.publish.SbomAttachments;
import dev.kolibri.registry.Reference;

import java.util.List;

/** {@code sbom --download REF [--platform P]}: the SBOM attached to an image in a registry (cosign's {@code download sbom}). */
final class SbomDownloadCommand {
    private SbomDownloadCommand() {}

    /**
     * The SBOM bytes attached to {@code ref} (for {@code platform}, may be null) in {@code format} ({@code spdx},
     * {@code cyclonedx}, or null for what cosign's tag holds); several are concatenated by newlines.
     */
    static byte[] download(RegistryOptions o, String ref, String platform, String format) throws Exception {
        Reference r = o.parse(ref);
        List<SbomAttachments.Downloaded> got = SbomAttachments.download(o.client(r), r, platform == null ? null : Platform.parse(platform),
                format);
        if (got.size() == 1) return got.get(0).content();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (SbomAttachments.Downloaded d : got) {
            all.write(d.content());
            all.write('\n');
        }
        return all.toByteArray();
    }
}
