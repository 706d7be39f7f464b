package dev.kolibri.finalize;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * p11-kit's persistence format ({@code .p11-kit} files, as in RPM's {@code ca-bundle.trust.p11-kit}): objects start
 * with {@code [p11-kit-object-v1]}, hold {@code name: value} attributes (values bare, or double-quoted with
 * {@code %XX} escapes) and PEM blocks; {@code #} starts a comment line. Throws IllegalArgumentException on lines it
 * cannot read, naming the line.
 */
final class P11Kit {
    static final String HEADER = "[p11-kit-object-v1]";

    private P11Kit() {}

    /** A PEM block of an object: its type (e.g. {@code CERTIFICATE}, {@code PUBLIC KEY}) and DER bytes. */
    record Block(String type, byte[] der) {}

    /** One object: attributes in file order (values decoded) and PEM blocks. */
    record Obj(Map<String, byte[]> attrs, List<Block> blocks) {
        String text(String key) {
            byte[] v = attrs.get(key);
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }

        boolean isTrue(String key) {
            return "true".equals(text(key));
        }
    }

    static boolean looksLike(byte[] content) {
        return new String(content, StandardCharsets.ISO_8859_1).contains(HEADER);
    }

    static List<Obj> parse(byte[] content) {
        List<Obj> out = new ArrayList<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\r?\n", -1);
        Map<String, byte[]> attrs = null;
        List<Block> blocks = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.equals(HEADER)) {
                if (attrs != null) out.add(new Obj(attrs, blocks));
                attrs = new LinkedHashMap<>();
                blocks = new ArrayList<>();
                continue;
            }
            if (line.startsWith("[")) throw new IllegalArgumentException("line " + (i + 1) + ": unknown section " + line);
            if (attrs == null) throw new IllegalArgumentException("line " + (i + 1) + ": data before the first " + HEADER);
            if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                String type = line.substring(11, line.length() - 5);
                StringBuilder body = new StringBuilder();
                int j = i + 1;
                for (; j < lines.length && !lines[j].strip().equals("-----END " + type + "-----"); j++) {
                    if (!lines[j].contains(":")) body.append(lines[j].strip());
                }
                if (j >= lines.length) throw new IllegalArgumentException("line " + (i + 1) + ": PEM block " + type + " has no END line");
                try {
                    blocks.add(new Block(type, Base64.getDecoder().decode(body.toString())));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": PEM block " + type + " is not base64", e);
                }
                i = j;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("line " + (i + 1) + ": expected 'name: value', got '" + line + "'");
            attrs.put(line.substring(0, colon).strip(), value(line.substring(colon + 1).strip(), i + 1));
        }
        if (attrs != null) out.add(new Obj(attrs, blocks));
        return out;
    }

    /** A bare token, or a double-quoted string whose {@code %XX} escapes are bytes. */
    private static byte[] value(String v, int lineNo) {
        if (!v.startsWith("\"")) return v.getBytes(StandardCharsets.UTF_8);
        if (v.length() < 2 || !v.endsWith("\"")) throw new IllegalArgumentException("line " + lineNo + ": unterminated quoted value");
        byte[] raw = v.substring(1, v.length() - 1).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%') {
                if (i + 2 >= raw.length) {
                    throw new IllegalArgumentException("line " + lineNo + ": bad %-escape in quoted value");
                }
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0) throw new IllegalArgumentException("line " + lineNo + ": bad %-escape in quoted value");
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toByteArray();
    }
}
