package dev.kolibri.finalize;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Keeps the distribution's {@code os-release} (Debian's base-files ships {@code etc/os-release ->
 * ../usr/lib/os-release}); links {@code etc/os-release} to {@code usr/lib/os-release} when only the latter exists;
 * writes {@code etc/os-release} from {@link FinalizeContext#osReleaseDefaults()} when neither exists.
 */
public final class OsRelease implements Step {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Override
    public String name() {
        return "os-release";
    }

    @Override
    public void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        if (Trees.file(tree, "etc/os-release").isPresent()) return;
        if (tree.get("etc/os-release").isPresent()) {
            ctx.report().warn(name(), "/etc/os-release is not a regular file and does not lead to one; left as it is");
            return;
        }
        if (Trees.file(tree, "usr/lib/os-release").isPresent()) {
            Trees.symlink(tree, "etc/os-release", "../usr/lib/os-release", ctx.epoch(), name());
            return;
        }
        Map<String, String> fields = new TreeMap<>(ctx.osReleaseDefaults());
        fields.putIfAbsent("NAME", "Kolibri");
        fields.putIfAbsent("ID", "kolibri");
        fields.putIfAbsent("PRETTY_NAME", fields.get("NAME"));
        Trees.write(tree, "etc/os-release", format(fields, name()), 0644, ctx.epoch(), name());
    }

    /** Renders fields as {@code KEY="value"} lines in key order, escaping as os-release(5) requires. */
    static byte[] format(Map<String, String> fields, String step) throws FinalizeException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(fields).entrySet()) {
            if (!KEY.matcher(e.getKey()).matches()) throw new FinalizeException(step, "'" + e.getKey() + "' is not a valid os-release key");
            if (e.getValue().indexOf('\n') >= 0) throw new FinalizeException(step, "os-release value of " + e.getKey() + " has a newline");
            sb.append(e.getKey()).append("=\"");
            for (char c : e.getValue().toCharArray()) {
                if (c == '"' || c == '\\' || c == '$' || c == '`') sb.append('\\');
                sb.append(c);
            }
            sb.append("\"\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the image's os-release: {@code etc/os-release} (following symlinks), else {@code usr/lib/os-release}.
     * Empty when neither exists. Keys keep file order; a later assignment wins.
     */
    public static Map<String, String> read(FileTree tree) {
        Optional<FileEntry> f = Trees.file(tree, "etc/os-release").or(() -> Trees.file(tree, "usr/lib/os-release"));
        return f.map(e -> parse(new String(e.content(), StandardCharsets.UTF_8))).orElseGet(LinkedHashMap::new);
    }

    /** Parses os-release text (shell-like assignments; comments and malformed lines are skipped). */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq <= 0 || !KEY.matcher(line.substring(0, eq)).matches()) continue;
            String v = unquote(line.substring(eq + 1));
            if (v != null) out.put(line.substring(0, eq), v);
        }
        return out;
    }

    /** Shell-style value: double quotes (with \\ \" \$ \` escapes), single quotes, or bare; null if unterminated. */
    private static String unquote(String v) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < v.length()) {
            char c = v.charAt(i);
            if (c == '"') {
                int j = i + 1;
                for (; j < v.length() && v.charAt(j) != '"'; j++) {
                    char d = v.charAt(j);
                    if (d == '\\' && j + 1 < v.length() && "\"\\$`".indexOf(v.charAt(j + 1)) >= 0) d = v.charAt(++j);
                    sb.append(d);
                }
                if (j >= v.length()) return null;
                i = j + 1;
            } else if (c == '\'') {
                int j = v.indexOf('\'', i + 1);
                if (j < 0) return null;
                sb.append(v, i + 1, j);
                i = j + 1;
            } else if (c == '\\' && i + 1 < v.length()) {
                sb.append(v.charAt(i + 1));
                i += 2;
            } else if (Character.isWhitespace(c)) {
                break;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }
}
