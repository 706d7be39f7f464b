package dev.kolibri.scan;

import dev.kolibri.lock.LockedRepository;
import dev.kolibri.vuln.Ecosystems;
import dev.kolibri.vuln.VulnException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Tells the OS (as an OSV ecosystem key) of a {@code --distro} value or of a lock's Debian suites. */
public final class Distros {
    private static final Map<String, String> DEBIAN_CODENAMES = Map.of(
            "stretch", "9", "buster", "10", "bullseye", "11", "bookworm", "12", "trixie", "13", "forky", "14");

    private Distros() {}

    /**
     * The ecosystem key of {@code debian-12} (a purl {@code distro} qualifier, {@code ID-VERSION_ID}) or of an OSV
     * ecosystem ({@code Debian:12}).
     */
    public static Ecosystems.OsEcosystem parse(String distro) {
        String d = distro.strip();
        try {
            if (d.contains(":")) return Ecosystems.parse(d);
            int dash = d.lastIndexOf('-');
            if (dash <= 0 || dash == d.length() - 1) {
                throw new ScanInputException("cannot tell the OS from '" + distro + "': give ID-VERSION_ID (debian-12) or an OSV ecosystem (Debian:12)");
            }
            return Ecosystems.of(d.substring(0, dash), d.substring(dash + 1));
        } catch (VulnException e) {
            throw new ScanInputException("cannot tell the OS from '" + distro + "': " + e.getMessage(), e);
        }
    }

    /** The Debian release of a suite: {@code bookworm}, {@code bookworm-security}, {@code bookworm-updates} give 12. */
    public static String debianRelease(String suite) {
        String s = suite.strip().toLowerCase(Locale.ROOT);
        int dash = s.indexOf('-');
        String codename = dash < 0 ? s : s.substring(0, dash);
        return DEBIAN_CODENAMES.get(codename);
    }

    /** The ecosystem of a lock's repositories: every suite must name the same Debian release. */
    public static Ecosystems.OsEcosystem ofRepositories(List<LockedRepository> repos, String what) {
        TreeSet<String> releases = new TreeSet<>();
        for (LockedRepository r : repos) {
            if (r.suite() == null) {
                throw new ScanInputException(what + ": repository " + r.url() + " has no Debian suite, so its OS is unknown; pass --distro (e.g. fedora-40)");
            }
            String rel = debianRelease(r.suite());
            if (rel == null) {
                throw new ScanInputException(what + ": suite '" + r.suite() + "' is not a Debian release Kolibri knows; pass --distro (e.g. debian-12)");
            }
            releases.add(rel);
        }
        if (releases.isEmpty()) throw new ScanInputException(what + ": the lock lists no repositories; pass --distro (e.g. debian-12)");
        if (releases.size() > 1) {
            throw new ScanInputException(what + ": the lock mixes Debian releases " + releases + "; pass --distro to say which to scan as");
        }
        return Ecosystems.of("debian", releases.first());
    }
}
