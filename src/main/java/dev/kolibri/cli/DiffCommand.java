package dev.kolibri.cli;

import dev.kolibri.inspect.ImageDiff;
import dev.kolibri.oci.ImageRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "diff", description = "Compare two images: packages changed, layers reused, bytes a client holding OLD pulls for NEW.")
final class DiffCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "an OCI layout: DIR or DIR:TAG")
    String oldImage;

    @Parameters(index = "1", paramLabel = "NEW", description = "an OCI layout: DIR or DIR:TAG")
    String newImage;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ImageDiff.Result r = ImageDiff.diff(ImageRef.parse(oldImage), ImageRef.parse(newImage));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Output.json(out, r);
            return 0;
        }
        out.printf("%s -> %s%n", r.oldImage(), r.newImage());
        for (ImageDiff.PlatformDiff p : r.platforms()) {
            out.printf("%n%s%n", p.platform());
            if (p.oldManifest() == null) out.println("  only in NEW");
            if (p.newManifest() == null) out.println("  only in OLD");
            for (ImageDiff.PackageChange c : p.added()) out.printf("  + %s %s%n", c.name(), c.newVersion());
            for (ImageDiff.PackageChange c : p.removed()) out.printf("  - %s %s%n", c.name(), c.oldVersion());
            for (ImageDiff.PackageChange c : p.changed()) out.printf("  ~ %s %s -> %s%n", c.name(), c.oldVersion(), c.newVersion());
            out.printf("  layers: %d reused, %d new%n", p.reusedLayers().size(), p.newLayers().size());
            for (ImageDiff.LayerRef l : p.newLayers()) {
                out.printf("    new %s  %10s  %s%n", l.digest(), Output.size(l.size()), l.name());
            }
            out.printf("  to pull: %s of %s (%d bytes)%n", Output.size(p.bytesToPull()), Output.size(p.newImageBytes()),
                    p.bytesToPull());
        }
        return 0;
    }
}
