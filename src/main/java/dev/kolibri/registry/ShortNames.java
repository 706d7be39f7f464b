package dev.kolibri.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How names without a registry host ("short names") become full references, taken from this machine's
 * containers-registries.conf(5) as podman and skopeo read it: the {@code [aliases]} table first (a short name to
 * a full repository), else the first of {@code unqualified-search-registries}. Nothing is built in: with neither
 * configured, a short name is an error that tells the user what to write.
 *
 * @param searchRegistries {@code unqualified-search-registries}, in order (only the first is used)
 * @param aliases          short name (no tag) to full repository name, e.g. {@code app} to {@code host/team/app}
 * @param source           where this came from, for error messages
 */
public record ShortNames(List<String> searchRegistries, Map<String, String> aliases, String source) {
    /** The system configuration file. */
    public static final Path SYSTEM_CONF = Path.of("/etc/containers/registries.conf");

    public ShortNames {
        searchRegistries = List.copyOf(searchRegistries);
        aliases = java.util.Collections.unmodifiableMap(new TreeMap<>(aliases));
        Objects.requireNonNull(source, "source");
    }

    /** No short names at all: every reference must name its registry host. */
    public static ShortNames none() {
        return new ShortNames(List.of(), Map.of(), "no registries.conf");
    }

    /**
     * This machine's configuration: {@code $CONTAINERS_REGISTRIES_CONF} when set, else
     * {@code $XDG_CONFIG_HOME/containers/registries.conf} (default {@code ~/.config/...}) when it exists, else
     * {@link #SYSTEM_CONF}; then the {@code registries.conf.d/*.conf} beside it, in name order, later files
     * overriding earlier ones. Missing files mean "nothing configured".
     *
     * @throws IllegalArgumentException when a file cannot be read or parsed, naming it and the line
     */
    public static ShortNames system() {
        Map<String, String> env = System.getenv();
        String explicit = env.get("CONTAINERS_REGISTRIES_CONF");
        if (explicit != null && !explicit.isEmpty()) return load(Path.of(explicit), false);
        String xdg = env.get("XDG_CONFIG_HOME");
        Path user = xdg != null && !xdg.isEmpty() ? Path.of(xdg, "containers", "registries.conf")
                : Path.of(System.getProperty("user.home"), ".config", "containers", "registries.conf");
        return load(Files.isRegularFile(user) ? user : SYSTEM_CONF, true);
    }

    /** Reads {@code conf} and, when {@code dropIns}, the {@code registries.conf.d/*.conf} files beside it. */
    public static ShortNames load(Path conf, boolean dropIns) {
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(conf)) files.add(conf);
        Path dir = conf.resolveSibling("registries.conf.d");
        if (dropIns && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p)).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        List<String> search = List.of();
        String searchFrom = conf.toString();
        Map<String, String> aliases = new TreeMap<>();
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
            }
            Parsed p = parse(text, f.toString());
            if (p.search != null) {
                search = p.search;
                searchFrom = f.toString();
            }
            aliases.putAll(p.aliases);
        }
        return new ShortNames(search, aliases, files.isEmpty() ? conf + " (absent)" : searchFrom);
    }

    /**
     * The full name ({@code host/repo}) for a short repository name without tag or digest, or throws saying how to
     * write the reference instead.
     */
    public String qualify(String shortName, String input) {
        String alias = aliases.get(shortName);
        if (alias != null) return alias;
        if (!searchRegistries.isEmpty()) return searchRegistries.get(0) + "/" + shortName;
        throw new IllegalArgumentException("image reference '" + input + "' names no registry host, and no "
                + "unqualified-search-registries (or alias) is configured in " + source
                + ": write the full reference host[:port]/repo[:tag], or set unqualified-search-registries");
    }

    record Parsed(List<String> search, Map<String, String> aliases) {}

    /** Just enough TOML for the two keys: comments, {@code [table]} headers, strings and arrays of strings. */
    static Parsed parse(String text, String file) {
        List<String> search = null;
        Map<String, String> aliases = new TreeMap<>();
        String table = "";
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) continue;
            int lineNo = i + 1;
            if (line.startsWith("[")) {
                table = line.startsWith("[[") ? "[[" : line.substring(1, Math.max(1, line.indexOf(']'))).strip();
                continue;
            }
            int eq = indexOutsideQuotes(line, '=');
            if (eq < 0) continue; // continuation of a value we do not read
            String key = unquote(line.substring(0, eq).strip());
            String value = line.substring(eq + 1).strip();
            if (value.startsWith("[")) {
                StringBuilder v = new StringBuilder(value);
                while (indexOutsideQuotes(v.toString(), ']') < 0 && i + 1 < lines.length) v.append(' ').append(stripComment(lines[++i]).strip());
                value = v.toString();
            }
            if (table.isEmpty() && key.equals("unqualified-search-registries")) {
                search = strings(value, file, lineNo);
            } else if (table.equals("aliases")) {
                if (!(value.startsWith("\"") || value.startsWith("'"))) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": alias '" + key + "' is not a string");
                }
                aliases.put(key, unquote(value));
            }
        }
        return new Parsed(search, aliases);
    }

    private static List<String> strings(String value, String file, int line) {
        if (!value.startsWith("[")) throw new IllegalArgumentException(file + ":" + line + ": unqualified-search-registries is not an array of strings");
        int end = indexOutsideQuotes(value, ']');
        if (end < 0) throw new IllegalArgumentException(file + ":" + line + ": unqualified-search-registries has no closing ']'");
        List<String> out = new ArrayList<>();
        String inner = value.substring(1, end);
        int pos = 0;
        while (pos < inner.length()) {
            char c = inner.charAt(pos);
            if (c == '"' || c == '\'') {
                int close = inner.indexOf(c, pos + 1);
                if (close < 0) throw new IllegalArgumentException(file + ":" + line + ": unterminated string in unqualified-search-registries");
                String s = inner.substring(pos + 1, close).strip();
                if (!s.isEmpty()) out.add(s);
                pos = close + 1;
            } else if (c == ',' || Character.isWhitespace(c)) {
                pos++;
            } else {
                throw new IllegalArgumentException(file + ":" + line + ": unqualified-search-registries holds something other than strings");
            }
        }
        return out;
    }

    private static String stripComment(String line) {
        int h = indexOutsideQuotes(line, '#');
        return h < 0 ? line : line.substring(0, h);
    }

    private static int indexOutsideQuotes(String s, char target) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') i++;
                else if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == target) {
                return i;
            }
        }
        return -1;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
