package dev.kolibri.cli;

import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.scan.LockUpdate;
import dev.kolibri.vuln.Finding;
import dev.kolibri.vuln.VulnDb;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code lock --update --db DB}: the findings the new lock removes, keeps and brings, printed or as JSON. */
final class LockUpdateReport {
    private LockUpdateReport() {}

    /** The lock at {@code path} before it is replaced, or null when there is none. */
    static Lockfile previous(Path path) throws java.io.IOException {
        return Files.exists(path) ? Lockfile.read(path) : null;
    }

    static void print(PrintWriter out, Path lockPath, Lockfile before, Lockfile after, Path dbPath, String distro, boolean json) {
        if (!Files.exists(dbPath)) {
            throw new IllegalArgumentException("--db " + dbPath + ": no such database; make one with `kolibri db import SOURCES -o " + dbPath + "`");
        }
        LockUpdate u;
        try (VulnDb db = VulnDb.open(dbPath)) {
            u = LockUpdate.compare(before, after, db, List.of(), distro);
        }
        Map<String, String> newVersions = versions(after);
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("lockfile", lockPath.toString());
            r.put("previousLock", before != null);
            r.put("removed", rows(u.removed(), newVersions));
            r.put("remainingWithoutFix", rows(u.remainingNoFix(), null));
            r.put("remainingFixNotInRepositories", rows(u.remainingFixed(), null));
            r.put("introduced", rows(u.introduced(), null));
            Output.json(out, r);
            return;
        }
        if (before == null) out.println("no previous lock at " + lockPath + ": every finding is reported as introduced");
        section(out, "removed by the update", u.removed(), newVersions);
        section(out, "remaining without a fix", u.remainingNoFix(), null);
        section(out, "remaining, fixed upstream but the repositories have no fixed package yet", u.remainingFixed(), null);
        section(out, "introduced by the update", u.introduced(), null);
        out.flush();
    }

    private static Map<String, String> versions(Lockfile lock) {
        Map<String, String> v = new TreeMap<>();
        for (List<LockedPackage> l : lock.packages().values()) for (LockedPackage p : l) v.putIfAbsent(p.name(), p.version());
        return v;
    }

    private static void section(PrintWriter out, String title, List<Finding> findings, Map<String, String> newVersions) {
        out.printf("%s: %d%n", title, findings.size());
        for (Finding f : findings) {
            String now = newVersions == null ? "" : " -> " + newVersions.getOrDefault(f.packageName(), "(removed)");
            out.printf("  %-22s %-8s %s %s%s%s%n", f.id(), f.severity().label(), f.packageName(), f.installedVersion(), now,
                    f.fixAvailable() ? " (fixed in " + f.fixedVersion() + ")" : "");
        }
    }

    private static List<Map<String, Object>> rows(List<Finding> findings, Map<String, String> newVersions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("aliases", f.aliases());
            m.put("severity", f.severity().label());
            m.put("package", f.packageName());
            m.put("sourcePackage", f.sourceName());
            m.put("installedVersion", f.installedVersion());
            if (newVersions != null) m.put("newVersion", newVersions.get(f.packageName()));
            m.put("fixedVersion", f.fixedVersion());
            out.add(m);
        }
        return out;
    }
}
