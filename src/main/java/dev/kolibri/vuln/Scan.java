package dev.kolibri.vuln;

import java.util.List;

/** The scan entry point for the CLI: match packages against a database, apply VEX, return the report. */
public final class Scan {
    private Scan() {}

    /**
     * @param target    what was scanned, as the user named it (for the report)
     * @param ecosystem the OS's OSV ecosystem ({@link Ecosystems#of} from os-release, or given explicitly)
     * @param vex       statements from {@link Vex#load}; empty for none
     */
    public static ScanReport run(String target, List<ScannedPackage> packages, String ecosystem, VulnDb db, List<Vex.Statement> vex) {
        Ecosystems.OsEcosystem os = Ecosystems.parse(ecosystem);
        List<Finding> findings = new Matcher(db).match(packages, ecosystem);
        Vex.Result r = Vex.apply(findings, packages, vex, os.scheme());
        return new ScanReport(target, os.key(), r.findings(), r.suppressed());
    }
}
