package dev.kolibri.vuln;

import dev.kolibri.pkg.VersionScheme;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a version lies in an OSV {@code affected} entry, per the OSV schema's evaluation: events of each
 * ECOSYSTEM range sorted by version ({@code introduced: "0"} lowest), {@code introduced} inclusive, {@code fixed}
 * exclusive, {@code last_affected} inclusive, and when {@code limit} events exist the version must be below one of
 * them; or the version is listed in {@code versions}. SEMVER and GIT ranges are not evaluated (OS ecosystems use
 * ECOSYSTEM).
 */
final class Affects {
    private Affects() {}

    /** The verdict for an affected version: the first fixed version above it, or null when no fix is known. */
    record Verdict(String fixed) {}

    /** Null when {@code version} is not affected. */
    static Verdict evaluate(OsvRecord.Affected a, String version, VersionScheme scheme) {
        boolean hit = false;
        for (String listed : a.versions()) {
            if (listed.equals(version) || scheme.compare(listed, version) == 0) {
                hit = true;
                break;
            }
        }
        for (OsvRecord.Range r : a.ranges()) {
            if (hit) break;
            if (r.type().equals("ECOSYSTEM") && inRange(r, version, scheme)) hit = true;
        }
        if (!hit) return null;
        return new Verdict(firstFixAbove(a, version, scheme));
    }

    static boolean inRange(OsvRecord.Range r, String v, VersionScheme scheme) {
        List<OsvRecord.Event> events = sorted(r.events(), scheme);
        List<String> limits = new ArrayList<>();
        boolean vulnerable = false;
        for (OsvRecord.Event e : events) {
            switch (e.kind()) {
                case INTRODUCED -> {
                    if (e.version().equals("0") || scheme.compare(v, e.version()) >= 0) vulnerable = true;
                }
                case FIXED -> {
                    if (scheme.compare(v, e.version()) >= 0) vulnerable = false;
                }
                case LAST_AFFECTED -> {
                    if (scheme.compare(v, e.version()) > 0) vulnerable = false;
                }
                case LIMIT -> limits.add(e.version());
            }
        }
        if (vulnerable && !limits.isEmpty()) {
            return limits.stream().anyMatch(l -> l.equals("*") || scheme.compare(v, l) < 0);
        }
        return vulnerable;
    }

    private static List<OsvRecord.Event> sorted(List<OsvRecord.Event> events, VersionScheme scheme) {
        List<OsvRecord.Event> out = new ArrayList<>(events);
        out.sort(Comparator.comparing(OsvRecord.Event::version, (x, y) -> {
            boolean zx = x.equals("0"), zy = y.equals("0");
            if (zx || zy) return zx == zy ? 0 : zx ? -1 : 1;
            if (x.equals("*") || y.equals("*")) return x.equals(y) ? 0 : x.equals("*") ? 1 : -1;
            return scheme.compare(x, y);
        }));
        return out;
    }

    private static String firstFixAbove(OsvRecord.Affected a, String v, VersionScheme scheme) {
        String best = null;
        for (OsvRecord.Range r : a.ranges()) {
            if (!r.type().equals("ECOSYSTEM")) continue;
            for (OsvRecord.Event e : r.events()) {
                if (e.kind() != OsvRecord.EventKind.FIXED || scheme.compare(e.version(), v) <= 0) continue;
                if (best == null || scheme.compare(e.version(), best) < 0) best = e.version();
            }
        }
        return best;
    }
}
