package dev.kolibri.finalize;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings a finalize run works with, plus the report it writes into.
 *
 * @param ecosystem          {@code deb} or {@code rpm}
 * @param epoch              mtime (seconds) of every entry the steps write
 * @param runAsUser          uid the image runs as (65532 unless a variant says 0)
 * @param allowShell         a builder variant: shells and package managers are allowed
 * @param installedPackages  names of the installed packages
 * @param osReleaseDefaults  os-release fields written when the tree has no os-release (NAME, ID, VERSION_ID, ...)
 * @param report             where steps put warnings, findings and environment additions
 */
public record FinalizeContext(String ecosystem, long epoch, int runAsUser, boolean allowShell,
                              Set<String> installedPackages, SortedMap<String, String> osReleaseDefaults,
                              Report report) {
    public static final int NONROOT = 65532;

    public FinalizeContext {
        if (!"deb".equals(ecosystem) && !"rpm".equals(ecosystem)) {
            throw new IllegalArgumentException("ecosystem must be 'deb' or 'rpm', not '" + ecosystem + "'");
        }
        if (epoch < 0) throw new IllegalArgumentException("epoch must not be negative: " + epoch);
        if (runAsUser < 0) throw new IllegalArgumentException("runAsUser must not be negative: " + runAsUser);
        installedPackages = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(installedPackages));
        osReleaseDefaults = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(osReleaseDefaults));
        Objects.requireNonNull(report, "report");
    }

    /** Runtime defaults: uid 65532, no shell, no packages, no os-release defaults, a fresh report. */
    public static FinalizeContext of(String ecosystem, long epoch) {
        return new FinalizeContext(ecosystem, epoch, NONROOT, false, Set.of(), new TreeMap<>(), new Report());
    }

    public FinalizeContext withRunAsUser(int uid) {
        return new FinalizeContext(ecosystem, epoch, uid, allowShell, installedPackages, osReleaseDefaults, report);
    }

    public FinalizeContext withAllowShell(boolean allow) {
        return new FinalizeContext(ecosystem, epoch, runAsUser, allow, installedPackages, osReleaseDefaults, report);
    }

    public FinalizeContext withInstalledPackages(Set<String> pkgs) {
        return new FinalizeContext(ecosystem, epoch, runAsUser, allowShell, pkgs, osReleaseDefaults, report);
    }

    public FinalizeContext withOsReleaseDefaults(Map<String, String> defaults) {
        return new FinalizeContext(ecosystem, epoch, runAsUser, allowShell, installedPackages, new TreeMap<>(defaults), report);
    }

    /** The same settings with an empty report. */
    public FinalizeContext withFreshReport() {
        return new FinalizeContext(ecosystem, epoch, runAsUser, allowShell, installedPackages, osReleaseDefaults, new Report());
    }
}
