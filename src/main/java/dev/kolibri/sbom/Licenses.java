package dev.kolibri.sbom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Licences as SPDX expressions: from Debian machine-readable copyright files (DEP-5) and RPM {@code License}
 * tags, and a validator for SPDX licence expressions against the SPDX licence list bundled as a resource.
 */
public final class Licenses {
    private static final Map<String, String> LICENSE_IDS = load("spdx-license-ids.txt");
    private static final Map<String, String> EXCEPTION_IDS = load("spdx-exception-ids.txt");
    private static final Pattern LICENSE_REF = Pattern.compile("(?:DocumentRef-[A-Za-z0-9.\\-]+:)?LicenseRef-[A-Za-z0-9.\\-]+");
    private static final Pattern GNU = Pattern.compile("(A|L)?GPL-(\\d)(\\.\\d)?(\\+)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern GFDL = Pattern.compile("GFDL(-NIV)?-(1\\.[123])(\\+)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern FORMAT = Pattern.compile(
            "https?://(www\\.)?debian\\.org/doc/packaging-manuals/copyright-format/1\\.0/?|https?://dep\\.debian\\.net/deps/dep5/?.*",
            Pattern.CASE_INSENSITIVE);

    /** Debian short names (DEP-5 section 7.2 and common practice) whose SPDX id is not the same string. */
    private static final Map<String, String> DEBIAN_NAMES = Map.ofEntries(
            Map.entry("public-domain", "LicenseRef-public-domain"),
            Map.entry("expat", "MIT"),
            Map.entry("artistic", "Artistic-1.0-Perl"),
            Map.entry("artistic-1", "Artistic-1.0"),
            Map.entry("artistic-2", "Artistic-2.0"),
            Map.entry("bsd-2-clause", "BSD-2-Clause"),
            Map.entry("bsd-3-clause", "BSD-3-Clause"),
            Map.entry("bsd-4-clause", "BSD-4-Clause"),
            Map.entry("psf-2", "PSF-2.0"),
            Map.entry("zlib", "Zlib"),
            Map.entry("boost-1.0", "BSL-1.0"),
            Map.entry("ssleay", "SSLeay-standalone"),
            Map.entry("cc0", "CC0-1.0"),
            Map.entry("gpl+", "GPL-1.0-or-later"),
            Map.entry("lgpl+", "LGPL-2.0-or-later"),
            Map.entry("mpl-2", "MPL-2.0"),
            Map.entry("apache-2", "Apache-2.0"));

    /** Debian exception names ({@code GPL-3+ with Autoconf exception}) that have an SPDX exception id. */
    private static final Map<String, String> DEBIAN_EXCEPTIONS = Map.of(
            "classpath", "Classpath-exception-2.0",
            "font", "Font-exception-2.0",
            "bison", "Bison-exception-2.2",
            "libtool", "Libtool-exception",
            "gcc-3.1", "GCC-exception-3.1",
            "autoconf-3.0", "Autoconf-exception-3.0",
            "autoconf-2.0", "Autoconf-exception-2.0");

    private Licenses() {}

    /**
     * The licences of a Debian package from its {@code usr/share/doc/PKG/copyright}: the {@code License}
     * synopses of the header and {@code Files} paragraphs, mapped to SPDX ids, distinct ones joined with
     * {@code AND} in sorted order. Names without an SPDX id become {@code LicenseRef-NAME}. Returns null when
     * the file is not machine-readable (no DEP-5 {@code Format} header) or names no licence.
     */
    public static String fromDebianCopyright(String text) {
        if (text == null) return null;
        List<Map<String, String>> paragraphs = deb822(text);
        if (paragraphs.isEmpty()) return null;
        String format = paragraphs.getFirst().get("format");
        if (format == null || !FORMAT.matcher(format.strip()).matches()) return null;
        var conjuncts = new TreeSet<String>();
        for (int i = 0; i < paragraphs.size(); i++) {
            Map<String, String> p = paragraphs.get(i);
            if (i > 0 && !p.containsKey("files")) continue; // stand-alone licence paragraphs only hold texts
            String license = p.get("license");
            if (license == null) continue;
            String synopsis = license.lines().findFirst().orElse("").strip();
            if (!synopsis.isEmpty()) conjuncts.addAll(debianSynopsis(synopsis));
        }
        return join(conjuncts);
    }

    /**
     * An RPM {@code License} tag as an SPDX expression: Fedora writes SPDX since 2023, so the tag is taken as
     * is when it parses (with identifiers put in their canonical case); old Fedora/Red Hat short names give null.
     */
    public static String fromRpmLicense(String tag) {
        if (tag == null || tag.isBlank()) return null;
        return normalize(tag.strip());
    }

    /** Whether {@code expr} is a valid SPDX licence expression over the bundled (non-deprecated) SPDX ids. */
    public static boolean isValidSpdxExpression(String expr) {
        return expr != null && normalize(expr) != null;
    }

    /** The expression with identifiers in canonical case and single spaces, or null when it is not valid. */
    static String normalize(String expr) {
        try {
            var p = new ExpressionParser(expr);
            String out = p.expression();
            if (!p.atEnd()) return null;
            return out;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The {@code LicenseRef-} identifiers an expression uses, sorted. */
    static Set<String> licenseRefs(String expr) {
        var refs = new TreeSet<String>();
        if (expr == null) return refs;
        Matcher m = LICENSE_REF.matcher(expr);
        while (m.find()) refs.add(m.group());
        return refs;
    }

    /** {@code expr} with each {@code LicenseRef-} replaced by its spelling in {@code canonical} (a case-insensitive map). */
    static String renameRefs(String expr, Map<String, String> canonical) {
        if (expr == null) return null;
        return LICENSE_REF.matcher(expr).replaceAll(m -> Matcher.quoteReplacement(canonical.getOrDefault(m.group(), m.group())));
    }

    // ---- Debian synopsis -> SPDX ----

    /** {@code "GPL-2+ or Artistic, and BSD-3-clause"} to its top-level AND operands. */
    private static List<String> debianSynopsis(String synopsis) {
        var out = new ArrayList<String>();
        for (String group : synopsis.split("(?i),\\s*and\\s+")) {
            List<String> alternatives = new ArrayList<>();
            for (String alt : group.split("(?i),?\\s+or\\s+")) {
                List<String> terms = new ArrayList<>();
                for (String term : alt.split("(?i),?\\s+and\\s+")) terms.add(debianTerm(term.strip().replaceAll(",$", "")));
                alternatives.add(String.join(" AND ", terms));
            }
            if (alternatives.size() == 1) out.addAll(List.of(alternatives.getFirst().split(" AND ")));
            else out.add("(" + String.join(" OR ", alternatives) + ")");
        }
        return out;
    }

    private static String debianTerm(String term) {
        String[] with = term.split("(?i)\\s+with\\s+", 2);
        String id = debianId(with[0].strip());
        if (with.length == 1) return id;
        String exception = with[1].strip().replaceFirst("(?i)\\s+exception$", "").toLowerCase(Locale.ROOT);
        String version = id.matches(".*-3\\.0-.*") ? "-3.0" : id.matches(".*-2\\.0-.*") ? "-2.0" : "";
        String spdx = DEBIAN_EXCEPTIONS.getOrDefault(exception, DEBIAN_EXCEPTIONS.get(exception + version));
        if (spdx != null && !id.startsWith("LicenseRef-")) return id + " WITH " + spdx;
        return licenseRef(term);
    }

    private static String debianId(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String mapped = DEBIAN_NAMES.get(lower);
        if (mapped != null) return mapped;
        Matcher gnu = GNU.matcher(name);
        if (gnu.matches()) {
            String family = (gnu.group(1) == null ? "" : gnu.group(1).toUpperCase(Locale.ROOT)) + "GPL";
            String version = gnu.group(2) + (gnu.group(3) == null ? ".0" : gnu.group(3));
            String id = family + "-" + version + (gnu.group(4) == null ? "-only" : "-or-later");
            if (LICENSE_IDS.containsKey(id.toLowerCase(Locale.ROOT))) return id;
        }
        Matcher gfdl = GFDL.matcher(name);
        if (gfdl.matches()) {
            return "GFDL-" + gfdl.group(2) + (gfdl.group(1) == null ? "" : "-no-invariants")
                    + (gfdl.group(3) == null ? "-only" : "-or-later");
        }
        String exact = LICENSE_IDS.get(lower);
        return exact != null ? exact : licenseRef(name);
    }

    private static String licenseRef(String name) {
        String s = name.strip().replace("+", "-or-later").replaceAll("[^A-Za-z0-9.\\-]+", "-")
                .replaceAll("-{2,}", "-").replaceAll("^-|-$", "");
        return "LicenseRef-" + (s.isEmpty() ? "unknown" : s);
    }

    private static String join(Set<String> conjuncts) {
        if (conjuncts.isEmpty()) return null;
        if (conjuncts.size() == 1) {
            String only = conjuncts.iterator().next();
            return only.startsWith("(") && only.endsWith(")") ? only.substring(1, only.length() - 1) : only;
        }
        return String.join(" AND ", conjuncts);
    }

    /** deb822 paragraphs, field names lower-cased, continuation lines joined with newlines. */
    private static List<Map<String, String>> deb822(String text) {
        var paragraphs = new ArrayList<Map<String, String>>();
        Map<String, String> current = new HashMap<>();
        String field = null;
        for (String line : text.lines().toList()) {
            if (line.isBlank()) {
                if (!current.isEmpty()) paragraphs.add(current);
                current = new HashMap<>();
                field = null;
            } else if (line.startsWith("#")) {
                continue;
            } else if (Character.isWhitespace(line.charAt(0))) {
                if (field != null) current.merge(field, "\n" + line.strip(), String::concat);
            } else {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    if (paragraphs.isEmpty() && current.isEmpty()) return List.of(); // free text: not deb822
                    field = null;
                    continue;
                }
                field = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                current.put(field, line.substring(colon + 1).strip());
            }
        }
        if (!current.isEmpty()) paragraphs.add(current);
        return paragraphs;
    }

    private static Map<String, String> load(String resource) {
        var ids = new HashMap<String, String>();
        try (InputStream in = Licenses.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("resource " + resource + " is missing from the Kolibri jar");
            var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) ids.put(line.toLowerCase(Locale.ROOT), line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
        return Map.copyOf(ids);
    }

    /** Recursive-descent parser for SPDX expressions (SPDX 2.3 Annex D); produces the canonical form. */
    private static final class ExpressionParser {
        private final List<String> tokens = new ArrayList<>();
        private int pos;

        ExpressionParser(String expr) {
            Matcher m = Pattern.compile("\\(|\\)|[^\\s()]+").matcher(expr);
            while (m.find()) tokens.add(m.group());
            if (tokens.isEmpty()) throw new IllegalArgumentException("empty");
        }

        boolean atEnd() {
            return pos == tokens.size();
        }

        String expression() {
            StringBuilder sb = new StringBuilder(and());
            while (accept("OR")) sb.append(" OR ").append(and());
            return sb.toString();
        }

        private String and() {
            StringBuilder sb = new StringBuilder(with());
            while (accept("AND")) sb.append(" AND ").append(with());
            return sb.toString();
        }

        private String with() {
            String primary = primary();
            if (!accept("WITH")) return primary;
            String exception = EXCEPTION_IDS.get(next().toLowerCase(Locale.ROOT));
            if (exception == null) throw new IllegalArgumentException("unknown exception");
            return primary + " WITH " + exception;
        }

        private String primary() {
            if (accept("(")) {
                String inner = expression();
                if (!accept(")")) throw new IllegalArgumentException("missing )");
                return "(" + inner + ")";
            }
            String token = next();
            if (LICENSE_REF.matcher(token).matches()) return token;
            boolean plus = token.endsWith("+") && token.length() > 1;
            String id = LICENSE_IDS.get((plus ? token.substring(0, token.length() - 1) : token).toLowerCase(Locale.ROOT));
            if (id == null) throw new IllegalArgumentException("unknown licence id");
            return plus ? id + "+" : id;
        }

        private boolean accept(String t) {
            if (pos < tokens.size() && tokens.get(pos).equals(t)) {
                pos++;
                return true;
            }
            return false;
        }

        private String next() {
            if (pos >= tokens.size()) throw new IllegalArgumentException("unexpected end");
            String t = tokens.get(pos++);
            if (t.equals("(") || t.equals(")") || t.equals("AND") || t.equals("OR") || t.equals("WITH")) {
                throw new IllegalArgumentException("unexpected " + t);
            }
            return t;
        }
    }
}
