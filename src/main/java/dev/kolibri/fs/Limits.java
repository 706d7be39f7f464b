package dev.kolibri.fs;

import java.util.Locale;

/**
 * What unpacking packages may produce, per regular file, per package and per image (one arch), and the largest
 * ratio of unpacked bytes to package file bytes; the definition's {@code limits:} key sets them (table and design:
 * {@code docs/parts/limits.md}). Every limit is enforced while streaming, before the bytes are read where the
 * archive declares their size, so a refusal costs almost nothing.
 *
 * @param file     bytes of one regular file ({@code limits.file})
 * @param pkg      unpacked bytes of one package's payload ({@code limits.package})
 * @param image    bytes of all regular files of all packages of one arch ({@code limits.image})
 * @param ratio    unpacked bytes per byte of package file, once a package has unpacked more than
 *                 {@link #RATIO_FLOOR} ({@code limits.ratio})
 */
public record Limits(long file, long pkg, long image, long ratio) {
    public static final long KIB = 1L << 10;
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;
    /** A package may unpack this much whatever its ratio (small, highly compressible packages are common). */
    public static final long RATIO_FLOOR = 64 * MIB;
    public static final Limits DEFAULT = new Limits(2 * GIB, 4 * GIB, 16 * GIB, 1000);

    public Limits {
        if (file <= 0 || pkg <= 0 || image <= 0 || ratio <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + file + ", " + pkg + ", " + image + ", " + ratio);
        }
    }

    public Limits withFile(long v) {
        return new Limits(v, pkg, image, ratio);
    }

    public Limits withPackage(long v) {
        return new Limits(file, v, image, ratio);
    }

    public Limits withImage(long v) {
        return new Limits(file, pkg, v, ratio);
    }

    public Limits withRatio(long v) {
        return new Limits(file, pkg, image, v);
    }

    /** Whether {@code unpacked} bytes from a package file of {@code packed} bytes pass the ratio limit. */
    public boolean ratioAllows(long unpacked, long packed) {
        if (unpacked <= RATIO_FLOOR) return true;
        long p = Math.max(1, packed);
        return unpacked / p < ratio || (unpacked / p == ratio && unpacked % p == 0);
    }

    /** A size for people: {@code 1.3 GiB}, {@code 139 KiB}, {@code 512 bytes}. */
    public static String human(long bytes) {
        if (bytes < KIB) return bytes + " bytes";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        String n = v >= 100 || v == Math.rint(v) ? String.valueOf(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
        return n + " " + units[u];
    }

    /** {@link #human} with the exact count when they differ: {@code 1.3 GiB (1395864371 bytes)}. */
    public static String exact(long bytes) {
        String h = human(bytes);
        return h.endsWith(" bytes") ? h : h + " (" + bytes + " bytes)";
    }
}
