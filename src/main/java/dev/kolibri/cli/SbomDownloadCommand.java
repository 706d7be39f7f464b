package dev.kolibri.cli;

import dev.kolibri.oci.Platform;
import dev.kolibri.publish.RegistryOptions;
import dev.kolibri.publish.SbomAttachments;
import dev.kolibri.registry.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sbom --download REF [--platform P] [-o FILE]}: the SBOM attached to an image in a registry (cosign's
 * {@code download sbom}). Until the SBOM verb for local images lands, this class is the {@code sbom} verb and
 * requires {@code --download}; {@link #download} is what the merged verb calls for {@code --download}.
 */
@Command(name = "sbom", description = "Download the SBOM attached to an image in a registry (--download REF).")
final class SbomDownloadCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Option(names = "--download", required = true, paramLabel = "REF", description = "the image in a registry: host[:port]/repo[:tag|@digest]")
    String ref;

    @Option(names = "--platform", paramLabel = "P", description = "for an index: the platform's SBOM, e.g. linux/arm64")
    String platform;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE instead of stdout")
    Path output;

    @Mixin RegistryFlags registry;

    @Override
    public Integer call() throws Exception {
        byte[] sbom = download(registry.options(), ref, platform);
        if (output != null) {
            Files.write(output, sbom);
        } else {
            java.io.PrintWriter out = cmd.commandLine().getOut();
            out.print(new String(sbom, java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
        }
        return 0;
    }

    /** The SBOM bytes attached to {@code ref} (for {@code platform}, may be null); several are concatenated by newlines. */
    static byte[] download(RegistryOptions o, String ref, String platform) throws Exception {
        Reference r = o.parse(ref);
        List<SbomAttachments.Downloaded> got = SbomAttachments.download(o.client(r), r, platform == null ? null : Platform.parse(platform));
        if (got.size() == 1) return got.get(0).content();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (SbomAttachments.Downloaded d : got) {
            all.write(d.content());
            all.write('\n');
        }
        return all.toByteArray();
    }
}
