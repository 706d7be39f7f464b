package dev.kolibri.pkg.deb;

import dev.kolibri.pkg.Ecosystem;
import dev.kolibri.pkg.VersionScheme;

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

    private Debian() {}

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

    @Override
    public String toString() {
        return "deb";
    }
}
