package dev.kolibri.spec;

import dev.kolibri.oci.Platform;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads an image definition (YAML) into an {@link ImageSpec}. Every problem is a {@link SpecException} whose message
 * starts with {@code file:line:}. Unknown keys are refused (with the nearest known key as a hint), so are duplicated
 * keys; anchors, aliases and merge keys ({@code <<}) work, but at most {@value #MAX_COLLECTION_ALIASES} aliases of
 * lists or mappings (alias bombs are refused).
 */
public final class SpecLoader {
    static final List<String> TOP_KEYS = List.of("name", "version", "distro", "repositories", "packages", "archs", "user",
            "workdir", "entrypoint", "cmd", "env", "labels", "layering", "variants", "allow-shell", "install-weak-deps",
            "contents", "limits", "main", "volumes", "ports", "paths", "trim", "keep", "latest", "tests");
    static final List<String> REQUIRED_KEYS = List.of("name", "packages");
    /** The keys of a distro file ({@code distros/NAME.yaml}): its name and the repositories of the release. */
    static final List<String> DISTRO_KEYS = List.of("name", "repositories", "trim", "keep");
    private static final java.util.regex.Pattern DISTRO_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final List<String> REPOSITORY_KEYS = List.of("type", "url", "suite", "components", "releasever", "keyring");
    static final List<String> LAYERING_KEYS = List.of("strategy", "budget");
    static final List<String> LIMIT_KEYS = List.of("file", "package", "image", "ratio");
    /** A size: bytes, or a number with a binary unit ({@code 512MiB}, {@code 2 GiB}, {@code 1.5GiB}). */
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KiB|MiB|GiB|TiB)?", Pattern.CASE_INSENSITIVE);
    static final List<String> VARIANT_KEYS = List.of("add", "remove", "user", "allow-shell", "entrypoint", "cmd",
            "env", "workdir", "contents", "absent", "main", "ports", "volumes", "paths");
    static final List<String> PATH_KEYS = List.of("path", "type", "owner", "mode", "target");
    static final List<String> TEST_KEYS = List.of("name", "variants", "files", "setup", "service", "steps", "image", "entrypoint",
            "args", "user", "exec", "http", "expect");
    static final List<String> STEP_KEYS = List.of("image", "entrypoint", "args", "user", "exec", "http", "expect");
    static final List<String> EXPECT_KEYS = List.of("exit", "stdout", "stderr", "status");
    private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:/(tcp|udp|sctp))?");
    static final List<String> CONTENT_KEYS = List.of("from", "to", "owner", "mode", "replace");
    /** Where the container runtime mounts its own file systems: files there never reach a running container. */
    static final List<String> RUNTIME_DIRS = List.of("proc", "sys", "dev");
    static final List<String> DEFAULT_ARCHS = List.of("amd64", "arm64");
    static final int MAX_COLLECTION_ALIASES = 50;
    static final int MAX_CHARS = 1 << 20;

    /** An OCI repository name component (distribution spec). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    /** What can follow {@code name:} in a tag (distribution spec tag grammar). */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern URL = Pattern.compile("(?:https?|file)://\\S+");
    private static final Pattern ENV_NAME = Pattern.compile("[^=\\s]+");
    private static final Pattern OWNER = Pattern.compile("([0-9]{1,10}):([0-9]{1,10})");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");

    private final NodeReader r;
    /** The {@code trim:}/{@code keep:} defaults of the distro file read by {@link #distro}. */
    private TrimSpec distroTrim = TrimSpec.NONE;

    private SpecLoader(Path file) {
        this.r = new NodeReader(file);
    }

    /** Reads and checks the definition in {@code file}; messages name the file as given. */
    public static ImageSpec load(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_CHARS * 4L) throw new SpecException(file, 0, "too large for an image definition (over 4 MiB)");
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new SpecException(file, 0, "no such file");
        } catch (CharacterCodingException e) {
            throw new SpecException(file, 0, "not UTF-8 text");
        } catch (IOException e) {
            throw new SpecException(file, 0, "cannot read: " + e.getMessage());
        }
        return parse(text, file);
    }

    /** Reads and checks a definition given as text; {@code file} is where it lives (for messages, relative keyrings and the lockfile). */
    public static ImageSpec parse(String yaml, Path file) {
        return new SpecLoader(file).read(compose(yaml, file));
    }

    private static Node compose(String yaml, Path file) {
        if (yaml.length() > MAX_CHARS) throw new SpecException(file, 0, "too large for an image definition (over 1 Mi characters)");
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(MAX_CHARS * 4);
        Yaml y = new Yaml(options);
        try {
            countAliases(y, yaml, file);
            Node root = y.compose(new StringReader(yaml));
            if (root == null) {
                throw new SpecException(file, 1, "empty definition; it needs at least `name`, `repositories` and `packages`");
            }
            return root;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1
                    : e.getContextMark() != null ? e.getContextMark().getLine() + 1 : 0;
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new SpecException(file, line, "not valid YAML: " + what);
        } catch (YAMLException e) {
            throw new SpecException(file, 0, "not valid YAML: " + e.getMessage());
        }
    }

    /** Refuses alias bombs before any node is built, naming the line of the alias that goes over the limit. */
    private static void countAliases(Yaml y, String yaml, Path file) {
        Set<String> collectionAnchors = new HashSet<>();
        int count = 0;
        for (Event e : y.parse(new StringReader(yaml))) {
            if (e instanceof CollectionStartEvent c && c.getAnchor() != null) {
                collectionAnchors.add(c.getAnchor());
            } else if (e instanceof AliasEvent a && collectionAnchors.contains(a.getAnchor())
                    && ++count > MAX_COLLECTION_ALIASES) {
                throw new SpecException(file, e.getStartMark().getLine() + 1, "more than " + MAX_COLLECTION_ALIASES
                        + " aliases of lists or mappings; a definition never needs that many (alias bomb?)");
            }
        }
    }

    private ImageSpec read(Node root) {
        Map<String, NodeTuple> top = fields(root, null, TOP_KEYS);
        for (String k : REQUIRED_KEYS) {
            if (k.equals("packages") && !top.containsKey("repositories") && !top.containsKey("distro")) {
                throw r.error(root, "missing required key `distro` (a release declared in distros/NAME.yaml, e.g. "
                        + "`debian-13`) or `repositories`");
            }
            if (!top.containsKey(k)) throw r.error(root, "missing required key `" + k + "`");
        }
        Node nameNode = value(top, "name");
        String name = r.string(nameNode, "name");
        if (!NAME.matcher(name).matches()) {
            throw r.error(nameNode, "`name` must be a valid image repository name (lower-case letters and digits, "
                    + "separated by `.`, `_`, `__` or `-`), not `" + name + "`");
        }
        String version = null;
        if (top.containsKey("version")) {
            Node v = value(top, "version");
            version = r.string(v, "version");
            if (!TAG.matcher(version).matches()) {
                throw r.error(v, "`version` must be usable in an image tag (letters, digits, `.`, `_`, `-`; at most 128), not `" + version + "`");
            }
        }
        List<RepositorySpec> repositories = new java.util.ArrayList<>();
        if (top.containsKey("distro")) repositories.addAll(distro(value(top, "distro")));
        if (top.containsKey("repositories")) repositories.addAll(repositories(value(top, "repositories")));
        if (!repositories.isEmpty() && repositories.stream().map(RepositorySpec::type).distinct().count() > 1) {
            throw r.error(value(top, top.containsKey("repositories") ? "repositories" : "distro"),
                    "the distro's repositories and `repositories` are of different types; an image takes its packages "
                            + "from one ecosystem");
        }
        List<String> packages = packages(value(top, "packages"));
        List<String> archs = top.containsKey("archs") ? archs(value(top, "archs")) : DEFAULT_ARCHS;
        int user = top.containsKey("user") ? user(value(top, "user"), "user") : ImageSpec.NONROOT;
        boolean workdirWritten = top.containsKey("workdir");
        String workdir = workdirWritten ? workdir(value(top, "workdir"), "workdir") : ImageSpec.defaultWorkdir(user);
        List<String> entrypoint = top.containsKey("entrypoint") ? r.strings(value(top, "entrypoint"), "entrypoint") : List.of();
        List<String> cmd = top.containsKey("cmd") ? r.strings(value(top, "cmd"), "cmd") : List.of();
        Map<String, String> env = top.containsKey("env") ? env(value(top, "env"), "env") : Map.of();
        Map<String, String> labels = top.containsKey("labels") ? labels(value(top, "labels")) : Map.of();
        Layering layering = top.containsKey("layering") ? layering(value(top, "layering")) : Layering.DEFAULT;
        boolean allowShell = top.containsKey("allow-shell") && r.bool(value(top, "allow-shell"), "allow-shell");
        boolean weak = top.containsKey("install-weak-deps") && r.bool(value(top, "install-weak-deps"), "install-weak-deps");
        Map<String, Variant> variants = top.containsKey("variants")
                ? variants(value(top, "variants"), packages, workdirWritten) : Map.of();
        List<ContentSpec> contents = top.containsKey("contents") ? contents(value(top, "contents"), "contents") : List.of();
        dev.kolibri.fs.Limits limits = top.containsKey("limits") ? limits(value(top, "limits")) : dev.kolibri.fs.Limits.DEFAULT;
        String main = top.containsKey("main") ? mainPackage(value(top, "main"), "main") : null;
        List<String> volumes = top.containsKey("volumes") ? volumes(value(top, "volumes"), "volumes") : List.of();
        List<String> ports = top.containsKey("ports") ? ports(value(top, "ports"), "ports") : List.of();
        List<PathSpec> paths = top.containsKey("paths") ? paths(value(top, "paths"), "paths") : List.of();
        TrimSpec trim = distroTrim.then(trim(top));
        boolean latest = top.containsKey("latest") && r.bool(value(top, "latest"), "latest");
        List<TestSpec> tests = top.containsKey("tests") ? tests(value(top, "tests"), variants) : List.of();
        return new ImageSpec(r.file(), name, version, null, repositories, packages, archs, user, workdir, entrypoint,
                cmd, env, labels, layering, variants, allowShell, weak, contents, limits, main, volumes, ports, paths,
                trim, latest, tests);
    }

    /**
     * {@code distro: debian-13}: the repositories of {@code distros/debian-13.yaml} in the definition's directory or
     * the nearest one above it that has such a file. They come first, as if written in the definition (so the spec
     * digest is that of the spelled-out definition); messages about them point at the {@code distro:} line.
     */
    private List<RepositorySpec> distro(Node n) {
        String name = r.string(n, "distro");
        if (!DISTRO_NAME.matcher(name).matches()) {
            throw r.error(n, "`distro` must name a distro file such as `debian-13` (lower-case letters, digits, `.`, `_`, `-`), not `" + name + "`");
        }
        Path defDir = r.file() == null ? Path.of(".") : r.file().toAbsolutePath().getParent();
        Path found = null;
        List<Path> tried = new java.util.ArrayList<>();
        for (Path d = defDir; d != null && found == null; d = d.getParent()) {
            Path f = d.resolve("distros").resolve(name + ".yaml");
            tried.add(f);
            if (java.nio.file.Files.isRegularFile(f)) found = f;
        }
        if (found == null) {
            throw r.error(n, "no distro file for `" + name + "` (looked for " + tried.get(0)
                    + " and in the directories above); write it, or list the repositories under `repositories`");
        }
        String text;
        try {
            text = java.nio.file.Files.readString(found, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw r.error(n, "cannot read the distro file " + found + ": " + e.getMessage());
        }
        SpecLoader d = new SpecLoader(found);
        Map<String, NodeTuple> top = d.fields(compose(text, found), "distro file", DISTRO_KEYS);
        if (!top.containsKey("repositories")) throw d.r.error(compose(text, found), "missing required key `repositories`");
        if (top.containsKey("name") && !name.equals(d.r.string(value(top, "name"), "name"))) {
            throw d.r.error(value(top, "name"), "this distro file says its name is `" + d.r.string(value(top, "name"), "name")
                    + "`, but it is " + found.getFileName() + " (named `" + name + "` by " + r.file() + ")");
        }
        distroTrim = d.trim(top);
        List<RepositorySpec> out = new java.util.ArrayList<>();
        int line = NodeReader.line(n);
        for (RepositorySpec rs : d.repositories(value(top, "repositories"))) {
            if (rs.keyring() != null && !Path.of(rs.keyring()).isAbsolute()) {
                throw d.r.error(value(top, "repositories"), "a distro file's `keyring` must be an absolute path (it is shared "
                        + "by definitions in other directories), not `" + rs.keyring() + "`");
            }
            out.add(new RepositorySpec(rs.type(), rs.url(), rs.suite(), rs.components(), rs.keyring(), line));
        }
        return out;
    }

    /** The entries of a mapping, refusing keys not in {@code known} (with a hint) in the order they were written. */
    private Map<String, NodeTuple> fields(Node n, String what, List<String> known) {
        Map<String, NodeTuple> entries = r.entries(n, what == null ? "definition" : what);
        entries.values().stream()
                .filter(t -> !known.contains(key(t)))
                .min(Comparator.comparingInt(t -> NodeReader.line(t.getKeyNode())))
                .ifPresent(t -> {
                    String k = key(t);
                    String in = what == null ? "" : " in `" + what + "`";
                    String near = Hints.nearest(k, known);
                    throw r.error(t.getKeyNode(), "unknown key `" + k + "`" + in + (near != null
                            ? " (did you mean `" + near + "`?)"
                            : "; known keys: " + String.join(", ", known)));
                });
        return entries;
    }

    private static String key(NodeTuple t) {
        return ((ScalarNode) t.getKeyNode()).getValue();
    }

    private static Node value(Map<String, NodeTuple> m, String key) {
        return m.get(key).getValueNode();
    }

    private List<RepositorySpec> repositories(Node n) {
        if (!(n instanceof SequenceNode seq)) {
            throw r.error(n, "`repositories` must be a list of repositories, not " + NodeReader.kind(n));
        }
        if (seq.getValue().isEmpty()) throw r.error(n, "`repositories` is empty; name at least one repository");
        List<RepositorySpec> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            Map<String, NodeTuple> f = fields(item, "repositories", REPOSITORY_KEYS);
            for (String k : List.of("type", "url")) {
                if (!f.containsKey(k)) throw r.error(item, "repository: missing required key `" + k + "`");
            }
            Node typeNode = value(f, "type");
            String type = r.string(typeNode, "type");
            if (!type.equals(RepositorySpec.DEB) && !type.equals(RepositorySpec.RPM)) {
                throw r.error(typeNode, "unknown repository type `" + type + "`; known: deb, rpm");
            }
            if (!out.isEmpty() && !out.get(0).type().equals(type)) {
                throw r.error(typeNode, "repository of type `" + type + "` in an image of `" + out.get(0).type()
                        + "` repositories; an image takes its packages from one ecosystem");
            }
            Node urlNode = value(f, "url");
            String url = r.string(urlNode, "url");
            if (!url.equals(RepositorySpec.SYSTEM) && !URL.matcher(url).matches()) {
                throw r.error(urlNode, "`url` must be an http(s):// or file:// URL, or `system` (this machine's own sources), not `" + url + "`");
            }
            String suite = null;
            List<String> components = List.of();
            if (type.equals(RepositorySpec.DEB)) {
                if (!f.containsKey("suite")) throw r.error(item, "a deb repository needs `suite` (for example `bookworm`)");
                suite = r.string(value(f, "suite"), "suite");
                components = f.containsKey("components") ? r.strings(value(f, "components"), "components") : List.of("main");
                if (components.isEmpty()) throw r.error(value(f, "components"), "`components` is empty; leave it out for [main]");
                if (f.containsKey("releasever")) {
                    throw r.error(f.get("releasever").getKeyNode(), "`releasever` is for rpm repositories; a deb repository names its `suite`");
                }
            } else {
                for (String k : List.of("suite", "components")) {
                    if (f.containsKey(k)) throw r.error(f.get(k).getKeyNode(), "`" + k + "` is for deb repositories only; an rpm repository is its `url`"
                            + " (and `releasever` for yum's $releasever)");
                }
                if (f.containsKey("releasever")) {
                    Node rv = value(f, "releasever");
                    suite = r.string(rv, "releasever");
                    if (!suite.matches("[A-Za-z0-9._-]+")) throw r.error(rv, "`releasever` must be a release such as `43`, not `" + suite + "`");
                }
            }
            String keyring = null;
            if (f.containsKey("keyring")) {
                keyring = r.string(value(f, "keyring"), "keyring");
            } else if (!url.equals(RepositorySpec.SYSTEM)) {
                throw r.error(item, "repository " + url + ": missing required key `keyring` (the OpenPGP keys that sign its metadata)");
            }
            out.add(new RepositorySpec(type, url, suite, components, keyring, NodeReader.line(item)));
        }
        return out;
    }

    private List<String> packages(Node n) {
        List<String> pkgs = r.strings(n, "packages");
        if (pkgs.isEmpty()) throw r.error(n, "`packages` is empty; name at least one package");
        checkPackageNames(n, pkgs, "packages");
        return pkgs;
    }

    /** Refuses blank, spaced and duplicated package names, each at its own line. */
    private void checkPackageNames(Node list, List<String> pkgs, String what) {
        Map<String, Integer> first = new LinkedHashMap<>();
        List<Node> items = ((SequenceNode) list).getValue();
        for (int i = 0; i < pkgs.size(); i++) {
            String p = pkgs.get(i);
            Node at = items.get(i);
            if (p.isBlank() || p.chars().anyMatch(Character::isWhitespace)) {
                throw r.error(at, "`" + what + "`: `" + p + "` is not a package name");
            }
            Integer was = first.putIfAbsent(p, NodeReader.line(at));
            if (was != null) throw r.error(at, "package `" + p + "` is listed twice in `" + what + "` (first at line " + was + ")");
        }
    }

    private List<String> archs(Node n) {
        List<String> written = r.strings(n, "archs");
        if (written.isEmpty()) throw r.error(n, "`archs` is empty; leave it out for [amd64, arm64]");
        List<Node> items = ((SequenceNode) n).getValue();
        Map<String, Integer> first = new LinkedHashMap<>();
        for (int i = 0; i < written.size(); i++) {
            String a = written.get(i);
            String oci;
            try {
                Platform p = Platform.ofArch(a);
                oci = p.architecture();
            } catch (IllegalArgumentException e) {
                throw r.error(items.get(i), "unknown arch `" + a + "`; known: amd64 (x86_64), arm64 (aarch64), "
                        + "ppc64el (ppc64le), s390x, riscv64, i386 (i686), armhf (armv7hl)");
            }
            Integer was = first.putIfAbsent(oci, NodeReader.line(items.get(i)));
            if (was != null) throw r.error(items.get(i), "arch `" + a + "` is listed twice (as `" + oci + "`, first at line " + was + ")");
        }
        return List.copyOf(first.keySet());
    }

    private int user(Node n, String what) {
        int user = r.integer(n, what);
        if (user < 0) throw r.error(n, "`" + what + "` must not be negative: " + user);
        return user;
    }

    private String workdir(Node n, String what) {
        String w = r.string(n, what);
        if (!w.startsWith("/")) throw r.error(n, "`" + what + "` must be an absolute path, not `" + w + "`");
        return w;
    }

    private Map<String, String> env(Node n, String what) {
        Map<String, String> env = r.stringMap(n, what);
        Map<String, NodeTuple> entries = r.entries(n, what);
        for (String k : env.keySet()) {
            if (!ENV_NAME.matcher(k).matches()) {
                throw r.error(entries.get(k).getKeyNode(), "`" + what + "`: `" + k + "` is not a variable name (no `=`, no spaces)");
            }
        }
        return env;
    }

    private Map<String, String> labels(Node n) {
        Map<String, String> labels = r.stringMap(n, "labels");
        Map<String, NodeTuple> entries = r.entries(n, "labels");
        for (String k : labels.keySet()) {
            if (k.isBlank()) throw r.error(entries.get(k).getKeyNode(), "`labels`: a label needs a name");
        }
        return labels;
    }

    /** {@code limits: {file, package, image, ratio}}: sizes in bytes or with a binary unit, the ratio a whole number. */
    private dev.kolibri.fs.Limits limits(Node n) {
        Map<String, NodeTuple> f = fields(n, "limits", LIMIT_KEYS);
        dev.kolibri.fs.Limits l = dev.kolibri.fs.Limits.DEFAULT;
        if (f.containsKey("file")) l = l.withFile(size(value(f, "file"), "limits.file"));
        if (f.containsKey("package")) l = l.withPackage(size(value(f, "package"), "limits.package"));
        if (f.containsKey("image")) l = l.withImage(size(value(f, "image"), "limits.image"));
        if (f.containsKey("ratio")) {
            Node v = value(f, "ratio");
            int ratio = r.integer(v, "limits.ratio");
            if (ratio < 1) throw r.error(v, "`limits.ratio` must be at least 1, not " + ratio);
            l = l.withRatio(ratio);
        }
        return l;
    }

    private long size(Node n, String what) {
        String text = r.string(n, what).strip();
        java.util.regex.Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw r.error(n, "`" + what + "` must be a size in bytes or with a unit (KiB, MiB, GiB, TiB), such as "
                    + "`512MiB`, not `" + text + "`");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
        long scale = switch (unit) {
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> 1;
        };
        java.math.BigDecimal v = new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(scale));
        if (v.signum() <= 0) throw r.error(n, "`" + what + "` must be more than 0");
        if (v.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) throw r.error(n, "`" + what + "` is too large: " + text);
        return v.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    private Layering layering(Node n) {
        Map<String, NodeTuple> f = fields(n, "layering", LAYERING_KEYS);
        Layering.Strategy strategy = Layering.DEFAULT.strategy();
        if (f.containsKey("strategy")) {
            Node s = value(f, "strategy");
            String id = r.string(s, "layering.strategy");
            strategy = Layering.Strategy.ofId(id);
            if (strategy == null) {
                List<String> known = Arrays.stream(Layering.Strategy.values()).map(Layering.Strategy::id).toList();
                String near = Hints.nearest(id, known);
                throw r.error(s, "unknown layering strategy `" + id + "`" + (near != null ? " (did you mean `" + near + "`?)" : "")
                        + "; known: " + String.join(", ", known));
            }
        }
        int budget = Layering.DEFAULT_BUDGET;
        if (f.containsKey("budget")) {
            Node b = value(f, "budget");
            budget = r.integer(b, "layering.budget");
            if (budget < 1 || budget > Layering.MAX_BUDGET) {
                throw r.error(b, "`layering.budget` must be between 1 and " + Layering.MAX_BUDGET + ", not " + budget);
            }
        }
        return new Layering(strategy, budget);
    }

    private Map<String, Variant> variants(Node n, List<String> basePackages, boolean baseWorkdirWritten) {
        Map<String, Variant> out = new TreeMap<>();
        for (Map.Entry<String, NodeTuple> e : r.entries(n, "variants").entrySet()) {
            String vname = e.getKey();
            Node keyNode = e.getValue().getKeyNode();
            if (!NAME.matcher(vname).matches()) {
                throw r.error(keyNode, "variant name `" + vname + "` must be lower-case letters and digits, separated by `.`, `_` or `-`");
            }
            String what = "variants." + vname;
            Node body = e.getValue().getValueNode();
            Map<String, NodeTuple> f = fields(body, what, VARIANT_KEYS);
            if (f.containsKey("absent")) {
                String reason = r.string(value(f, "absent"), what + ".absent");
                if (reason.isBlank()) throw r.error(value(f, "absent"), "`" + what + ".absent` must say why the variant makes no sense here");
                if (f.size() > 1) {
                    throw r.error(keyNode, "variant `" + vname + "` is declared absent, so it takes no other keys (it has "
                            + String.join(", ", f.keySet().stream().filter(k -> !k.equals("absent")).toList()) + ")");
                }
                out.put(vname, Variant.absent(vname, reason.strip(), NodeReader.line(keyNode)));
                continue;
            }
            List<String> add = List.of();
            if (f.containsKey("add")) {
                add = r.strings(value(f, "add"), what + ".add");
                checkPackageNames(value(f, "add"), add, what + ".add");
            }
            List<String> remove = List.of();
            if (f.containsKey("remove")) {
                remove = r.strings(value(f, "remove"), what + ".remove");
                checkPackageNames(value(f, "remove"), remove, what + ".remove");
            }
            checkVariantPackages(vname, basePackages, f, add, remove);
            Integer user = f.containsKey("user") ? user(value(f, "user"), what + ".user") : null;
            Boolean allowShell = f.containsKey("allow-shell") ? r.bool(value(f, "allow-shell"), what + ".allow-shell") : null;
            List<String> entrypoint = f.containsKey("entrypoint") ? r.strings(value(f, "entrypoint"), what + ".entrypoint") : null;
            List<String> cmd = f.containsKey("cmd") ? r.strings(value(f, "cmd"), what + ".cmd") : null;
            Map<String, String> env = f.containsKey("env") ? env(value(f, "env"), what + ".env") : Map.of();
            String workdir = f.containsKey("workdir") ? workdir(value(f, "workdir"), what + ".workdir") : null;
            if (workdir == null && user != null && !baseWorkdirWritten) workdir = ImageSpec.defaultWorkdir(user);
            List<ContentSpec> contents = f.containsKey("contents") ? contents(value(f, "contents"), what + ".contents") : List.of();
            String main = f.containsKey("main") ? mainPackage(value(f, "main"), what + ".main") : null;
            List<String> ports = f.containsKey("ports") ? ports(value(f, "ports"), what + ".ports") : List.of();
            List<String> volumes = f.containsKey("volumes") ? volumes(value(f, "volumes"), what + ".volumes") : List.of();
            List<PathSpec> paths = f.containsKey("paths") ? paths(value(f, "paths"), what + ".paths") : List.of();
            out.put(vname, new Variant(vname, add, remove, user, allowShell, entrypoint, cmd, env, workdir, contents,
                    null, NodeReader.line(keyNode), main, ports, volumes, paths));
        }
        return out;
    }

    /** {@code contents:}: a list of {@code {from, to, owner?, mode?, replace?}}, checked as far as the text allows. */
    private List<ContentSpec> contents(Node n, String what) {
        if (!(n instanceof SequenceNode seq)) {
            throw r.error(n, "`" + what + "` must be a list of {from, to} entries, not " + NodeReader.kind(n));
        }
        if (seq.getValue().isEmpty()) throw r.error(n, "`" + what + "` is empty; leave it out for no local files");
        List<ContentSpec> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            Map<String, NodeTuple> f = fields(item, what, CONTENT_KEYS);
            for (String k : List.of("from", "to")) {
                if (!f.containsKey(k)) throw r.error(item, "`" + what + "` entry: missing required key `" + k + "`");
            }
            Node fromNode = value(f, "from");
            String from = r.string(fromNode, "from");
            checkFrom(fromNode, from);
            Node toNode = value(f, "to");
            String to = destination(toNode, r.string(toNode, "to"), from);
            int[] owner = f.containsKey("owner") ? owner(value(f, "owner")) : new int[] {0, 0};
            int uid = owner[0];
            int gid = owner[1];
            Integer mode = f.containsKey("mode") ? mode(value(f, "mode"), "0644") : null;
            boolean replace = f.containsKey("replace") && r.bool(value(f, "replace"), "replace");
            out.add(new ContentSpec(from, to, uid, gid, mode, replace, NodeReader.line(item)));
        }
        return out;
    }

    /** {@code owner: "UID:GID"}, numeric, as {@code {uid, gid}}. */
    private int[] owner(Node o) {
        var m = OWNER.matcher(r.string(o, "owner"));
        if (!m.matches()) {
            throw r.error(o, "`owner` must be numeric UID:GID (for example \"65532:65532\"), not `" + ((ScalarNode) o).getValue() + "`");
        }
        try {
            return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        } catch (NumberFormatException e) {
            throw r.error(o, "`owner` is too large: " + m.group());
        }
    }

    /** {@code mode: "0644"}: octal permission bits up to 07777; {@code example} is the one the message gives. */
    private int mode(Node mn, String example) {
        String written = r.string(mn, "mode");
        if (!MODE.matcher(written).matches() || Integer.parseInt(written, 8) > 07777) {
            throw r.error(mn, "`mode` must be octal permission bits (for example \"" + example + "\"), not `" + written + "`");
        }
        return Integer.parseInt(written, 8);
    }

    /** Refuses an absolute {@code from} and one whose {@code ..} climbs out of the definition's directory. */
    private void checkFrom(Node at, String from) {
        if (from.isEmpty()) throw r.error(at, "`from` is empty; name a file or directory beside the definition");
        if (from.startsWith("/")) {
            throw r.error(at, "contents `from: " + from + "` is absolute; write it relative to the definition's directory");
        }
        int depth = 0;
        for (String seg : from.split("/")) {
            if (seg.equals("..")) depth--;
            else if (!seg.isEmpty() && !seg.equals(".")) depth++;
            if (depth < 0) {
                throw r.error(at, "contents `from: " + from + "` climbs out of the definition's directory; "
                        + "keep the files beside the definition");
            }
        }
    }

    /** The normalized absolute destination; refuses relative paths, {@code ..} and the runtime's directories. */
    private String destination(Node at, String to, String from) {
        if (!to.startsWith("/")) throw r.error(at, "contents `to: " + to + "` must be an absolute path in the image");
        List<String> segs = new ArrayList<>();
        for (String seg : to.split("/")) {
            if (seg.equals("..")) throw r.error(at, "contents `to: " + to + "` must not contain `..`");
            if (!seg.isEmpty() && !seg.equals(".")) segs.add(seg);
        }
        if (!segs.isEmpty() && RUNTIME_DIRS.contains(segs.get(0))) {
            throw r.error(at, "contents `from: " + from + "` to `" + to + "`: /" + segs.get(0)
                    + " is mounted by the container runtime, files there never reach a container; choose another destination");
        }
        // a trailing `/` is kept: a file source then goes into that directory under its own name
        return "/" + String.join("/", segs) + (to.endsWith("/") && !segs.isEmpty() ? "/" : "");
    }

    private String mainPackage(Node n, String what) {
        String p = r.string(n, what);
        if (p.isBlank() || p.chars().anyMatch(Character::isWhitespace)) throw r.error(n, "`" + what + "`: `" + p + "` is not a package name");
        return p;
    }

    /** {@code volumes:}: absolute paths, each once. */
    private List<String> volumes(Node n, String what) {
        List<String> out = new ArrayList<>();
        List<String> written = r.strings(n, what);
        List<Node> items = ((SequenceNode) n).getValue();
        for (int i = 0; i < written.size(); i++) {
            String v = written.get(i);
            if (!v.startsWith("/") || v.contains("/../") || v.endsWith("/..")) {
                throw r.error(items.get(i), "`" + what + "`: a volume is an absolute path in the image, not `" + v + "`");
            }
            String norm = v.length() > 1 && v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
            if (out.contains(norm)) throw r.error(items.get(i), "`" + what + "`: `" + v + "` is listed twice");
            out.add(norm);
        }
        return out;
    }

    /** {@code ports:}: {@code 8080}, {@code 8080/tcp} or {@code 53/udp}, normalized to {@code PORT/PROTO}. */
    private List<String> ports(Node n, String what) {
        List<String> out = new ArrayList<>();
        List<Node> items = n instanceof SequenceNode seq ? seq.getValue() : List.of();
        if (!(n instanceof SequenceNode)) throw r.error(n, "`" + what + "` must be a list of ports such as `8080/tcp`, not " + NodeReader.kind(n));
        for (Node item : items) {
            String p = item instanceof ScalarNode sc ? sc.getValue() : "";
            var m = PORT.matcher(p);
            if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 65535) {
                throw r.error(item, "`" + what + "`: a port is a number from 1 to 65535 with an optional /tcp, /udp or /sctp, not `" + p + "`");
            }
            String norm = Integer.parseInt(m.group(1)) + "/" + (m.group(2) == null ? "tcp" : m.group(2));
            if (out.contains(norm)) throw r.error(item, "`" + what + "`: `" + p + "` is listed twice");
            out.add(norm);
        }
        return out;
    }

    /** {@code paths:}: {@code {path, type, owner?, mode?, target?}}. */
    private List<PathSpec> paths(Node n, String what) {
        if (!(n instanceof SequenceNode seq)) {
            throw r.error(n, "`" + what + "` must be a list of {path, type} entries, not " + NodeReader.kind(n));
        }
        List<PathSpec> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            Map<String, NodeTuple> f = fields(item, what, PATH_KEYS);
            for (String k : List.of("path", "type")) {
                if (!f.containsKey(k)) throw r.error(item, "`" + what + "` entry: missing required key `" + k + "`");
            }
            Node pathNode = value(f, "path");
            String path = destination(pathNode, r.string(pathNode, "path"), "paths");
            if (path.endsWith("/") && path.length() > 1) path = path.substring(0, path.length() - 1);
            if (path.equals("/")) throw r.error(pathNode, "`" + what + "`: the root directory cannot be made or changed");
            Node typeNode = value(f, "type");
            String typeId = r.string(typeNode, "type");
            PathSpec.Type type = PathSpec.Type.ofId(typeId);
            if (type == null) {
                List<String> known = Arrays.stream(PathSpec.Type.values()).map(PathSpec.Type::id).toList();
                String near = Hints.nearest(typeId, known);
                throw r.error(typeNode, "unknown path type `" + typeId + "`" + (near != null ? " (did you mean `" + near + "`?)" : "")
                        + "; known: " + String.join(", ", known));
            }
            int[] owner = f.containsKey("owner") ? owner(value(f, "owner")) : new int[] {0, 0};
            int uid = owner[0];
            int gid = owner[1];
            Integer mode = f.containsKey("mode") ? mode(value(f, "mode"), "0755") : null;
            String target = null;
            if (f.containsKey("target")) {
                if (type != PathSpec.Type.SYMLINK) throw r.error(f.get("target").getKeyNode(), "`target` is for a `symlink` entry only");
                target = r.string(value(f, "target"), "target");
                if (target.isEmpty()) throw r.error(value(f, "target"), "`target` is empty");
            } else if (type == PathSpec.Type.SYMLINK) {
                throw r.error(item, "a `symlink` entry needs `target`");
            }
            if (type == PathSpec.Type.SYMLINK && mode != null) throw r.error(f.get("mode").getKeyNode(), "a symbolic link has no mode");
            out.add(new PathSpec(path, type, uid, gid, mode, target, NodeReader.line(item)));
        }
        return out;
    }

    /** {@code trim:} and {@code keep:} of a definition or distro file: lists of absolute globs. */
    private TrimSpec trim(Map<String, NodeTuple> top) {
        return new TrimSpec(top.containsKey("trim") ? globs(value(top, "trim"), "trim") : List.of(),
                top.containsKey("keep") ? globs(value(top, "keep"), "keep") : List.of());
    }

    private List<String> globs(Node n, String what) {
        List<String> globs = r.strings(n, what);
        List<Node> items = ((SequenceNode) n).getValue();
        for (int i = 0; i < globs.size(); i++) {
            String g = globs.get(i);
            if (!g.startsWith("/") || g.contains("/../") || g.contains("//")) {
                throw r.error(items.get(i), "`" + what + "`: `" + g + "` must be an absolute glob such as `/usr/share/man/**`");
            }
        }
        return globs;
    }

    /** {@code tests:}: each a command with what it must give, or {@code steps:} (around a {@code service:}). */
    private List<TestSpec> tests(Node n, Map<String, Variant> variants) {
        if (!(n instanceof SequenceNode seq)) throw r.error(n, "`tests` must be a list of tests, not " + NodeReader.kind(n));
        List<TestSpec> out = new ArrayList<>();
        Map<String, Integer> names = new LinkedHashMap<>();
        for (Node item : seq.getValue()) {
            Map<String, NodeTuple> f = fields(item, "tests", TEST_KEYS);
            if (!f.containsKey("name")) throw r.error(item, "a test needs a `name`");
            String name = r.string(value(f, "name"), "name");
            if (!NAME.matcher(name).matches()) throw r.error(value(f, "name"), "test name `" + name + "` must be lower-case letters and digits, separated by `.`, `_` or `-`");
            Integer was = names.putIfAbsent(name, NodeReader.line(item));
            if (was != null) throw r.error(item, "test `" + name + "` is named twice (first at line " + was + ")");
            List<String> on = f.containsKey("variants") ? r.strings(value(f, "variants"), "tests.variants") : List.of();
            for (String v : on) {
                if (v.equals(TestSpec.BASE) || v.equals(TestSpec.ALL)) continue;
                boolean known = variants.containsKey(v) || java.util.Arrays.stream(v.split("-")).allMatch(variants::containsKey);
                if (!known) {
                    throw r.error(value(f, "variants"), "test `" + name + "` names variant `" + v + "`, which this definition does not have"
                            + " (known: base, all" + (variants.isEmpty() ? "" : ", " + String.join(", ", variants.keySet())) + ")");
                }
            }
            String files = null;
            if (f.containsKey("files")) {
                Node fn = value(f, "files");
                files = r.string(fn, "files");
                checkFrom(fn, files);
            }
            TestSpec.Step service = f.containsKey("service") ? step(value(f, "service"), "tests." + name + ".service") : null;
            List<TestSpec.Step> setup = new ArrayList<>();
            if (f.containsKey("setup")) {
                Node sn = value(f, "setup");
                if (!(sn instanceof SequenceNode ss) || ss.getValue().isEmpty()) throw r.error(sn, "`setup` must be a list of steps");
                for (Node s : ss.getValue()) {
                    TestSpec.Step st = step(s, "tests." + name + ".setup");
                    if (st.exec() != null || st.http() != null) {
                        throw r.error(s, "test `" + name + "`: a `setup` step runs before the service, so it is a container (`args`, `image`), not `exec` or `http`");
                    }
                    setup.add(st);
                }
            }
            List<TestSpec.Step> steps = new ArrayList<>();
            boolean inline = f.keySet().stream().anyMatch(STEP_KEYS::contains);
            if (f.containsKey("steps")) {
                if (inline) throw r.error(item, "test `" + name + "` has `steps` and a step's keys beside them; put every step under `steps`");
                Node sn = value(f, "steps");
                if (!(sn instanceof SequenceNode ss) || ss.getValue().isEmpty()) throw r.error(sn, "`steps` must be a list of steps");
                for (Node s : ss.getValue()) steps.add(step(s, "tests." + name + ".steps"));
            } else if (inline) {
                steps.add(stepOf(f, item, "tests." + name));
            } else {
                throw r.error(item, "test `" + name + "` does nothing; give `args` (and `expect`) or `steps`");
            }
            for (TestSpec.Step s : steps) {
                if ((s.exec() != null || s.http() != null) && service == null) {
                    throw r.error(item, "test `" + name + "`: an `exec` or `http` step needs a `service` to talk to");
                }
            }
            out.add(new TestSpec(name, on, files, setup, service, steps, NodeReader.line(item)));
        }
        return out;
    }

    private TestSpec.Step step(Node n, String what) {
        return stepOf(fields(n, what, STEP_KEYS), n, what);
    }

    private TestSpec.Step stepOf(Map<String, NodeTuple> f, Node at, String what) {
        String image = f.containsKey("image") ? r.string(value(f, "image"), what + ".image") : null;
        List<String> entrypoint = f.containsKey("entrypoint") ? r.strings(value(f, "entrypoint"), what + ".entrypoint") : null;
        List<String> args = f.containsKey("args") ? r.strings(value(f, "args"), what + ".args") : null;
        Integer user = f.containsKey("user") ? user(value(f, "user"), what + ".user") : null;
        List<String> exec = f.containsKey("exec") ? r.strings(value(f, "exec"), what + ".exec") : null;
        String http = f.containsKey("http") ? r.string(value(f, "http"), what + ".http") : null;
        if (http != null && !http.matches("http://(127\\.0\\.0\\.1|localhost):[0-9]{1,5}(/\\S*)?")) {
            throw r.error(value(f, "http"), "`" + what + ".http` must be a URL on this machine such as http://127.0.0.1:8080/, not `" + http + "`");
        }
        if (exec != null && http != null) throw r.error(at, "`" + what + "`: a step is an `exec` or an `http` request, not both");
        if ((exec != null || http != null) && (image != null || entrypoint != null || args != null || user != null)) {
            throw r.error(at, "`" + what + "`: an `exec` or `http` step talks to the service; `image`, `entrypoint`, `args` and `user` are for a new container");
        }
        TestSpec.Expect expect = TestSpec.Expect.SUCCESS;
        if (f.containsKey("expect")) {
            Map<String, NodeTuple> e = fields(value(f, "expect"), what + ".expect", EXPECT_KEYS);
            expect = new TestSpec.Expect(
                    e.containsKey("exit") ? r.integer(value(e, "exit"), "expect.exit") : null,
                    e.containsKey("stdout") ? r.string(value(e, "stdout"), "expect.stdout") : null,
                    e.containsKey("stderr") ? r.string(value(e, "stderr"), "expect.stderr") : null,
                    e.containsKey("status") ? r.integer(value(e, "status"), "expect.status") : null);
        }
        return new TestSpec.Step(image, entrypoint, args, user, exec, http, expect, NodeReader.line(at));
    }

    private void checkVariantPackages(String vname, List<String> base, Map<String, NodeTuple> f, List<String> add, List<String> remove) {
        List<Node> removeItems = f.containsKey("remove") ? ((SequenceNode) value(f, "remove")).getValue() : List.of();
        for (int i = 0; i < remove.size(); i++) {
            if (!base.contains(remove.get(i))) {
                throw r.error(removeItems.get(i), "variant `" + vname + "` removes `" + remove.get(i) + "`, which is not in `packages`");
            }
        }
        List<Node> addItems = f.containsKey("add") ? ((SequenceNode) value(f, "add")).getValue() : List.of();
        for (int i = 0; i < add.size(); i++) {
            String a = add.get(i);
            if (base.contains(a) && !remove.contains(a)) {
                throw r.error(addItems.get(i), "variant `" + vname + "` adds `" + a + "`, which is already in `packages`");
            }
        }
    }
}
