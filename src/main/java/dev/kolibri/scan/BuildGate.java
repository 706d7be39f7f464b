package dev.kolibri.scan;

import dev.kolibri.build.BuildEvents;
import dev.kolibri.build.TreeCheck;
import dev.kolibri.finalize.OsRelease;
import dev.kolibri.fs.FileTree;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.vuln.Ecosystems;
import dev.kolibri.vuln.Finding;
import dev.kolibri.vuln.Gate;
import dev.kolibri.vuln.Scan;
import dev.kolibri.vuln.ScanReport;
import dev.kolibri.vuln.ScannedPackage;
import dev.kolibri.vuln.Vex;
import dev.kolibri.vuln.VulnDb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gate of {@code build --scan DB --fail-on LEVEL}: scans each arch's locked packages, as the OS of the finalized
 * tree's os-release, before any layer is written, and refuses the build when a finding at or above the level has a
 * fix in a newer package ({@link Finding#fixAvailable()}). Findings without a fix are reported, not counted: no
 * rebuild can remove them. Without a gate (null) it only reports.
 */
public final class BuildGate implements TreeCheck {
    private final VulnDb db;
    private final Gate gate;
    private final List<Vex.Statement> vex;
    private final BuildEvents events;

    public BuildGate(VulnDb db, Gate gate, List<Vex.Statement> vex, BuildEvents events) {
        this.db = db;
        this.gate = gate;
        this.vex = List.copyOf(vex);
        this.events = events;
    }

    @Override
    public void check(String arch, List<LockedPackage> packages, FileTree tree) throws ScanGateException {
        ScanReport report = scan(arch, packages, tree);
        if (gate == null) {
            long fixable = report.findings().stream().filter(Finding::fixAvailable).count();
            events.info("scan " + arch + ": " + report.findings().size() + " findings, " + fixable + " with a fix");
            return;
        }
        List<Finding> blocking = blocking(report);
        long unfixed = report.findings().stream().filter(f -> gate.trips(f) && !f.fixAvailable()).count();
        events.info("scan " + arch + ": " + report.findings().size() + " findings, " + blocking.size()
                + " at or above " + gate.threshold().label() + " with a fix, " + unfixed + " at or above it without one");
        if (!blocking.isEmpty()) {
            List<String> ids = new ArrayList<>();
            for (Finding f : blocking) ids.add(f.id() + " (" + f.packageName() + " " + f.installedVersion() + ", fixed in " + f.fixedVersion() + ")");
            throw new ScanGateException(arch + ": " + blocking.size() + " finding" + (blocking.size() == 1 ? "" : "s") + " at or above "
                    + gate.threshold().label() + " that a newer package fixes: " + String.join(", ", ids)
                    + "; nothing was written. Run `kolibri lock --update SPEC --db DB` to pick up the fixes", blocking);
        }
    }

    /** The scan of one arch: the locked packages as the tree's OS. */
    public ScanReport scan(String arch, List<LockedPackage> packages, FileTree tree) {
        Map<String, String> rel = OsRelease.read(tree);
        if (rel.get("ID") == null) {
            throw new ScanInputException(arch + ": the image has no os-release, so its vulnerability ecosystem is unknown; build without --scan");
        }
        Ecosystems.OsEcosystem os = Ecosystems.of(rel.get("ID"), rel.get("VERSION_ID"));
        List<ScannedPackage> scanned = packages.stream().map(p -> ScanInputs.scanned(p, os)).toList();
        return Scan.run("linux/" + arch, scanned, os.key(), db, vex);
    }

    /** The findings that fail the gate: at or above the level, with a fix (none without a gate). */
    public List<Finding> blocking(ScanReport report) {
        if (gate == null) return List.of();
        return report.findings().stream().filter(f -> f.fixAvailable() && gate.trips(f)).toList();
    }
}
