package dev.kolibri.cli;

import dev.kolibri.inspect.Inspection;
import dev.kolibri.inspect.Inspector;
import dev.kolibri.oci.ImageRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "inspect", description = "Show an image's layers, sizes, packages, user, entrypoint and policy findings.")
final class InspectCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", description = "an OCI layout: DIR or DIR:TAG")
    String image;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Inspection r = Inspector.inspect(ImageRef.parse(image));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Output.json(out, r);
            return 0;
        }
        out.printf("%s  %s  %s%n", r.image(), r.tag(), r.digest());
        for (Inspection.PlatformReport p : r.platforms()) {
            out.printf("%n%s  manifest %s%n", p.platform(), p.manifest());
            out.printf("  user %s, workdir %s%n", p.user(), p.workdir());
            out.printf("  entrypoint %s, cmd %s%n", p.entrypoint(), p.cmd());
            if (!p.ports().isEmpty() || !p.volumes().isEmpty()) {
                out.printf("  ports %s, volumes %s%n", p.ports(), p.volumes());
            }
            out.printf("  %d layers, %s compressed, %s unpacked, %d files, %d packages%n", p.layers().size(),
                    Output.size(p.compressedSize()), Output.size(p.uncompressedSize()), p.files(), p.packages().size());
            for (var d : p.packageDatabases()) {
                out.printf("  packages: %s database %s, %d packages%n", d.ecosystem(), d.path(), d.packages());
            }
            for (String n : p.notes()) out.printf("  note: %s%n", n);
            for (Inspection.LayerReport l : p.layers()) {
                out.printf("    %s  %10s  %3d packages  %s%n", l.digest(), Output.size(l.size()), l.packages().size(), l.name());
            }
            if (p.findings().isEmpty()) {
                out.println("  policy: no shell, no package manager, runs as non-root");
            } else {
                for (Inspection.Finding f : p.findings()) {
                    out.printf("  policy %s: %s %s%s%n", f.severity(), f.rule(), f.path(),
                            f.pkg() == null || f.pkg().isEmpty() ? "" : " (from " + f.pkg() + ")");
                }
            }
        }
        return 0;
    }
}
