package dev.kolibri.repo;

import dev.kolibri.pkg.deb.Deb822;
import dev.kolibri.pkg.deb.DebMetadataException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The machine's apt sources, for {@code url: system}: {@code sources.list} and then {@code sources.list.d/*.list}
 * (one-line format) and {@code *.sources} (deb822) in name order, as apt reads them. Only enabled {@code deb}
 * entries with an http, https or file URI are kept; {@code deb-src}, {@code Enabled: no}, comments and files with
 * other extensions are skipped.
 */
public final class AptSources {
    private final Path aptDir;
    private final List<AptSource> sources;
    private final AptConfig config;

    private AptSources(Path aptDir, List<AptSource> sources, AptConfig config) {
        this.aptDir = aptDir;
        this.sources = List.copyOf(sources);
        this.config = config;
    }

    /** This machine's sources: {@code /etc/apt}. */
    public static AptSources system() throws RepositoryException {
        return load(Path.of("/etc/apt"));
    }

    /** Sources under {@code aptDir} (the directory holding {@code sources.list}, {@code sources.list.d}, {@code apt.conf.d}). */
    public static AptSources load(Path aptDir) throws RepositoryException {
        List<AptSource> out = new ArrayList<>();
        Path list = aptDir.resolve("sources.list");
        if (Files.isRegularFile(list)) parseList(read(list), list.toString(), out);
        Path d = aptDir.resolve("sources.list.d");
        if (Files.isDirectory(d)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(d)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new RepositoryException("cannot read " + d + ": " + e.getMessage(), e);
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".list")) parseList(read(f), f.toString(), out);
                else if (name.endsWith(".sources")) parseDeb822(read(f), f.toString(), out);
            }
        }
        return new AptSources(aptDir, out, AptConfig.load(aptDir));
    }

    /** Enabled {@code deb} entries in apt's order. */
    public List<AptSource> sources() {
        return sources;
    }

    /** The first entry whose suites include {@code suite}. */
    public Optional<AptSource> forSuite(String suite) {
        return sources.stream().filter(s -> s.suites().contains(suite)).findFirst();
    }

    /**
     * The source {@code url: system} reads {@code suite} from: the first entry listing it; else, for a suite the
     * machine does not list, the entry serving the same archive: a {@code -security} suite from the entry that
     * serves one of the machine's {@code -security} suites, any other suite ({@code trixie}, {@code trixie-updates},
     * {@code sid}, {@code bookworm-backports}) from the entry that serves one of its release suites (a suite
     * without a dash: a Debian one such as {@code bookworm} first, so a third-party {@code nodistro} entry is not
     * taken for the archive). Empty when the machine has no such entry.
     */
    public Optional<AptSource> sourceFor(String suite) {
        Optional<AptSource> listed = forSuite(suite);
        if (listed.isPresent()) return listed;
        if (isSecurity(suite)) {
            return sources.stream().filter(s -> s.suites().stream().anyMatch(AptSources::isSecurity)).findFirst();
        }
        // a Debian release suite first (a third-party source such as `nodistro` is not the distribution's archive)
        Optional<AptSource> debian = sources.stream()
                .filter(s -> s.suites().stream().anyMatch(x -> isRelease(x) && isDebianSuite(x))).findFirst();
        return debian.or(() -> sources.stream().filter(s -> s.suites().stream().anyMatch(AptSources::isRelease)).findFirst());
    }

    private static boolean isDebianSuite(String suite) {
        return dev.kolibri.pkg.deb.Debian.debianRelease(suite) != null
                || java.util.Set.of("stable", "oldstable", "oldoldstable", "testing", "unstable", "sid").contains(suite);
    }

    /** {@code bookworm-security}, or the old {@code buster/updates} form. */
    private static boolean isSecurity(String suite) {
        return suite.endsWith("-security") || suite.endsWith("/updates");
    }

    /** A suite naming a release of its own: no dash and no slash ({@code bookworm}, {@code stable}, {@code sid}). */
    private static boolean isRelease(String suite) {
        return suite.indexOf('-') < 0 && suite.indexOf('/') < 0;
    }

    /**
     * Whether apt on this machine would accept this source's Release after its {@code Valid-Until}: the entry's
     * {@code check-valid-until} option, else {@code Acquire::Check-Valid-Until} from {@code apt.conf(.d)}.
     */
    public boolean allowExpired(AptSource source) {
        return !source.checkValidUntil().orElse(config.checkValidUntil());
    }

    /**
     * The keys apt would check this source's metadata with: its {@code Signed-By} files or inline key, else every
     * key in {@code trusted.gpg} and {@code trusted.gpg.d}.
     */
    public Keyring keyring(AptSource source) throws RepositoryException {
        String sb = source.signedBy();
        if (sb == null || sb.isBlank()) {
            List<Keyring> all = new ArrayList<>();
            Path legacy = aptDir.resolve("trusted.gpg");
            if (Files.isRegularFile(legacy)) all.add(Keyring.load(legacy));
            Path d = aptDir.resolve("trusted.gpg.d");
            if (Files.isDirectory(d)) {
                try {
                    all.add(Keyring.load(d));
                } catch (RepositoryException e) {
                    if (all.isEmpty()) throw e;
                }
            }
            if (all.isEmpty()) throw new RepositoryException(source.origin() + ": no Signed-By and no trusted keys in " + aptDir);
            return Keyring.union(all);
        }
        if (sb.contains("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
            return Keyring.of(sb.getBytes(StandardCharsets.US_ASCII), source.origin() + " (inline Signed-By)");
        }
        List<Keyring> rings = new ArrayList<>();
        for (String p : sb.split("[,\\s]+")) {
            if (p.isEmpty()) continue;
            if (!p.startsWith("/")) {
                throw new RepositoryException(source.origin() + ": Signed-By '" + p
                        + "' is not a key file path (fingerprints are not supported): give the keyring file");
            }
            rings.add(Keyring.load(Path.of(p)));
        }
        return Keyring.union(rings);
    }

    /** The source as a {@link DebSource} for {@code components}, with its keyring. */
    public DebSource debSource(AptSource source, String suite, List<String> components) throws RepositoryException {
        return new DebSource(source.uri(), suite, components, keyring(source));
    }

    private static String read(Path f) throws RepositoryException {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RepositoryException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    static void parseList(String text, String file, List<AptSource> out) throws RepositoryException {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = file + ":" + (i + 1);
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            Map<String, String> options = new TreeMap<>();
            String rest;
            int sp = line.indexOf(' ');
            String type = sp < 0 ? line : line.substring(0, sp);
            rest = sp < 0 ? "" : line.substring(sp + 1).strip();
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0) throw new RepositoryException(where + ": unterminated '[' options in '" + lines[i].strip() + "'");
                for (String opt : rest.substring(1, close).strip().split("\\s+")) {
                    if (opt.isEmpty()) continue;
                    int eq = opt.indexOf('=');
                    if (eq <= 0) throw new RepositoryException(where + ": option '" + opt + "' is not key=value");
                    options.put(opt.substring(0, eq).toLowerCase(Locale.ROOT).replaceAll("[+-]$", ""), opt.substring(eq + 1));
                }
                rest = rest.substring(close + 1).strip();
            }
            if (!type.equals("deb")) {
                if (type.equals("deb-src")) continue;
                throw new RepositoryException(where + ": unknown source type '" + type + "' (want deb or deb-src)");
            }
            String[] f = rest.split("\\s+");
            if (f.length < 2 || f[0].isEmpty()) {
                throw new RepositoryException(where + ": want 'deb [options] URI SUITE [COMPONENT...]', got '" + lines[i].strip() + "'");
            }
            URI uri = uri(f[0], where);
            if (uri == null) continue;
            Optional<Boolean> cvu = Optional.ofNullable(options.get("check-valid-until")).map(AptConfig::isTrue);
            out.add(new AptSource(uri, List.of(f[1]), List.of(f).subList(2, f.length), csv(options.get("arch")),
                    options.get("signed-by"), cvu, where));
        }
    }

    static void parseDeb822(String text, String file, List<AptSource> out) throws RepositoryException {
        List<Deb822.Paragraph> ps;
        try {
            ps = Deb822.parse(text, file);
        } catch (DebMetadataException e) {
            throw new RepositoryException(e.getMessage(), e);
        }
        for (Deb822.Paragraph p : ps) {
            String where = p.where();
            List<String> types = words(p.get("Types"));
            if (!types.contains("deb")) continue;
            if (p.has("Enabled") && !AptConfig.isTrue(p.get("Enabled"))) continue;
            List<String> uris = words(p.get("URIs"));
            List<String> suites = words(p.get("Suites"));
            if (uris.isEmpty() || suites.isEmpty()) {
                throw new RepositoryException(where + ": a deb822 source needs URIs and Suites");
            }
            String signedBy = p.get("Signed-By");
            if (signedBy != null && signedBy.contains("\n")) signedBy = inlineKey(signedBy);
            Optional<Boolean> cvu = Optional.ofNullable(p.get("Check-Valid-Until")).map(AptConfig::isTrue);
            for (String u : uris) {
                URI uri = uri(u, where);
                if (uri == null) continue;
                out.add(new AptSource(uri, suites, words(p.get("Components")), words(p.get("Architectures")),
                        signedBy, cvu, where));
            }
        }
    }

    /** Undoes deb822 folding of an inline key: a leading space per line, {@code .} for an empty line. */
    private static String inlineKey(String folded) {
        StringBuilder sb = new StringBuilder();
        for (String l : folded.split("\n")) {
            String s = l.strip();
            sb.append(s.equals(".") ? "" : s).append('\n');
        }
        return sb.toString().strip() + "\n";
    }

    private static URI uri(String s, String where) throws RepositoryException {
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw new RepositoryException(where + ": bad URI '" + s + "': " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("http") || scheme.equals("https") || scheme.equals("file") ? u : null;
    }

    private static List<String> words(String v) {
        if (v == null || v.isBlank()) return List.of();
        return List.of(v.strip().split("\\s+"));
    }

    private static List<String> csv(String v) {
        if (v == null || v.isBlank()) return List.of();
        return List.of(v.split(","));
    }
}
