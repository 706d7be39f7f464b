package dev.kolibri.vuln;

import dev.kolibri.pkg.VersionScheme;
import dev.kolibri.pkg.deb.DebVersions;
import dev.kolibri.pkg.deb.Debian;
import dev.kolibri.pkg.rpm.Rpm;
import dev.kolibri.pkg.rpm.RpmVersions;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps an operating system (os-release {@code ID} and {@code VERSION_ID}) to the OSV ecosystem its advisories are
 * filed under, and normalizes advisory ecosystems to the same key, so that an advisory for another release or
 * another distribution never matches.
 *
 * <p>Keys: {@code Debian:12}, {@code Ubuntu:22.04} (OSV's {@code :LTS} suffix dropped), {@code AlmaLinux:9},
 * {@code Rocky Linux:9}, {@code Red Hat:enterprise_linux:9} (OSV's {@code Red Hat:enterprise_linux:9::appstream},
 * {@code ::baseos}, ... and minor streams {@code :9.4} all fold to it; EUS/E4S products stay separate),
 * {@code openSUSE:Leap 15.5}, {@code openSUSE:Tumbleweed}, {@code SUSE:Linux Enterprise 15 SP5} (every SUSE product
 * or module of that service pack, e.g. {@code SUSE:Linux Enterprise Module for Basesystem 15 SP5}, folds to it), and
 * {@code Fedora:40} (no public OSV feed uses it today; a local feed can).
 */
public final class Ecosystems {
    private Ecosystems() {}

    /** The package family an OS's advisories are about: Debian packages or RPMs. */
    public enum Family {
        DEB, RPM;

        /**
         * The family of packages of ecosystem {@code id} ({@code deb}, {@code rpm}: {@link dev.kolibri.pkg.Ecosystem#id()},
         * as a package database record or a purl type names it).
         */
        public static Family ofPackages(String id) {
            if (Debian.INSTANCE.id().equals(id)) return DEB;
            if (Rpm.INSTANCE.id().equals(id)) return RPM;
            throw new VulnException("no vulnerability matching for packages of ecosystem '" + id + "' (Kolibri matches deb and rpm)");
        }
    }

    /** An OS's advisory ecosystem key, package family and version order. */
    public record OsEcosystem(String key, Family family) {
        public VersionScheme scheme() {
            return family == Family.DEB ? DebVersions.INSTANCE : RpmVersions.INSTANCE;
        }

        /** True when an advisory filed under {@code advisoryEcosystem} is about this OS release. */
        public boolean accepts(String advisoryEcosystem) {
            return key.equals(Ecosystems.key(advisoryEcosystem));
        }
    }

    /** The ecosystem of an os-release {@code ID} and {@code VERSION_ID}. */
    public static OsEcosystem of(String id, String versionId) {
        String osId = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        String version = versionId == null ? "" : versionId.strip();
        String major = version.contains(".") ? version.substring(0, version.indexOf('.')) : version;
        if (version.isEmpty() && !osId.equals("opensuse-tumbleweed")) {
            throw new VulnException("os-release ID '" + id + "' has no VERSION_ID: pass the OSV ecosystem explicitly (e.g. Debian:12)");
        }
        return switch (osId) {
            case "debian" -> new OsEcosystem("Debian:" + major, Family.DEB);
            case "ubuntu" -> new OsEcosystem("Ubuntu:" + version, Family.DEB);
            case "rhel" -> new OsEcosystem("Red Hat:enterprise_linux:" + major, Family.RPM);
            case "almalinux" -> new OsEcosystem("AlmaLinux:" + major, Family.RPM);
            case "rocky" -> new OsEcosystem("Rocky Linux:" + major, Family.RPM);
            case "fedora" -> new OsEcosystem("Fedora:" + major, Family.RPM);
            case "opensuse-leap" -> new OsEcosystem("openSUSE:Leap " + version, Family.RPM);
            case "opensuse-tumbleweed" -> new OsEcosystem("openSUSE:Tumbleweed", Family.RPM);
            case "sles", "sled", "sles_sap" -> new OsEcosystem("SUSE:Linux Enterprise " + suseRelease(version), Family.RPM);
            default -> throw new VulnException("no OSV ecosystem known for os-release ID '" + id + "' VERSION_ID '" + versionId
                    + "': pass the OSV ecosystem explicitly (e.g. Debian:12, AlmaLinux:9)");
        };
    }

    /** The ecosystem named by an OSV ecosystem string ({@code Debian:12}, {@code Red Hat:enterprise_linux:9::baseos}). */
    public static OsEcosystem parse(String ecosystem) {
        String k = key(ecosystem);
        if (k.startsWith("Debian:") || k.startsWith("Ubuntu:")) return new OsEcosystem(k, Family.DEB);
        for (String p : new String[] {"Red Hat:", "AlmaLinux:", "Rocky Linux:", "Fedora:", "openSUSE:", "SUSE:"}) {
            if (k.startsWith(p)) return new OsEcosystem(k, Family.RPM);
        }
        throw new VulnException("unsupported OSV ecosystem '" + ecosystem
                + "': Kolibri scans Debian, Ubuntu, Red Hat, AlmaLinux, Rocky Linux, Fedora, openSUSE and SUSE releases");
    }

    private static final Pattern RHEL = Pattern.compile("Red Hat:enterprise_linux:(\\d+)(?:\\.\\d+)?(?::.*)?");
    private static final Pattern SUSE = Pattern.compile("SUSE:Linux Enterprise (?:.*? )?(\\d+)( SP\\d+)?(?:-LTSS)?");

    /** The comparison key of an advisory ecosystem (see the class comment). */
    public static String key(String ecosystem) {
        String e = ecosystem.strip();
        Matcher m = RHEL.matcher(e);
        if (m.matches()) return "Red Hat:enterprise_linux:" + m.group(1);
        if (e.startsWith("Red Hat:")) {
            int variant = e.indexOf("::");
            return variant >= 0 ? e.substring(0, variant) : e;
        }
        if (e.startsWith("Ubuntu:") && e.endsWith(":LTS")) return e.substring(0, e.length() - 4);
        m = SUSE.matcher(e);
        if (m.matches()) return "SUSE:Linux Enterprise " + m.group(1) + (m.group(2) == null ? "" : m.group(2));
        return e;
    }

    private static String suseRelease(String version) {
        int dot = version.indexOf('.');
        if (dot < 0 || version.substring(dot + 1).equals("0")) return dot < 0 ? version : version.substring(0, dot);
        return version.substring(0, dot) + " SP" + version.substring(dot + 1);
    }
}
