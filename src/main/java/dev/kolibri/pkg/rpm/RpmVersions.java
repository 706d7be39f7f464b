package dev.kolibri.pkg.rpm;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Op;
import dev.kolibri.pkg.VersionScheme;

/**
 * rpm's version order. {@link #vercmp} is {@code rpmvercmp}: versions are split into maximal runs of ASCII digits or
 * ASCII letters, everything else separates; digit runs compare as numbers (leading zeros ignored) and beat letter
 * runs; {@code ~} sorts before everything, even the end; {@code ^} sorts after the end but before any further
 * segment. {@link #compare} orders full {@code [epoch:]version[-release]} strings as {@code rpm.labelCompare} does
 * (a missing epoch is 0; when only one side has a release, that side is newer), which is a total order.
 * {@link #satisfies} follows rpm's dependency ranges: an unversioned provide satisfies any requirement, and a
 * requirement without a release matches every release.
 */
public final class RpmVersions implements VersionScheme {
    public static final RpmVersions INSTANCE = new RpmVersions();

    private RpmVersions() {}

    /** An {@code [epoch:]version[-release]} split as rpm's {@code parseEVR} does; epoch and release may be null. */
    public record Evr(String epoch, String version, String release) {
        public static Evr parse(String evr) {
            String s = evr.strip();
            int i = 0;
            while (i < s.length() && isDigit(s.charAt(i))) i++;
            String epoch = null;
            String rest = s;
            if (i < s.length() && s.charAt(i) == ':') {
                epoch = i == 0 ? "0" : s.substring(0, i);
                rest = s.substring(i + 1);
            }
            int hyphen = rest.lastIndexOf('-');
            if (hyphen >= 0) return new Evr(epoch, rest.substring(0, hyphen), rest.substring(hyphen + 1));
            return new Evr(epoch, rest, null);
        }

        String epochOrZero() {
            return epoch == null ? "0" : epoch;
        }
    }

    @Override
    public int compare(String a, String b) {
        Evr x = Evr.parse(a);
        Evr y = Evr.parse(b);
        int c = vercmp(x.epochOrZero(), y.epochOrZero());
        if (c != 0) return c;
        c = vercmp(x.version, y.version);
        if (c != 0) return c;
        if (x.release == null && y.release == null) return 0;
        if (x.release == null) return -1;
        if (y.release == null) return 1;
        return vercmp(x.release, y.release);
    }

    /** rpm's {@code rpmverCmp}: like {@link #compare}, but a release missing on either side compares equal. */
    public int compareForRange(String a, String b) {
        Evr x = Evr.parse(a);
        Evr y = Evr.parse(b);
        int c = vercmp(x.epochOrZero(), y.epochOrZero());
        if (c != 0) return c;
        c = vercmp(x.version, y.version);
        if (c != 0 || x.release == null || y.release == null) return c;
        return vercmp(x.release, y.release);
    }

    @Override
    public boolean satisfies(Capability provided, Constraint wanted) {
        if (!provided.name().equals(wanted.name())) return false;
        if (wanted.op() == Op.ANY || provided.version() == null) return true;
        return wanted.op().accepts(compareForRange(provided.version(), wanted.version()));
    }

    /** rpm's {@code rpmvercmp} on one version or release string: -1, 0 or 1. */
    public static int vercmp(String a, String b) {
        if (a.equals(b)) return 0;
        int i = 0, j = 0;
        int la = a.length(), lb = b.length();
        while (i < la || j < lb) {
            while (i < la && isSeparator(a.charAt(i))) i++;
            while (j < lb && isSeparator(b.charAt(j))) j++;
            char ca = i < la ? a.charAt(i) : 0;
            char cb = j < lb ? b.charAt(j) : 0;
            if (ca == '~' || cb == '~') {
                if (ca != '~') return 1;
                if (cb != '~') return -1;
                i++;
                j++;
                continue;
            }
            if (ca == '^' || cb == '^') {
                if (i >= la) return -1;
                if (j >= lb) return 1;
                if (ca != '^') return 1;
                if (cb != '^') return -1;
                i++;
                j++;
                continue;
            }
            if (i >= la || j >= lb) break;
            int si = i, sj = j;
            boolean numeric = isDigit(ca);
            if (numeric) {
                while (i < la && isDigit(a.charAt(i))) i++;
                while (j < lb && isDigit(b.charAt(j))) j++;
            } else {
                while (i < la && isAlpha(a.charAt(i))) i++;
                while (j < lb && isAlpha(b.charAt(j))) j++;
            }
            if (sj == j) return numeric ? 1 : -1;
            String sa = a.substring(si, i);
            String sb = b.substring(sj, j);
            if (numeric) {
                sa = stripZeros(sa);
                sb = stripZeros(sb);
                if (sa.length() != sb.length()) return sa.length() > sb.length() ? 1 : -1;
            }
            int c = sa.compareTo(sb);
            if (c != 0) return c < 0 ? -1 : 1;
        }
        if (i >= la && j >= lb) return 0;
        return i >= la ? -1 : 1;
    }

    private static String stripZeros(String s) {
        int k = 0;
        while (k < s.length() && s.charAt(k) == '0') k++;
        return s.substring(k);
    }

    private static boolean isSeparator(char c) {
        return !isDigit(c) && !isAlpha(c) && c != '~' && c != '^';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    @Override
    public String toString() {
        return "rpm version order";
    }
}
