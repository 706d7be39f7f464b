package dev.kolibri.cli;

import dev.kolibri.describe.ImageSbom;
import dev.kolibri.oci.Platform;
import dev.kolibri.sbom.CycloneDxWriter;
import dev.kolibri.sbom.SbomInput;
import dev.kolibri.sbom.SpdxWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

@Command(name = "sbom", description = "Write the SBOM (SPDX 2.3 or CycloneDX 1.6 JSON) of any image in an OCI layout, "
        + "read from its files (stdout by default); or, with --download REF, the SBOM attached to an image in a registry.")
final class SbomCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(paramLabel = "IMAGE", arity = "0..1", description = "an OCI layout: DIR or DIR:TAG")
    String image;

    @Option(names = "--download", paramLabel = "REF", description = "download the SBOM attached to an image in a registry "
            + "(as cosign attach sbom stores it): host[:port]/repo[:tag|@digest]")
    String download;

    @picocli.CommandLine.Mixin RegistryFlags registry;

    @Option(names = "--format", paramLabel = "F", description = "spdx (default) or cyclonedx; with --download, the format "
            + "to fetch (default: what cosign's .sbom tag holds, SPDX for a Kolibri image)")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE instead of stdout")
    Path output;

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "the platform of a multi-arch image (e.g. linux/arm64; "
            + "default linux/amd64 when the image has it, else its first, as for scan)")
    String platform;

    @Override
    public Integer call() throws Exception {
        if ((download == null) == (image == null)) {
            throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "give either IMAGE (an OCI layout) or --download REF");
        }
        boolean spdx = switch (format == null ? "spdx" : format) {
            case "spdx", "spdx-json" -> true;
            case "cyclonedx", "cyclonedx-json", "cdx" -> false;
            default -> throw new picocli.CommandLine.ParameterException(cmd.commandLine(),
                    "--format must be spdx or cyclonedx, not '" + format + "'");
        };
        if (download != null) {
            write(SbomDownloadCommand.download(registry.options(), download, platform, format == null ? null : spdx ? "spdx" : "cyclonedx"));
            return 0;
        }
        Platform want;
        try {
            want = platform == null ? null : Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "--platform: " + e.getMessage());
        }
        ImageSbom.Described described = ImageSbom.describe(ImageSbom.parseRef(image), want, new Main.Version().getVersion()[0]
                .replaceFirst("^kolibri ", ""));
        SbomInput in = described.input();
        for (String note : described.notes()) cmd.commandLine().getErr().println("warning: " + image + ": " + note);
        write(spdx ? SpdxWriter.write(in) : CycloneDxWriter.write(in));
        return 0;
    }

    private void write(byte[] doc) throws java.io.IOException {
        if (output == null) {
            PrintWriter out = cmd.commandLine().getOut();
            out.print(new String(doc, StandardCharsets.UTF_8));
            out.flush();
        } else {
            Path abs = output.toAbsolutePath();
            Path tmp = dev.kolibri.fs.OutputFiles.createTempFile(abs.getParent(), abs.getFileName() + ".", ".tmp");
            try {
                Files.write(tmp, doc);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
