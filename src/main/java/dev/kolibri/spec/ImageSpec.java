package dev.kolibri.spec;

import dev.kolibri.fs.Limits;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.Platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An image definition (one YAML file), as {@link SpecLoader} reads it, or the effective definition of one of its
 * variants ({@link #withVariant(String)}). Lists keep the order they were written in; maps are sorted by key.
 *
 * @param source          the file it was read from (for messages; not part of the digest)
 * @param name            the image's repository name ({@code python})
 * @param version         the version tags derive from, or null
 * @param variant         the variant this effective definition is, or null for the base
 * @param repositories    where packages come from; all of one type
 * @param packages        the packages asked for (dependencies come on top)
 * @param archs           architectures, normalized to OCI names ({@code amd64}, {@code arm64}, {@code ppc64le},
 *                        {@code s390x}, {@code riscv64}, {@code 386}, {@code arm}); default {@code [amd64, arm64]}
 * @param user            the numeric user the image runs as (default {@value #NONROOT})
 * @param workdir         the working directory (default {@code /home/nonroot}, or {@code /} when the user is 0)
 * @param entrypoint      the entrypoint (default empty)
 * @param cmd             the command (default empty)
 * @param env             environment variables, sorted
 * @param labels          image labels, sorted
 * @param layering        the layering strategy and budget
 * @param variants        the variants, sorted by name (empty in an effective variant)
 * @param allowShell      whether a shell may be in the image (default false)
 * @param installWeakDeps whether weak dependencies (Debian Recommends, RPM Recommends) are installed (default false)
 * @param contents        local files added as layers of their own ({@code contents:}), in the order written; an
 *                        effective variant has the base's followed by its own
 * @param limits          what unpacking the packages may produce ({@code limits:}; file, package, image, ratio; see
 *                        {@code docs/parts/limits.md}); not part of the digest (they change no output, only refuse)
 * @param main            the image's main package ({@code main:}), whose version the tags and the
 *                        {@code org.opencontainers.image.*} labels derive from; null when none is named (then no
 *                        labels are derived)
 * @param volumes         {@code volumes:}: absolute paths the image declares as volumes (state lives there)
 * @param ports           {@code ports:}: ports it listens on, normalized to {@code PORT/PROTO}
 * @param paths           {@code paths:}: directories, empty files, links and owners {@code finalize} makes
 * @param trim            {@code trim:}/{@code keep:}: the distro file's defaults, then the definition's
 * @param latest          {@code latest: true}: this stream's images are also tagged {@code latest} in the catalog;
 *                        not part of the digest
 * @param tests           {@code tests:}, run by {@code kolibri catalog test}; not part of the digest
 */
public record ImageSpec(
        Path source,
        String name,
        String version,
        String variant,
        List<RepositorySpec> repositories,
        List<String> packages,
        List<String> archs,
        int user,
        String workdir,
        List<String> entrypoint,
        List<String> cmd,
        Map<String, String> env,
        Map<String, String> labels,
        Layering layering,
        Map<String, Variant> variants,
        boolean allowShell,
        boolean installWeakDeps,
        List<ContentSpec> contents,
        Limits limits,
        String main,
        List<String> volumes,
        List<String> ports,
        List<PathSpec> paths,
        TrimSpec trim,
        boolean latest,
        List<TestSpec> tests) {

    /** A definition without the catalog's keys ({@code main}, {@code volumes}, {@code ports}, {@code paths}, {@code trim}, {@code latest}, {@code tests}). */
    public ImageSpec(Path source, String name, String version, String variant, List<RepositorySpec> repositories,
                     List<String> packages, List<String> archs, int user, String workdir, List<String> entrypoint,
                     List<String> cmd, Map<String, String> env, Map<String, String> labels, Layering layering,
                     Map<String, Variant> variants, boolean allowShell, boolean installWeakDeps,
                     List<ContentSpec> contents, Limits limits) {
        this(source, name, version, variant, repositories, packages, archs, user, workdir, entrypoint, cmd, env,
                labels, layering, variants, allowShell, installWeakDeps, contents, limits, null, List.of(), List.of(),
                List.of(), TrimSpec.NONE, false, List.of());
    }

    /** A definition with the default {@code limits:}. */
    public ImageSpec(Path source, String name, String version, String variant, List<RepositorySpec> repositories,
                     List<String> packages, List<String> archs, int user, String workdir, List<String> entrypoint,
                     List<String> cmd, Map<String, String> env, Map<String, String> labels, Layering layering,
                     Map<String, Variant> variants, boolean allowShell, boolean installWeakDeps,
                     List<ContentSpec> contents) {
        this(source, name, version, variant, repositories, packages, archs, user, workdir, entrypoint, cmd, env,
                labels, layering, variants, allowShell, installWeakDeps, contents, Limits.DEFAULT);
    }

    /** A definition without {@code contents:}. */
    public ImageSpec(Path source, String name, String version, String variant, List<RepositorySpec> repositories,
                     List<String> packages, List<String> archs, int user, String workdir, List<String> entrypoint,
                     List<String> cmd, Map<String, String> env, Map<String, String> labels, Layering layering,
                     Map<String, Variant> variants, boolean allowShell, boolean installWeakDeps) {
        this(source, name, version, variant, repositories, packages, archs, user, workdir, entrypoint, cmd, env,
                labels, layering, variants, allowShell, installWeakDeps, List.of());
    }

    /** The user distroless images run as. */
    public static final int NONROOT = 65532;
    public static final String NONROOT_HOME = "/home/nonroot";

    public ImageSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workdir, "workdir");
        Objects.requireNonNull(layering, "layering");
        repositories = List.copyOf(repositories);
        packages = List.copyOf(packages);
        archs = List.copyOf(archs);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = sorted(env);
        labels = sorted(labels);
        variants = sorted(variants);
        contents = List.copyOf(contents == null ? List.of() : contents);
        limits = limits == null ? Limits.DEFAULT : limits;
        volumes = List.copyOf(volumes == null ? List.of() : volumes);
        ports = List.copyOf(ports == null ? List.of() : ports);
        paths = List.copyOf(paths == null ? List.of() : paths);
        trim = trim == null ? TrimSpec.NONE : trim;
        tests = List.copyOf(tests == null ? List.of() : tests);
        if (user < 0) throw new IllegalArgumentException("user must not be negative: " + user);
        if (repositories.stream().map(RepositorySpec::type).distinct().count() > 1) {
            throw new IllegalArgumentException("repositories of different types in one image: " + name);
        }
    }

    /** The working directory an image gets when its definition names none. */
    public static String defaultWorkdir(int user) {
        return user == 0 ? "/" : NONROOT_HOME;
    }

    /** {@code deb} or {@code rpm}: the type of every repository. */
    public String repositoryType() {
        return repositories.isEmpty() ? RepositorySpec.DEB : repositories.get(0).type();
    }

    /** The OCI platforms of {@link #archs()}, in the same order. */
    public List<Platform> platforms() {
        return archs.stream().map(ImageSpec::platformOf).toList();
    }

    static Platform platformOf(String ociArch) {
        return ociArch.equals("arm") ? new Platform("linux", "arm", "v7") : Platform.ofArch(ociArch);
    }

    /** The names of the variants that exist (not those declared absent), sorted. */
    public Set<String> variantNames() {
        return new java.util.TreeSet<>(variants.values().stream().filter(v -> !v.isAbsent()).map(Variant::name).toList());
    }

    /** The directory of the definition (relative keyrings and the lockfile live there), or null if it has none. */
    public Path directory() {
        return source == null ? null : source.toAbsolutePath().getParent();
    }

    /**
     * The effective definition of variant {@code variantName}: packages plus {@code add} minus {@code remove};
     * user, allow-shell, entrypoint, cmd and workdir replaced where the variant sets them; env merged over the
     * base's; the variant's {@code contents:} after the base's. The name stays; {@link #variant()} names the variant and {@link #variants()} is empty.
     *
     * @throws SpecException naming the known variants when there is no such variant, or when the variant removes
     *                       a package the base does not have or adds one it already has
     */
    public ImageSpec withVariant(String variantName) {
        Objects.requireNonNull(variantName, "variantName");
        if (variant != null) {
            throw new SpecException(source, 0, "`" + name + "-" + variant + "` is already a variant; variants apply to the base definition");
        }
        Variant v = variantOf(variantName);
        List<String> pkgs = new ArrayList<>(packages);
        for (String r : v.remove()) {
            if (!pkgs.remove(r)) {
                throw new SpecException(source, v.line(), "variant `" + v.name() + "` removes `" + r + "`, which is not in `packages`");
            }
        }
        Set<String> present = new LinkedHashSet<>(pkgs);
        for (String a : v.add()) {
            if (!present.add(a)) {
                throw new SpecException(source, v.line(), "variant `" + v.name() + "` adds `" + a + "`, which is already in `packages`");
            }
        }
        Map<String, String> mergedEnv = new TreeMap<>(env);
        mergedEnv.putAll(v.env());
        return new ImageSpec(source, name, version, v.name(), repositories, List.copyOf(present), archs,
                v.user() != null ? v.user() : user,
                v.workdir() != null ? v.workdir() : workdir,
                v.entrypoint() != null ? v.entrypoint() : entrypoint,
                v.cmd() != null ? v.cmd() : cmd,
                mergedEnv, labels, layering, Map.of(),
                v.allowShell() != null ? v.allowShell() : allowShell,
                installWeakDeps, concat(contents, v.contents()), limits,
                v.main() != null ? v.main() : main,
                distinct(concat(volumes, v.volumes())), distinct(concat(ports, v.ports())), concat(paths, v.paths()),
                trim, latest, tests);
    }

    /**
     * The variant {@code variantName}: a declared one, or a combination of declared ones written with {@code -}
     * ({@code fips-builder} is {@code fips}, then {@code builder}), unless the combination itself is declared
     * (present or absent).
     *
     * @throws SpecException naming the variants that exist when there is no such variant or combination, or when it
     *                       (or one of its parts) is declared absent
     */
    public Variant variantOf(String variantName) {
        List<String> existing = variants.values().stream().filter(x -> !x.isAbsent()).map(Variant::name).toList();
        String known = existing.isEmpty() ? "this definition has no variants" : "known: " + String.join(", ", existing);
        Variant declared = variants.get(variantName);
        if (declared != null && declared.isAbsent()) {
            throw new SpecException(source, declared.line(), "variant `" + variantName + "` of " + name + " is declared absent: "
                    + declared.absent() + " (" + known + ")");
        }
        if (declared != null) return declared;
        List<Variant> parts = split(variantName);
        if (parts == null || parts.size() < 2) {
            throw new SpecException(source, 0, "unknown variant `" + variantName + "` (" + known
                    + (existing.size() > 1 ? "; combine them with `-`, such as `" + existing.get(0) + "-" + existing.get(1) + "`" : "") + ")");
        }
        for (Variant p : parts) {
            if (p.isAbsent()) {
                throw new SpecException(source, p.line(), "variant `" + variantName + "` of " + name + " combines `" + p.name()
                        + "`, which is declared absent: " + p.absent() + " (" + known + ")");
            }
        }
        return Variant.combine(variantName, parts);
    }

    /** {@code name} cut into declared variants ({@code fpm-builder} → fpm, builder), or null when it cannot be. */
    private List<Variant> split(String variantName) {
        if (variants.containsKey(variantName)) return List.of(variants.get(variantName));
        for (int i = variantName.indexOf('-'); i > 0; i = variantName.indexOf('-', i + 1)) {
            Variant head = variants.get(variantName.substring(0, i));
            if (head == null) continue;
            List<Variant> rest = split(variantName.substring(i + 1));
            if (rest != null) {
                List<Variant> out = new ArrayList<>();
                out.add(head);
                out.addAll(rest);
                return out;
            }
        }
        return null;
    }

    /** The flavours the catalog builds: the base (null), every declared variant, and each variant combined with
     *  {@code builder} ({@code fips-builder}) unless that combination is declared absent. */
    public List<String> flavours() {
        List<String> out = new ArrayList<>();
        out.add(null);
        out.addAll(variantNames());
        if (variantNames().contains("builder")) {
            for (String v : variantNames()) {
                String combined = v + "-builder";
                if (v.equals("builder") || v.endsWith("-builder") || variants.containsKey(combined)) continue;
                out.add(combined);
            }
        }
        return out;
    }

    /**
     * The canonical JSON of this (effective) definition: keys sorted, no source path, no line numbers, no
     * variants, packages sorted (their order does not matter); everything else as written.
     */
    public String canonicalJson() {
        return CanonicalJson.of(this);
    }

    /**
     * sha256 of {@link #canonicalJson()}: unchanged by reformatting the YAML or reordering its keys, changed by
     * any change to what the definition asks for. A lockfile records it ({@code specDigest}).
     */
    public Digest digest() {
        return Digest.sha256(canonicalJson().getBytes(StandardCharsets.UTF_8));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<String> distinct(List<String> l) {
        return List.copyOf(new LinkedHashSet<>(l));
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(m == null ? Map.of() : m));
    }
}
