package dev.kolibri.pkg.rpm;

import dev.kolibri.pkg.Ecosystem;
import dev.kolibri.pkg.VersionScheme;

import java.util.Map;

/** The RPM ecosystem: rpm version order, RPM architecture names. */
public final class Rpm implements Ecosystem {
    public static final Rpm INSTANCE = new Rpm();

    /** OCI / Debian spellings to RPM's; RPM names map to themselves. */
    private static final Map<String, String> ARCHS = Map.ofEntries(
            Map.entry("amd64", "x86_64"), Map.entry("x86_64", "x86_64"),
            Map.entry("arm64", "aarch64"), Map.entry("aarch64", "aarch64"),
            Map.entry("ppc64le", "ppc64le"), Map.entry("ppc64el", "ppc64le"),
            Map.entry("s390x", "s390x"),
            Map.entry("386", "i686"), Map.entry("i386", "i686"), Map.entry("i686", "i686"),
            Map.entry("riscv64", "riscv64"));

    private Rpm() {}

    @Override
    public String id() {
        return "rpm";
    }

    @Override
    public VersionScheme versions() {
        return RpmVersions.INSTANCE;
    }

    /** {@code amd64}/{@code x86_64} to {@code x86_64}, {@code arm64}/{@code aarch64} to {@code aarch64}, and a few more. */
    @Override
    public String archOf(String ociArch) {
        String a = ARCHS.get(ociArch);
        if (a == null) {
            throw new IllegalArgumentException("unknown architecture '" + ociArch
                    + "' (RPM knows x86_64/amd64, aarch64/arm64, ppc64le, s390x, i686, riscv64)");
        }
        return a;
    }

    @Override
    public boolean isArchIndependent(String arch) {
        return "noarch".equals(arch);
    }

    /**
     * {@code origin} is the distribution id (from the {@code system-release} provider's name), {@code version} its
     * release; {@code NAME} and {@code ID_LIKE} as the distributions' own os-release files say them.
     */
    @Override
    public dev.kolibri.pkg.Distro distroOf(dev.kolibri.pkg.RepositoryRelease r) {
        if (r == null || r.origin() == null) return null;
        String id = r.origin().toLowerCase(java.util.Locale.ROOT);
        if (!id.matches("[a-z0-9._-]+")) return null;
        String version = r.version() == null || !r.version().matches("[A-Za-z0-9._~]+") ? null : r.version();
        String name = switch (id) {
            case "fedora" -> "Fedora Linux";
            case "rhel" -> "Red Hat Enterprise Linux";
            case "centos" -> "CentOS Stream";
            case "almalinux" -> "AlmaLinux";
            case "rocky" -> "Rocky Linux";
            default -> Character.toUpperCase(id.charAt(0)) + id.substring(1);
        };
        String idLike = switch (id) {
            case "fedora" -> null;
            case "rhel" -> "fedora";
            case "centos" -> "rhel fedora";
            case "almalinux", "rocky" -> "rhel centos fedora";
            default -> null;
        };
        return new dev.kolibri.pkg.Distro(id, version, null, name, idLike);
    }
}
