package dev.kolibri.repo;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * This machine's yum/dnf repositories: {@code ROOT/etc/yum.repos.d/*.repo} in name order, ini sections (one per
 * repository id). {@code $releasever}, {@code $basearch}, {@code $arch} (also {@code ${name}}) and the variables
 * of {@code ROOT/etc/dnf/vars/*} are substituted; {@code releasever} is {@code ROOT/etc/dnf/vars/releasever} when
 * present, else the given one, else {@code VERSION_ID} of {@code ROOT/etc/os-release}.
 */
public final class YumRepos {
    /** One repository entry. {@code baseurls} and {@code gpgkeys} are substituted; booleans use dnf's defaults. */
    public record YumRepo(String id, String name, List<URI> baseurls, String metalink, String mirrorlist,
                          boolean enabled, boolean gpgcheck, boolean repoGpgcheck, List<String> gpgkeys, Path file) {
        public YumRepo {
            baseurls = List.copyOf(baseurls);
            gpgkeys = List.copyOf(gpgkeys);
        }
    }

    private final Path root;
    private final Map<String, YumRepo> repos;

    private YumRepos(Path root, Map<String, YumRepo> repos) {
        this.root = root;
        this.repos = repos;
    }

    /** The repositories of this machine ({@code /}) for {@code basearch}. */
    public static YumRepos system(String basearch) throws RepositoryException {
        return load(Path.of("/"), basearch, null);
    }

    /**
     * @param root       the file system root holding {@code etc/yum.repos.d}
     * @param basearch   {@code x86_64}, {@code aarch64}, ...
     * @param releasever null to read it from {@code /etc/dnf/vars/releasever} or {@code os-release}
     */
    public static YumRepos load(Path root, String basearch, String releasever) throws RepositoryException {
        Map<String, String> vars = new TreeMap<>();
        vars.put("basearch", basearch);
        vars.put("arch", basearch);
        Path varsDir = root.resolve("etc/dnf/vars");
        if (Files.isDirectory(varsDir)) {
            try (Stream<Path> s = Files.list(varsDir)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    vars.put(f.getFileName().toString(), read(f).strip());
                }
            } catch (IOException e) {
                throw new RepositoryException("cannot list " + varsDir + ": " + e.getMessage(), e);
            }
        }
        if (!vars.containsKey("releasever")) {
            String rv = releasever != null ? releasever : osReleaseVersion(root);
            if (rv != null) vars.put("releasever", rv);
        }
        Map<String, YumRepo> repos = new LinkedHashMap<>();
        Path dir = root.resolve("etc/yum.repos.d");
        if (Files.isDirectory(dir)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(f -> f.getFileName().toString().endsWith(".repo")).sorted().toList();
            } catch (IOException e) {
                throw new RepositoryException("cannot list " + dir + ": " + e.getMessage(), e);
            }
            for (Path f : files) {
                for (YumRepo r : parse(read(f), f, vars)) {
                    YumRepo old = repos.putIfAbsent(r.id(), r);
                    if (old != null) {
                        throw new RepositoryException(f + ": repository id '" + r.id() + "' is already defined in " + old.file());
                    }
                }
            }
        }
        return new YumRepos(root, repos);
    }

    /** All entries, files in name order, sections in file order. */
    public List<YumRepo> all() {
        return List.copyOf(repos.values());
    }

    /** The entry with this id (enabled or not: naming it enables it, as {@code dnf --repo} does). */
    public YumRepo forId(String id) throws RepositoryException {
        YumRepo r = repos.get(id);
        if (r == null) {
            throw new RepositoryException("no yum repository with id '" + id + "' in " + root.resolve("etc/yum.repos.d")
                    + " (ids: " + String.join(", ", repos.keySet()) + ")");
        }
        return r;
    }

    /** The first enabled entry whose id or name equals {@code idOrName}. */
    public YumRepo firstEnabled(String idOrName) throws RepositoryException {
        for (YumRepo r : repos.values()) {
            if (r.enabled() && (r.id().equals(idOrName) || idOrName.equals(r.name()))) return r;
        }
        throw new RepositoryException("no enabled yum repository with id or name '" + idOrName + "' in "
                + root.resolve("etc/yum.repos.d") + " (enabled ids: "
                + String.join(", ", repos.values().stream().filter(YumRepo::enabled).map(YumRepo::id).toList()) + ")");
    }

    /**
     * The entry as an {@link RpmSource}: its first {@code baseurl}; the keys of its {@code gpgkey} files
     * ({@code file://} URLs, read under the root) when it has any; the repomd signature required exactly when
     * {@code repo_gpgcheck} is on. Entries with only {@code metalink}/{@code mirrorlist} are refused.
     */
    public RpmSource source(YumRepo r) throws RepositoryException {
        if (r.baseurls().isEmpty()) {
            String how = r.metalink() != null ? "metalink" : r.mirrorlist() != null ? "mirrorlist" : null;
            if (how != null) {
                throw new RepositoryException("yum repository '" + r.id() + "' (" + r.file() + ") has only a " + how
                        + ": not supported yet: give it a baseurl (or use the repository URL in the image definition)");
            }
            throw new RepositoryException("yum repository '" + r.id() + "' (" + r.file() + ") has no baseurl");
        }
        List<Keyring> keys = new ArrayList<>();
        for (String k : r.gpgkeys()) {
            URI u = URI.create(k);
            if (!"file".equalsIgnoreCase(u.getScheme())) {
                throw new RepositoryException("yum repository '" + r.id() + "': gpgkey " + k + " is not a file:// URL; "
                        + "only local keys are used (download the key and name it in the image definition)");
            }
            Path p = root.resolve(u.getPath().replaceFirst("^/+", ""));
            keys.add(Keyring.load(p));
        }
        if (r.repoGpgcheck() && keys.isEmpty()) {
            throw new RepositoryException("yum repository '" + r.id() + "' (" + r.file() + ") has repo_gpgcheck on but no gpgkey");
        }
        return new RpmSource(r.baseurls().get(0), keys.isEmpty() ? null : Keyring.union(keys), r.repoGpgcheck());
    }

    static List<YumRepo> parse(String text, Path file, Map<String, String> vars) throws RepositoryException {
        List<YumRepo> out = new ArrayList<>();
        String section = null;
        Map<String, String> kv = new LinkedHashMap<>();
        String lastKey = null;
        int n = 0;
        for (String raw : text.split("\r?\n", -1)) {
            n++;
            String line = raw.stripTrailing();
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) continue;
            if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && lastKey != null) {
                kv.merge(lastKey, "\n" + t, String::concat);
                continue;
            }
            if (t.startsWith("[")) {
                if (!t.endsWith("]") || t.length() < 3) throw new RepositoryException(file + ":" + n + ": malformed section header '" + t + "'");
                if (section != null) out.add(repo(section, kv, file, vars));
                section = t.substring(1, t.length() - 1).strip();
                kv = new LinkedHashMap<>();
                lastKey = null;
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) throw new RepositoryException(file + ":" + n + ": expected 'key=value', got '" + t + "'");
            if (section == null) throw new RepositoryException(file + ":" + n + ": '" + t + "' before any [section]");
            lastKey = t.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            kv.put(lastKey, t.substring(eq + 1).strip());
        }
        if (section != null) out.add(repo(section, kv, file, vars));
        out.removeIf(r -> r.id().equals("main"));
        return out;
    }

    private static YumRepo repo(String id, Map<String, String> kv, Path file, Map<String, String> vars) throws RepositoryException {
        List<URI> baseurls = new ArrayList<>();
        for (String u : list(kv.get("baseurl"), vars)) {
            try {
                URI uri = URI.create(u);
                if (uri.getScheme() == null) throw new IllegalArgumentException("no scheme");
                baseurls.add(uri);
            } catch (IllegalArgumentException e) {
                throw new RepositoryException(file + ": [" + id + "] baseurl '" + u + "' is not a URL: " + e.getMessage());
            }
        }
        String metalink = kv.get("metalink") == null ? null : subst(kv.get("metalink"), vars);
        String mirrorlist = kv.get("mirrorlist") == null ? null : subst(kv.get("mirrorlist"), vars);
        return new YumRepo(id, kv.get("name") == null ? null : subst(kv.get("name"), vars), baseurls, metalink, mirrorlist,
                bool(kv.get("enabled"), true, file, id), bool(kv.get("gpgcheck"), false, file, id),
                bool(kv.get("repo_gpgcheck"), false, file, id), list(kv.get("gpgkey"), vars), file);
    }

    /** Values separated by white space, commas or new lines, substituted. */
    private static List<String> list(String v, Map<String, String> vars) {
        if (v == null) return List.of();
        List<String> out = new ArrayList<>();
        for (String s : v.split("[\\s,]+")) if (!s.isEmpty()) out.add(subst(s, vars));
        return out;
    }

    private static boolean bool(String v, boolean dflt, Path file, String id) throws RepositoryException {
        if (v == null) return dflt;
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "1", "yes", "true", "on" -> true;
            case "0", "no", "false", "off" -> false;
            default -> throw new RepositoryException(file + ": [" + id + "] '" + v + "' is not a boolean (1/0, yes/no, true/false)");
        };
    }

    private static final Pattern VAR = Pattern.compile("\\$(?:\\{([A-Za-z0-9_]+)}|([A-Za-z0-9_]+))");

    static String subst(String s, Map<String, String> vars) {
        Matcher m = VAR.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String v = vars.get(name);
            m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String osReleaseVersion(Path root) throws RepositoryException {
        for (String p : List.of("etc/os-release", "usr/lib/os-release")) {
            Path f = root.resolve(p);
            if (!Files.isRegularFile(f)) continue;
            for (String line : read(f).split("\n")) {
                if (line.startsWith("VERSION_ID=")) return line.substring(11).strip().replaceAll("^[\"']|[\"']$", "");
            }
            return null;
        }
        return null;
    }

    private static String read(Path f) throws RepositoryException {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RepositoryException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
