package dev.kolibri.pkg.deb;

import dev.kolibri.pkg.VersionScheme;

/**
 * dpkg's version order: {@code [epoch:]upstream[-revision]}, compared as {@code dpkg --compare-versions} does.
 * A missing epoch is 0, a missing revision is empty. Within upstream and revision, non-digit runs compare character
 * by character with {@code ~} before everything (even the end), letters before non-letters; digit runs compare as
 * numbers.
 */
public final class DebVersions implements VersionScheme {
    public static final DebVersions INSTANCE = new DebVersions();

    private DebVersions() {}

    @Override
    public int compare(String a, String b) {
        Parsed pa = Parsed.of(a.strip());
        Parsed pb = Parsed.of(b.strip());
        int c = Long.compare(pa.epoch, pb.epoch);
        if (c != 0) return c;
        c = verrevcmp(pa.upstream, pb.upstream);
        if (c != 0) return Integer.signum(c);
        return Integer.signum(verrevcmp(pa.revision, pb.revision));
    }

    /**
     * Throws {@link DebMetadataException} for every version {@code dpkg --validate-version} does not accept
     * (errors and warnings both): empty, embedded spaces, bad epoch, empty upstream or revision, upstream not
     * starting with a digit, characters outside {@code [A-Za-z0-9.+~:-]} (revision: {@code [A-Za-z0-9.+~]}).
     */
    public static void validate(String version) {
        String problem = problem(version);
        if (problem != null) {
            throw new DebMetadataException("invalid Debian version '" + version + "': " + problem);
        }
    }

    /** True when {@link #validate} would accept the version. */
    public static boolean isValid(String version) {
        return problem(version) == null;
    }

    private static String problem(String version) {
        if (version == null) return "version string is empty";
        String v = version.strip();
        if (v.isEmpty()) return "version string is empty";
        for (int i = 0; i < v.length(); i++) {
            if (Character.isWhitespace(v.charAt(i))) return "version string has embedded spaces";
        }
        int colon = v.indexOf(':');
        String rest = v;
        if (colon >= 0) {
            // dpkg reads the epoch with strtol: an optional sign, then digits
            String epoch = v.substring(0, colon);
            boolean negative = epoch.startsWith("-");
            String unsigned = epoch.startsWith("+") || negative ? epoch.substring(1) : epoch;
            int n = 0;
            while (n < unsigned.length() && isDigit(unsigned.charAt(n))) n++;
            if (n == 0) return "epoch in version is empty";
            if (n < unsigned.length()) return "epoch in version is not number";
            String digits = unsigned.replaceFirst("^0+(?=.)", "");
            if (negative && !digits.equals("0")) return "epoch in version is negative";
            if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) return "epoch in version is too big";
            rest = v.substring(colon + 1);
            if (rest.isEmpty()) return "nothing after colon in version number";
        }
        int hyphen = rest.lastIndexOf('-');
        String upstream = hyphen >= 0 ? rest.substring(0, hyphen) : rest;
        String revision = hyphen >= 0 ? rest.substring(hyphen + 1) : null;
        if (revision != null && revision.isEmpty()) return "revision number is empty";
        if (upstream.isEmpty()) return "version number is empty";
        if (!isDigit(upstream.charAt(0))) return "version number does not start with digit";
        for (int i = 0; i < upstream.length(); i++) {
            char c = upstream.charAt(i);
            if (!isAlnum(c) && ".-+~:".indexOf(c) < 0) return "invalid character '" + c + "' in version number";
        }
        if (revision != null) {
            for (int i = 0; i < revision.length(); i++) {
                char c = revision.charAt(i);
                if (!isAlnum(c) && ".+~".indexOf(c) < 0) return "invalid character '" + c + "' in revision number";
            }
        }
        return null;
    }

    private record Parsed(long epoch, String upstream, String revision) {
        static Parsed of(String v) {
            long epoch = 0;
            int colon = v.indexOf(':');
            if (colon >= 0) {
                String e = v.substring(0, colon);
                try {
                    epoch = e.isEmpty() ? 0 : Long.parseLong(e);
                } catch (NumberFormatException ex) {
                    throw new DebMetadataException("invalid Debian version '" + v + "': epoch in version is not number");
                }
                v = v.substring(colon + 1);
            }
            int hyphen = v.lastIndexOf('-');
            if (hyphen >= 0) return new Parsed(epoch, v.substring(0, hyphen), v.substring(hyphen + 1));
            return new Parsed(epoch, v, "");
        }
    }

    /** dpkg's {@code verrevcmp}, on a string with a virtual NUL past its end. */
    static int verrevcmp(String a, String b) {
        int i = 0, j = 0;
        int la = a.length(), lb = b.length();
        while (i < la || j < lb) {
            int firstDiff = 0;
            while ((i < la && !isDigit(a.charAt(i))) || (j < lb && !isDigit(b.charAt(j)))) {
                int ac = order(i < la ? a.charAt(i) : 0);
                int bc = order(j < lb ? b.charAt(j) : 0);
                if (ac != bc) return ac - bc;
                i++;
                j++;
            }
            while (i < la && a.charAt(i) == '0') i++;
            while (j < lb && b.charAt(j) == '0') j++;
            while (i < la && j < lb && isDigit(a.charAt(i)) && isDigit(b.charAt(j))) {
                if (firstDiff == 0) firstDiff = a.charAt(i) - b.charAt(j);
                i++;
                j++;
            }
            if (i < la && isDigit(a.charAt(i))) return 1;
            if (j < lb && isDigit(b.charAt(j))) return -1;
            if (firstDiff != 0) return firstDiff;
        }
        return 0;
    }

    private static int order(int c) {
        if (isDigit(c)) return 0;
        if (isAlpha(c)) return c;
        if (c == '~') return -1;
        if (c != 0) return c + 256;
        return 0;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAlnum(int c) {
        return isDigit(c) || isAlpha(c);
    }

    @Override
    public String toString() {
        return "dpkg version order";
    }
}
