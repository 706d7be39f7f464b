package dev.kolibri.cli;

import dev.kolibri.scan.ScanInputs;
import dev.kolibri.scan.ScanTarget;
import dev.kolibri.vuln.Gate;
import dev.kolibri.vuln.Reports;
import dev.kolibri.vuln.Scan;
import dev.kolibri.vuln.ScanReport;
import dev.kolibri.vuln.Suppressed;
import dev.kolibri.vuln.Vex;
import dev.kolibri.vuln.VulnDb;
import dev.kolibri.vuln.VulnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "scan", description = "Scan an image, an SBOM or a lockfile for known vulnerabilities. "
        + "Exit 0 when clean (or below --fail-on), 3 when --fail-on trips, 1 on errors, 2 on usage errors.")
final class ScanCommand implements Callable<Integer> {
    static final int GATE_FAILED = 3;

    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(paramLabel = "TARGET", description = "an OCI layout (DIR or DIR:TAG), an SPDX or CycloneDX JSON SBOM, or a *.lock.json")
    String target;

    @Option(names = "--db", required = true, paramLabel = "DB", description = "an index made by `kolibri db import`, or a directory, zip or file of OSV records")
    Path db;

    @Option(names = "--vex", paramLabel = "FILE", description = "a CSAF or OpenVEX document (repeatable)")
    List<Path> vex = new ArrayList<>();

    @Option(names = "--fail-on", paramLabel = "LEVEL", description = "exit 3 when a finding at or above low, medium, high or critical remains")
    String failOn;

    @Option(names = "--json", description = "JSON output (same as --format json)")
    boolean json;

    @Option(names = "--format", paramLabel = "F", description = "table (default), json or sarif")
    String format;

    @Option(names = "--sarif", paramLabel = "FILE", description = "also write SARIF 2.1.0 to FILE")
    Path sarif;

    @Option(names = "--show-suppressed", description = "list the findings VEX suppressed, with the justification")
    boolean showSuppressed;

    @Option(names = "--platform", paramLabel = "P", description = "the platform to scan in a multi-platform image or lock (default linux/amd64)")
    String platform;

    @Option(names = "--distro", paramLabel = "D", description = "the OS to scan as (debian-12, Debian:12), instead of the one the input names")
    String distro;

    @Override
    public Integer call() throws Exception {
        String fmt = format(json, format);
        Gate gate = null;
        if (failOn != null) {
            try {
                gate = Gate.parse(failOn);
            } catch (VulnException e) {
                throw new ParameterException(cmd.commandLine(), "--fail-on: " + e.getMessage());
            }
        }
        if (!Files.exists(db)) {
            throw new IllegalArgumentException("--db " + db + ": no such database; make one with `kolibri db import SOURCES -o " + db + "`");
        }
        List<Vex.Statement> statements = new ArrayList<>();
        for (Path v : vex) statements.addAll(Vex.load(v));
        ScanTarget t = ScanInputs.read(target, platform, distro);
        for (String note : t.notes()) cmd.commandLine().getErr().println("warning: " + t.name() + ": " + note);
        ScanReport report;
        try (VulnDb d = VulnDb.open(db)) {
            report = Scan.run(t.name(), t.packages(), t.ecosystem(), d, statements);
        }
        PrintWriter out = cmd.commandLine().getOut();
        PrintWriter err = cmd.commandLine().getErr();
        switch (fmt) {
            case "json" -> out.print(Reports.json(report));
            case "sarif" -> out.print(Reports.sarif(report));
            default -> {
                out.printf("%s (%s%s): %d packages%n", t.name(), t.ecosystem(), t.platform() == null ? "" : ", " + t.platform(),
                        t.packages().size());
                out.print(Reports.table(report));
                if (showSuppressed) printSuppressed(out, report);
            }
        }
        out.flush();
        if (sarif != null) {
            Path parent = sarif.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(sarif, Reports.sarif(report), StandardCharsets.UTF_8);
        }
        if (gate != null && gate.fails(report)) {
            long n = report.findings().stream().filter(gate::trips).count();
            err.println("error: " + n + " finding" + (n == 1 ? "" : "s") + " at or above " + gate.threshold().label()
                    + " in " + t.name() + " (--fail-on " + failOn + ")");
            err.flush();
            return GATE_FAILED;
        }
        return 0;
    }

    private String format(boolean json, String format) {
        if (format == null) return json ? "json" : "table";
        if (!List.of("table", "json", "sarif").contains(format)) {
            throw new ParameterException(cmd.commandLine(), "--format must be table, json or sarif, not '" + format + "'");
        }
        if (json && !format.equals("json")) throw new ParameterException(cmd.commandLine(), "--json and --format " + format + " disagree; give one");
        return format;
    }

    private static void printSuppressed(PrintWriter out, ScanReport report) {
        if (report.suppressed().isEmpty()) return;
        out.println();
        out.println("suppressed by VEX:");
        for (Suppressed s : report.suppressed()) {
            out.printf("  %s  %s %s  %s (%s)%n", s.finding().id(), s.finding().packageName(), s.finding().installedVersion(),
                    s.justification().isEmpty() ? "-" : s.justification(), s.source());
        }
    }
}
