package dev.kolibri.scan;

import dev.kolibri.lock.Lockfile;
import dev.kolibri.vuln.Finding;
import dev.kolibri.vuln.Scan;
import dev.kolibri.vuln.ScanReport;
import dev.kolibri.vuln.Vex;
import dev.kolibri.vuln.VulnDb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What re-locking changed about vulnerabilities ({@code kolibri lock --update}): both locks scanned (every arch; a
 * finding is one vulnerability id in one binary package), then
 *
 * @param removed        present with the old lock, gone with the new one (the update fixed them)
 * @param remainingNoFix present with the new lock, and no fixed version is known
 * @param remainingFixed present with the new lock although a fixed version is known (the repositories do not carry
 *                       it yet)
 * @param introduced     present with the new lock only
 */
public record LockUpdate(List<Finding> removed, List<Finding> remainingNoFix, List<Finding> remainingFixed, List<Finding> introduced) {
    public LockUpdate {
        removed = List.copyOf(removed);
        remainingNoFix = List.copyOf(remainingNoFix);
        remainingFixed = List.copyOf(remainingFixed);
        introduced = List.copyOf(introduced);
    }

    /**
     * @param before the lock before the update, or null when there was none
     * @param distro the OS ({@code debian-12}) instead of the one the repositories' suites name; null to read those
     */
    public static LockUpdate compare(Lockfile before, Lockfile after, VulnDb db, List<Vex.Statement> vex, String distro) {
        Map<String, Finding> old = before == null ? Map.of() : findings(before, db, vex, distro, "the previous lock");
        Map<String, Finding> now = findings(after, db, vex, distro, "the new lock");
        List<Finding> removed = new ArrayList<>();
        List<Finding> noFix = new ArrayList<>();
        List<Finding> fixed = new ArrayList<>();
        List<Finding> introduced = new ArrayList<>();
        old.forEach((k, f) -> {
            if (!now.containsKey(k)) removed.add(f);
        });
        now.forEach((k, f) -> {
            if (!old.containsKey(k)) introduced.add(f);
            else if (f.fixAvailable()) fixed.add(f);
            else noFix.add(f);
        });
        removed.sort(Finding.ORDER);
        noFix.sort(Finding.ORDER);
        fixed.sort(Finding.ORDER);
        introduced.sort(Finding.ORDER);
        return new LockUpdate(removed, noFix, fixed, introduced);
    }

    private static Map<String, Finding> findings(Lockfile lock, VulnDb db, List<Vex.Statement> vex, String distro, String what) {
        Map<String, Finding> out = new TreeMap<>();
        for (String arch : lock.packages().keySet()) {
            ScanTarget t = ScanInputs.lock(what, lock, arch, distro);
            ScanReport r = Scan.run(what, t.packages(), t.ecosystem(), db, vex);
            for (Finding f : r.findings()) out.putIfAbsent(f.id() + "\u0000" + f.packageName(), f);
        }
        return out;
    }
}
