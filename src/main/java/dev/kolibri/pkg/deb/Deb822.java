package dev.kolibri.pkg.deb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Debian control-file paragraphs ({@code Packages}, {@code Release}, {@code status}, {@code control},
 * {@code .sources}): paragraphs separated by blank lines, {@code Name: value} fields, continuation lines starting
 * with a space or tab, {@code #} comment lines.
 *
 * <p>A field's value is the text after the colon with surrounding whitespace removed, followed, for each
 * continuation line, by {@code "\n"} and that line as written (its leading space kept, trailing whitespace
 * removed). So {@code Description} keeps its long description and {@code SHA256} its lines.
 */
public final class Deb822 {
    private final BufferedReader in;
    private final String source;
    private int lineNo;

    private Deb822(BufferedReader in, String source) {
        this.in = in;
        this.source = source;
    }

    /** A streaming reader over {@code in} (UTF-8); the caller closes the stream. */
    public static Deb822 reader(InputStream in, String sourceName) {
        return new Deb822(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), sourceName);
    }

    /** All paragraphs of {@code in} (UTF-8). */
    public static List<Paragraph> parse(InputStream in, String sourceName) throws IOException {
        Deb822 r = reader(in, sourceName);
        List<Paragraph> out = new ArrayList<>();
        for (Paragraph p; (p = r.next()) != null; ) out.add(p);
        return out;
    }

    /** All paragraphs of {@code text}. */
    public static List<Paragraph> parse(String text, String sourceName) {
        Deb822 r = new Deb822(new BufferedReader(new StringReader(text)), sourceName);
        List<Paragraph> out = new ArrayList<>();
        try {
            for (Paragraph p; (p = r.next()) != null; ) out.add(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The next paragraph, or null at the end of the input. Throws {@link DebMetadataException} on a malformed line. */
    public Paragraph next() throws IOException {
        List<Field> fields = new ArrayList<>();
        int start = 0;
        String name = null;
        int fieldLine = 0;
        StringBuilder value = null;
        for (String line; (line = in.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) {
                if (name != null) break;
                continue;
            }
            char c0 = line.charAt(0);
            if (c0 == '#') continue;
            if (c0 == ' ' || c0 == '\t') {
                if (name == null) {
                    throw error(lineNo, "continuation line before any field", line);
                }
                value.append('\n').append(line.stripTrailing());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || containsWhitespace(line, colon)) {
                if (line.startsWith("-----BEGIN PGP")) {
                    throw new DebMetadataException(source + ":" + lineNo
                            + ": the file is OpenPGP-signed; verify it and parse the signed text instead");
                }
                throw error(lineNo, "malformed line (want 'Field: value', or a continuation line starting with a space)", line);
            }
            if (name != null) fields.add(new Field(name, value.toString(), fieldLine));
            else start = lineNo;
            name = line.substring(0, colon);
            fieldLine = lineNo;
            value = new StringBuilder(line.substring(colon + 1).strip());
            for (Field f : fields) {
                if (f.name().equalsIgnoreCase(name)) {
                    throw error(lineNo, "duplicate field '" + name + "' (first on line " + f.line() + ")", line);
                }
            }
        }
        if (name == null) return null;
        fields.add(new Field(name, value.toString(), fieldLine));
        return new Paragraph(source, start, fields);
    }

    private static boolean containsWhitespace(String s, int end) {
        for (int i = 0; i < end; i++) {
            if (Character.isWhitespace(s.charAt(i))) return true;
        }
        return false;
    }

    private DebMetadataException error(int line, String what, String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return new DebMetadataException(source + ":" + line + ": " + what + ": '" + shown + "'");
    }

    /** One field: its name as written, its folded value, the line it starts on. */
    public record Field(String name, String value, int line) {}

    /** One paragraph: fields in file order, looked up case-insensitively. */
    public static final class Paragraph {
        private final String source;
        private final int line;
        private final List<Field> fields;
        private final Map<String, Field> byName;

        public Paragraph(String source, int line, List<Field> fields) {
            this.source = source;
            this.line = line;
            this.fields = List.copyOf(fields);
            Map<String, Field> m = new HashMap<>();
            for (Field f : this.fields) m.putIfAbsent(f.name().toLowerCase(Locale.ROOT), f);
            this.byName = m;
        }

        /** The name of the input it came from. */
        public String source() {
            return source;
        }

        /** 1-based line number of the paragraph's first field. */
        public int line() {
            return line;
        }

        /** {@code source:line}, for error messages. */
        public String where() {
            return source + ":" + line;
        }

        public List<Field> fields() {
            return fields;
        }

        /** The field's value, or null when absent. Case-insensitive. */
        public String get(String name) {
            Field f = byName.get(name.toLowerCase(Locale.ROOT));
            return f == null ? null : f.value();
        }

        public Optional<String> find(String name) {
            return Optional.ofNullable(get(name));
        }

        public Optional<Field> field(String name) {
            return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
        }

        public boolean has(String name) {
            return byName.containsKey(name.toLowerCase(Locale.ROOT));
        }

        /** The value, or a {@link DebMetadataException} naming the paragraph when the field is missing or empty. */
        public String require(String name) {
            String v = get(name);
            if (v == null || v.isBlank()) {
                throw new DebMetadataException(where() + ": paragraph" + describe() + " has no '" + name + "' field");
            }
            return v;
        }

        /** The non-blank lines of a multiline value (the first line too when not empty), each stripped. */
        public List<String> lines(String name) {
            String v = get(name);
            if (v == null) return List.of();
            List<String> out = new ArrayList<>();
            for (String l : v.split("\n")) {
                if (!l.isBlank()) out.add(l.strip());
            }
            return out;
        }

        /** Field name (as written) to value, in file order. */
        public Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            for (Field f : fields) m.put(f.name(), f.value());
            return Collections.unmodifiableMap(m);
        }

        private String describe() {
            String p = get("Package");
            return p == null ? "" : " '" + p + "'";
        }

        @Override
        public String toString() {
            return "paragraph at " + where();
        }
    }
}
