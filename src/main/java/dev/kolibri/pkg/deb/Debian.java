package dev.kolibri.pkg.deb;

import dev.kolibri.pkg.Distro;
import dev.kolibri.pkg.Ecosystem;
import dev.kolibri.pkg.RepositoryRelease;
import dev.kolibri.pkg.VersionScheme;

import java.util.Locale;
import java.util.Map;

/** The Debian ecosystem: dpkg version order, Debian architecture names. */
public final class Debian implements Ecosystem {
    public static final Debian INSTANCE = new Debian();

    /** OCI / GNU / RPM spellings to Debian's; Debian names map to themselves. */
    private static final Map<String, String> ARCHS = Map.ofEntries(
            Map.entry("amd64", "amd64"), Map.entry("x86_64", "amd64"),
            Map.entry("arm64", "arm64"), Map.entry("aarch64", "arm64"),
            Map.entry("386", "i386"), Map.entry("i386", "i386"), Map.entry("i686", "i386"),
            Map.entry("armhf", "armhf"), Map.entry("arm", "armhf"), Map.entry("armv7", "armhf"),
            Map.entry("armv7l", "armhf"), Map.entry("armv7hl", "armhf"),
            Map.entry("armel", "armel"), Map.entry("armv5", "armel"), Map.entry("armv6", "armel"),
            Map.entry("ppc64el", "ppc64el"), Map.entry("ppc64le", "ppc64el"),
            Map.entry("s390x", "s390x"),
            Map.entry("mips64el", "mips64el"), Map.entry("mips64le", "mips64el"),
            Map.entry("mipsel", "mipsel"), Map.entry("mipsle", "mipsel"),
            Map.entry("riscv64", "riscv64"), Map.entry("loong64", "loong64"), Map.entry("loongarch64", "loong64"));

    /** Debian's codenames and their release numbers (the Release of {@code -security} and {@code -updates} may lack one). */
    private static final Map<String, String> DEBIAN_RELEASES = Map.of(
            "stretch", "9", "buster", "10", "bullseye", "11", "bookworm", "12", "trixie", "13", "forky", "14",
            "duke", "15");

    /** Debian's rolling suites: no release number. */
    private static final java.util.Set<String> ROLLING = java.util.Set.of("sid", "unstable", "experimental", "rc-buggy");

    private Debian() {}

    /** The release number of a Debian codename ({@code bookworm} and {@code bookworm-security} give 12), or null. */
    public static String debianRelease(String codenameOrSuite) {
        if (codenameOrSuite == null) return null;
        String s = codenameOrSuite.strip().toLowerCase(Locale.ROOT);
        int dash = s.indexOf('-');
        return DEBIAN_RELEASES.get(dash < 0 ? s : s.substring(0, dash));
    }

    @Override
    public String id() {
        return "deb";
    }

    @Override
    public VersionScheme versions() {
        return DebVersions.INSTANCE;
    }

    /**
     * {@code amd64}/{@code x86_64} to {@code amd64}, {@code arm64}/{@code aarch64} to {@code arm64}, and the other
     * Debian release architectures; throws IllegalArgumentException for an unknown one.
     */
    @Override
    public String archOf(String ociArch) {
        String a = ARCHS.get(ociArch);
        if (a == null) {
            throw new IllegalArgumentException("unknown architecture '" + ociArch + "' (Debian knows amd64, arm64, armhf, "
                    + "armel, i386, ppc64el, s390x, mips64el, mipsel, riscv64, loong64)");
        }
        return a;
    }

    @Override
    public boolean isArchIndependent(String arch) {
        return "all".equals(arch);
    }

    /**
     * From a Release's fields: {@code ID} is the first word of {@code Origin} in lower case ({@code Debian},
     * {@code Debian Backports} give {@code debian}); {@code VERSION_CODENAME} the {@code Codename} without its
     * {@code -security}/{@code -updates}/{@code -backports} part; {@code VERSION_ID} for Debian the major number of
     * {@code Version}, else the codename's release number, none for sid; for others {@code Version} up to a dash.
     * A Release without {@code Origin} counts as Debian when its codename is one of Debian's; else null.
     */
    @Override
    public Distro distroOf(RepositoryRelease r) {
        if (r == null) return null;
        String codename = r.codename() != null ? r.codename() : r.suite();
        if (codename != null) {
            codename = codename.toLowerCase(Locale.ROOT);
            int dash = codename.indexOf('-');
            if (dash > 0) codename = codename.substring(0, dash);
        }
        String id;
        if (r.origin() != null) {
            id = r.origin().split("\\s+")[0].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "");
            if (id.isEmpty()) return null;
        } else if (debianRelease(codename) != null || ROLLING.contains(String.valueOf(codename))) {
            id = "debian";
        } else {
            return null;
        }
        String version = r.version();
        String versionId;
        if (id.equals("debian")) {
            if (ROLLING.contains(String.valueOf(codename))) {
                versionId = null;
            } else if (version != null && version.matches("[0-9]+([.-].*)?")) {
                versionId = version.split("[.-]")[0];
            } else {
                versionId = debianRelease(codename);
            }
        } else {
            versionId = version == null ? null : version.split("-")[0];
        }
        if (versionId != null && !versionId.matches("[A-Za-z0-9._~]+")) versionId = null;
        if (codename != null && !codename.matches("[a-z0-9._]+")) codename = null;
        String name = switch (id) {
            case "debian" -> "Debian GNU/Linux";
            case "ubuntu" -> "Ubuntu";
            default -> r.origin();
        };
        String idLike = switch (id) {
            case "debian" -> null;
            case "ubuntu" -> "debian";
            default -> "debian";
        };
        return new Distro(id, versionId, codename, name, idLike);
    }

    @Override
    public String toString() {
        return "deb";
    }
}
