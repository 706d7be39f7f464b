package dev.kolibri.sign;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON the way Go's {@code encoding/json} marshals cosign's structs, so that the bytes we sign look like
 * the bytes cosign signs: no white space, struct fields in declaration order ({@link Struct}), map keys sorted by
 * their UTF-8 bytes, {@code <}, {@code >} and {@code &} escaped, numbers read from JSON treated as float64.
 */
final class GoJson {
    private GoJson() {}

    /** An object whose fields keep the order they were added in (a Go struct). */
    static final class Struct {
        private final LinkedHashMap<String, Object> fields = new LinkedHashMap<>();

        Struct put(String name, Object value) {
            fields.put(name, value);
            return this;
        }
    }

    /** The parser's own words for why some JSON was refused, without Jackson's source excerpt. */
    static String why(java.io.IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    static byte[] bytes(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(StringBuilder out, Object v) {
        switch (v) {
            case null -> out.append("null");
            case Struct s -> writeObject(out, new ArrayList<>(s.fields.entrySet()));
            case Map<?, ?> m -> {
                List<Map.Entry<String, Object>> entries = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                    entries.add(Map.entry(k, e.getValue() == null ? NULL : e.getValue()));
                }
                sortByUtf8(entries);
                writeObject(out, entries);
            }
            case List<?> l -> {
                out.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) out.append(',');
                    write(out, l.get(i));
                }
                out.append(']');
            }
            case String s -> string(out, s);
            case Boolean b -> out.append(b);
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case Short s -> out.append(s);
            case BigInteger b -> out.append(b);
            case Number n -> out.append(float64(n.doubleValue()));
            case JsonNode n -> write(out, plain(n));
            default -> {
                if (v == NULL) out.append("null");
                else throw new IllegalArgumentException("cannot write " + v.getClass().getSimpleName() + " as JSON: use maps, lists, strings, numbers, booleans");
            }
        }
    }

    /** Stands for a null map value (Map.entry refuses nulls). */
    private static final Object NULL = new Object();

    private static void writeObject(StringBuilder out, List<Map.Entry<String, Object>> entries) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : entries) {
            if (!first) out.append(',');
            first = false;
            string(out, e.getKey());
            out.append(':');
            write(out, e.getValue());
        }
        out.append('}');
    }

    private static void sortByUtf8(List<Map.Entry<String, Object>> entries) {
        entries.sort((a, b) -> Arrays.compareUnsigned(a.getKey().getBytes(StandardCharsets.UTF_8), b.getKey().getBytes(StandardCharsets.UTF_8)));
    }

    /** A JSON tree as Go's {@code interface{}} holds it: maps, lists, strings, float64, booleans, null. */
    static Object plain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) m.put(e.getKey(), plain(e.getValue()));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode c : n) l.add(plain(c));
            return l;
        }
        if (n.isNumber()) return n.doubleValue();
        if (n.isBoolean()) return n.booleanValue();
        return n.asText();
    }

    /** Go's float64 encoding: shortest digits, plain notation in [1e-6, 1e21), else exponent without padding. */
    static String float64(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("JSON has no NaN or infinite numbers: " + d);
        if (d == 0) return (1 / d < 0) ? "-0" : "0";
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        double abs = Math.abs(d);
        if (abs >= 1e-6 && abs < 1e21) return shortest.toPlainString();
        String digits = shortest.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - shortest.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        // strconv writes two exponent digits at least; encoding/json then trims "e-07" to "e-7" (but not "e+21")
        String e = exp < 0 ? "-" + (-exp) : "+" + String.format("%02d", exp);
        return (d < 0 ? "-" : "") + mantissa + "e" + e;
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                        out.append("\\ufffd"); // a lone surrogate is invalid UTF-8; Go writes U+FFFD
                    } else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
