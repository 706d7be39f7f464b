package dev.kolibri.spec;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A variant of an image: the base definition plus a change ({@code builder: {add: [bash], user: 0, allow-shell: true}}).
 * Null fields leave the base as it is.
 *
 * @param name       the variant's name; the image's tag suffix ({@code -builder}) and lockfile suffix
 * @param add        packages added to the base's
 * @param remove     packages taken out of the base's (each must be in the base)
 * @param user       the user to run as, or null
 * @param allowShell whether a shell may be in the image, or null
 * @param entrypoint the entrypoint, or null
 * @param cmd        the command, or null
 * @param env        variables merged over the base's (sorted)
 * @param workdir    the working directory, or null
 * @param contents   {@code contents:} entries appended to the base's
 * @param absent     why this variant is declared absent ({@code fips: {absent: "..."}}): it makes no sense for the
 *                   image and is refused by name; null for a variant that exists
 * @param line       1-based line of the variant in its definition, for messages; not part of the digest
 * @param main       the main package of this variant ({@code php8.4-fpm} for {@code fpm}), or null
 * @param ports      ports added to the base's
 * @param volumes    volumes added to the base's
 * @param paths      {@code paths:} entries after the base's
 */
public record Variant(
        String name,
        List<String> add,
        List<String> remove,
        Integer user,
        Boolean allowShell,
        List<String> entrypoint,
        List<String> cmd,
        Map<String, String> env,
        String workdir,
        List<ContentSpec> contents,
        String absent,
        int line,
        String main,
        List<String> ports,
        List<String> volumes,
        List<PathSpec> paths) {

    /** A variant without the catalog's keys. */
    public Variant(String name, List<String> add, List<String> remove, Integer user, Boolean allowShell,
                   List<String> entrypoint, List<String> cmd, Map<String, String> env, String workdir,
                   List<ContentSpec> contents, String absent, int line) {
        this(name, add, remove, user, allowShell, entrypoint, cmd, env, workdir, contents, absent, line, null,
                List.of(), List.of(), List.of());
    }

    /** A variant that exists. */
    public Variant(String name, List<String> add, List<String> remove, Integer user, Boolean allowShell,
                   List<String> entrypoint, List<String> cmd, Map<String, String> env, String workdir,
                   List<ContentSpec> contents, int line) {
        this(name, add, remove, user, allowShell, entrypoint, cmd, env, workdir, contents, null, line);
    }

    /** A variant without {@code contents:}. */
    public Variant(String name, List<String> add, List<String> remove, Integer user, Boolean allowShell,
                   List<String> entrypoint, List<String> cmd, Map<String, String> env, String workdir, int line) {
        this(name, add, remove, user, allowShell, entrypoint, cmd, env, workdir, List.of(), line);
    }

    /** A variant declared absent, with the reason. */
    public static Variant absent(String name, String reason, int line) {
        return new Variant(name, null, null, null, null, null, null, null, null, null, Objects.requireNonNull(reason), line);
    }

    /** Whether the definition declares this variant absent. */
    public boolean isAbsent() {
        return absent != null;
    }

    public Variant {
        Objects.requireNonNull(name, "name");
        add = List.copyOf(add == null ? List.of() : add);
        remove = List.copyOf(remove == null ? List.of() : remove);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        contents = List.copyOf(contents == null ? List.of() : contents);
        env = Collections.unmodifiableSortedMap(new TreeMap<>(env == null ? Map.of() : env));
        ports = List.copyOf(ports == null ? List.of() : ports);
        volumes = List.copyOf(volumes == null ? List.of() : volumes);
        paths = List.copyOf(paths == null ? List.of() : paths);
    }

    /**
     * The variants {@code parts} applied in order, as one variant named {@code name}: packages added and removed by
     * each (once), lists appended, environments merged, and each single setting (user, shell, entrypoint, command,
     * working directory, main package) from the last part that sets it.
     */
    public static Variant combine(String name, List<Variant> parts) {
        java.util.LinkedHashSet<String> add = new java.util.LinkedHashSet<>();
        java.util.LinkedHashSet<String> remove = new java.util.LinkedHashSet<>();
        java.util.LinkedHashSet<String> ports = new java.util.LinkedHashSet<>();
        java.util.LinkedHashSet<String> volumes = new java.util.LinkedHashSet<>();
        java.util.List<ContentSpec> contents = new java.util.ArrayList<>();
        java.util.List<PathSpec> paths = new java.util.ArrayList<>();
        Map<String, String> env = new TreeMap<>();
        Integer user = null;
        Boolean allowShell = null;
        List<String> entrypoint = null;
        List<String> cmd = null;
        String workdir = null;
        String main = null;
        for (Variant p : parts) {
            add.addAll(p.add);
            remove.addAll(p.remove);
            ports.addAll(p.ports);
            volumes.addAll(p.volumes);
            contents.addAll(p.contents);
            paths.addAll(p.paths);
            env.putAll(p.env);
            if (p.user != null) user = p.user;
            if (p.allowShell != null) allowShell = p.allowShell;
            if (p.entrypoint != null) entrypoint = p.entrypoint;
            if (p.cmd != null) cmd = p.cmd;
            if (p.workdir != null) workdir = p.workdir;
            if (p.main != null) main = p.main;
        }
        add.removeAll(remove);
        return new Variant(name, List.copyOf(add), List.copyOf(remove), user, allowShell, entrypoint, cmd, env, workdir,
                contents, null, parts.get(0).line, main, List.copyOf(ports), List.copyOf(volumes), paths);
    }
}
