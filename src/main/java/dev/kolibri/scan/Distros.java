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
        return dev.kolibri.pkg.deb.Debian.debianRelease(suite);
    }

    /**
     * The ecosystem of a lock's repositories: the release their signed metadata names (the base release when
     * several, as the image's os-release does); for a lock of format 1, every suite must name the same Debian
     * release.
     */
    public static Ecosystems.OsEcosystem ofRepositories(List<LockedRepository> repos, String what) {
        List<dev.kolibri.pkg.RepositoryRelease> known = repos.stream().map(LockedRepository::release)
                .filter(java.util.Objects::nonNull).toList();
        if (!known.isEmpty()) {
            dev.kolibri.pkg.Distro d = dev.kolibri.pkg.KnownEcosystems.of(repos.get(0).type()).baseDistro(known);
            if (d != null && d.versionId() != null) {
                try {
                    return Ecosystems.of(d.id(), d.versionId());
                } catch (VulnException e) {
                    // a distribution OSV does not know by that name: tell it by its suites, as for format 1
                }
            }
            if (d != null && d.versionId() == null && repos.stream().allMatch(r -> debianRelease(String.valueOf(r.suite())) == null)) {
                throw new ScanInputException(what + ": " + d.prettyName() + " has no release number, so no advisory database covers it by "
                        + "release; pass --distro (e.g. debian-13) to scan it as one");
            }
        }
        if (!repos.isEmpty() && dev.kolibri.pkg.rpm.Rpm.INSTANCE.id().equals(repos.get(0).type())) {
            throw new ScanInputException(what + ": the lock's rpm repositories name no distribution release (no package "
                    + "provides system-release); pass --distro (e.g. fedora-43)");
        }
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
