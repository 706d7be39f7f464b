package dev.kolibri.oci;

import java.util.Objects;

/** An OCI platform: {@code linux/amd64}, {@code linux/arm64/v8}. Architectures use the OCI (Go) names. */
public record Platform(String os, String architecture, String variant) {
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", null);

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
    }

    /**
     * The OCI platform for an architecture name in any spelling Kolibri accepts: OCI/Debian ({@code amd64},
     * {@code arm64}; {@code arm} is linux/arm/v7, as {@code armhf}) or RPM ({@code x86_64}, {@code aarch64}).
     */
    public static Platform ofArch(String arch) {
        return switch (arch) {
            case "amd64", "x86_64" -> LINUX_AMD64;
            case "arm64", "aarch64" -> LINUX_ARM64;
            case "ppc64el", "ppc64le" -> new Platform("linux", "ppc64le", null);
            case "s390x" -> new Platform("linux", "s390x", null);
            case "riscv64" -> new Platform("linux", "riscv64", null);
            case "i386", "i686", "386" -> new Platform("linux", "386", null);
            case "armhf", "armv7hl", "arm" -> new Platform("linux", "arm", "v7");
            default -> throw new IllegalArgumentException("unknown architecture '" + arch
                    + "' (known: amd64/x86_64, arm64/aarch64, ppc64el/ppc64le, s390x, riscv64, i386, armhf)");
        };
    }

    /** {@code linux/amd64} or {@code linux/arm/v7}; also parses that form. */
    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }

    public static Platform parse(String s) {
        String[] p = s.split("/");
        if (p.length < 2 || p.length > 3) throw new IllegalArgumentException("not a platform (want os/arch[/variant]): " + s);
        return new Platform(p[0], p[1], p.length == 3 ? p[2] : null);
    }
}
