package dev.kolibri.registry;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code WWW-Authenticate} challenge: {@code Bearer realm="...",service="...",scope="..."} or
 * {@code Basic realm="..."}. Scheme is lowercase; parameter names are lowercase.
 */
record Challenge(String scheme, Map<String, String> params) {
    static final Challenge NONE = new Challenge("none", Map.of());

    /** The challenge among the headers: Bearer before Basic; {@link #NONE} when there is none. */
    static Challenge of(List<String> headers) {
        Challenge basic = null;
        for (String h : headers) {
            Challenge c = parse(h);
            if (c.scheme.equals("bearer")) return c;
            if (c.scheme.equals("basic")) basic = c;
        }
        return basic != null ? basic : NONE;
    }

    static Challenge parse(String header) {
        String h = header.strip();
        int sp = h.indexOf(' ');
        String scheme = (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new TreeMap<>();
        int i = sp < 0 ? h.length() : sp + 1;
        while (i < h.length()) {
            while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) i++;
            int eq = h.indexOf('=', i);
            if (eq < 0) break;
            String name = h.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < h.length() && h.charAt(i) == '"') {
                i++;
                while (i < h.length() && h.charAt(i) != '"') {
                    if (h.charAt(i) == '\\' && i + 1 < h.length()) i++;
                    v.append(h.charAt(i++));
                }
                i++;
            } else {
                while (i < h.length() && h.charAt(i) != ',') v.append(h.charAt(i++));
            }
            params.put(name, v.toString().strip());
        }
        return new Challenge(scheme, Map.copyOf(params));
    }

    String param(String name) {
        return params.get(name);
    }
}
