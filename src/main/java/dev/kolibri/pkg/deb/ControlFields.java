package dev.kolibri.pkg.deb;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One deb822 paragraph as an ordered field map, minimal: enough for a binary package's {@code DEBIAN/control}.
 * Values keep their continuation lines verbatim ({@code "first\n second\n ."}); a value whose first line is empty
 * starts with {@code "\n"}. Field names keep their spelling; look-ups ignore case.
 */
record ControlFields(Map<String, String> fields) {

    ControlFields {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Parses the first paragraph of {@code text}; {@code source} names the input in errors. */
    static ControlFields parse(String text, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        String key = null;
        StringBuilder value = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            if (line.startsWith("#")) continue;
            if (line.isBlank()) {
                if (key != null) break; // end of the first paragraph
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (key == null) throw new DebArchiveException(source + ":" + lineNo
                        + ": continuation line before any field: the control file is malformed");
                value.append('\n').append(line);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) throw new DebArchiveException(source + ":" + lineNo + ": expected 'Field: value', got '"
                    + line + "': the control file is malformed");
            if (key != null) out.put(key, value.toString());
            key = line.substring(0, colon);
            if (findKey(out, key).isPresent()) throw new DebArchiveException(source + ":" + lineNo
                    + ": duplicate field '" + key + "': the control file is malformed");
            value = new StringBuilder(line.substring(colon + 1).strip());
        }
        if (key != null) out.put(key, value.toString());
        return new ControlFields(out);
    }

    Optional<String> get(String name) {
        return findKey(fields, name).map(fields::get);
    }

    /** {@code Name: value} lines, each ending in a newline, in map order. */
    static String render(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(k).append(':').append(v.isEmpty() || v.startsWith("\n") ? "" : " ").append(v).append('\n'));
        return sb.toString();
    }

    static Optional<String> findKey(Map<String, String> map, String name) {
        for (String k : map.keySet()) if (k.equalsIgnoreCase(name)) return Optional.of(k);
        return Optional.empty();
    }
}
