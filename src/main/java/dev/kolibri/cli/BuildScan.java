package dev.kolibri.cli;

import dev.kolibri.build.BuildEvents;
import dev.kolibri.build.TreeCheck;
import dev.kolibri.scan.BuildGate;
import dev.kolibri.vuln.Gate;
import dev.kolibri.vuln.VulnDb;
import dev.kolibri.vuln.VulnException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The {@code --scan DB [--fail-on LEVEL]} options of {@code build}: the tree check, and the database to close. */
final class BuildScan implements AutoCloseable {
    /** Exit code of a build refused by its scan gate (as {@code scan --fail-on}). */
    static final int GATE_FAILED = ScanCommand.GATE_FAILED;

    private final VulnDb db;
    private final TreeCheck check;

    private BuildScan(VulnDb db, TreeCheck check) {
        this.db = db;
        this.check = check;
    }

    static BuildScan open(CommandLine cl, Path dbPath, String failOn, BuildEvents events) {
        if (dbPath == null) {
            if (failOn != null) throw new ParameterException(cl, "--fail-on needs --scan DB (the vulnerability database)");
            return new BuildScan(null, TreeCheck.NONE);
        }
        Gate gate = null;
        if (failOn != null) {
            try {
                gate = Gate.parse(failOn);
            } catch (VulnException e) {
                throw new ParameterException(cl, "--fail-on: " + e.getMessage());
            }
        }
        if (!Files.exists(dbPath)) {
            throw new IllegalArgumentException("--scan " + dbPath + ": no such database; make one with `kolibri db import SOURCES -o " + dbPath + "`");
        }
        VulnDb db = VulnDb.open(dbPath);
        return new BuildScan(db, new BuildGate(db, gate, List.of(), events));
    }

    TreeCheck check() {
        return check;
    }

    @Override
    public void close() {
        if (db != null) db.close();
    }
}
