package dev.kolibri.vuln;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Matches installed packages against advisories of one OS release. Debian and Ubuntu advisories name source
 * packages and source versions, so a Debian package is looked up by its source name and compared by its source
 * version (a binNMU {@code 1.0-1+b1} is compared as {@code 1.0-1}). RPM advisories are looked up by the binary name
 * and by the source RPM name, and compared by the installed EVR. Withdrawn records and advisories of other
 * ecosystems or releases never match. Output is sorted by package, version and id.
 */
public final class Matcher {
    static final int SUMMARY_MAX = 240;
    private final VulnDb db;

    public Matcher(VulnDb db) {
        this.db = db;
    }

    public List<Finding> match(List<ScannedPackage> packages, String osEcosystem) {
        Ecosystems.OsEcosystem os = Ecosystems.parse(osEcosystem);
        List<Finding> out = new ArrayList<>();
        java.util.Map<String, Cvss.Score> scores = new java.util.HashMap<>();
        for (ScannedPackage p : packages) {
            if (p.family() != os.family()) continue;
            boolean deb = p.family() == Ecosystems.Family.DEB;
            String version = deb ? p.sourceVersion() : p.version();
            Set<String> names = new LinkedHashSet<>();
            if (deb) {
                names.add(p.sourceName());
            } else {
                names.add(p.name());
                names.add(p.sourceName());
            }
            Set<String> seen = new java.util.HashSet<>();
            for (String name : names) {
                for (VulnDb.Hit h : db.affecting(os, name, version)) {
                    OsvRecord r = h.record();
                    if (!seen.add(r.id())) continue;
                    out.add(new Finding(r.id(), r.aliases(), summaryOf(r), Ratings.of(r, h.affected(), scores), p.name(), p.sourceName(),
                            p.purl(), p.version(), h.fixed(), "osv:" + h.affected().ecosystem()));
                }
            }
        }
        out.sort(Finding.ORDER);
        return out;
    }

    /** The record's summary, else the first line of its details; at most {@value #SUMMARY_MAX} characters. */
    static String summaryOf(OsvRecord r) {
        String s = r.summary();
        if (s == null || s.isBlank()) {
            s = r.details() == null ? "" : r.details().strip().lines().findFirst().orElse("");
        }
        s = s.strip();
        return s.length() <= SUMMARY_MAX ? s : s.substring(0, SUMMARY_MAX - 1) + "…";
    }
}
