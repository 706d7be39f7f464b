package dev.kolibri.scan;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;

import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a package URL a scan reads, and its canonical form. {@link #parse} reads the common, already canonical
 * shape of deb and rpm purls directly ({@code pkg:deb/debian/NAME@VERSION?k=v&...}: lowercase type, one lowercase
 * namespace segment, a lowercase name, qualifier keys in ascending order, no subpath, only unreserved characters or
 * upper-case {@code %XX} escapes of reserved ASCII characters); anything else goes through packageurl-java. Both give
 * the same parts and canonical string (tested against packageurl-java); the direct path only avoids its cost on SBOMs
 * of thousands of packages.
 *
 * @param qualifiers decoded qualifier values by key (no empty values)
 */
record Purl(String type, String name, String version, Map<String, String> qualifiers, String canonical) {

    static Purl of(PackageURL u) {
        Map<String, String> q = u.getQualifiers();
        return new Purl(u.getType(), u.getName(), u.getVersion(), q == null ? Map.of() : q, u.canonicalize());
    }

    static Purl parse(String purl) throws MalformedPackageURLException {
        Purl fast = direct(purl);
        return fast != null ? fast : of(new PackageURL(purl));
    }

    String qualifier(String key) {
        return qualifiers.get(key);
    }

    /** The purl when it has the canonical shape described above, else null. */
    static Purl direct(String s) {
        String type;
        if (s.startsWith("pkg:deb/")) type = "deb";
        else if (s.startsWith("pkg:rpm/")) type = "rpm";
        else return null;
        int i = 8;
        int ns = segment(s, i, true);
        if (ns == i || ns >= s.length() || s.charAt(ns) != '/') return null;
        int nameStart = ns + 1;
        int nameEnd = segment(s, nameStart, true);
        if (nameEnd == nameStart || nameEnd >= s.length() || s.charAt(nameEnd) != '@') return null;
        int versionStart = nameEnd + 1;
        int versionEnd = value(s, versionStart);
        if (versionEnd == versionStart) return null;
        String version = decode(s, versionStart, versionEnd);
        if (version == null) return null;
        Map<String, String> qualifiers = new TreeMap<>();
        int p = versionEnd;
        if (p < s.length()) {
            if (s.charAt(p) != '?') return null;
            String previous = null;
            do {
                int keyStart = p + 1;
                int keyEnd = key(s, keyStart);
                if (keyEnd == keyStart || keyEnd >= s.length() || s.charAt(keyEnd) != '=') return null;
                String key = s.substring(keyStart, keyEnd);
                if (previous != null && previous.compareTo(key) >= 0) return null;
                int valueEnd = value(s, keyEnd + 1);
                if (valueEnd == keyEnd + 1) return null;
                String v = decode(s, keyEnd + 1, valueEnd);
                if (v == null) return null;
                qualifiers.put(key, v);
                previous = key;
                p = valueEnd;
            } while (p < s.length() && s.charAt(p) == '&');
            if (p != s.length()) return null;
        }
        return new Purl(type, s.substring(nameStart, nameEnd), version, qualifiers, s);
    }

    /** End of a run of lowercase unreserved characters. */
    private static int segment(String s, int i, boolean lowercase) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '~'
                    || (!lowercase && c >= 'A' && c <= 'Z')) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    /** End of a qualifier key: a lowercase letter, then lowercase letters, digits, {@code .-_}. */
    private static int key(String s, int i) {
        if (i >= s.length() || s.charAt(i) < 'a' || s.charAt(i) > 'z') return i;
        while (i < s.length()) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_') i++;
            else break;
        }
        return i;
    }

    /** End of a version or qualifier value: unreserved characters and {@code %} escapes. */
    private static int value(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' || (c >= 'A' && c <= 'Z')) i++;
            else if (segment(s, i, false) > i) i = segment(s, i, false);
            else break;
        }
        return i;
    }

    /** Decodes upper-case {@code %XX} escapes of the reserved ASCII characters packageurl-java escapes; else null. */
    private static String decode(String s, int from, int to) {
        int pct = s.indexOf('%', from);
        if (pct < 0 || pct >= to) return s.substring(from, to);
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (i + 2 >= to) return null;
            int h = hex(s.charAt(i + 1)), l = hex(s.charAt(i + 2));
            if (h < 0 || l < 0) return null;
            char d = (char) (h * 16 + l);
            if (ESCAPED.indexOf(d) < 0) return null;
            sb.append(d);
            i += 2;
        }
        return sb.toString();
    }

    /** Characters whose upper-case escape is canonical (tested against packageurl-java). */
    private static final String ESCAPED = ":+@";

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
