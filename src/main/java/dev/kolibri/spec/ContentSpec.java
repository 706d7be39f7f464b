package dev.kolibri.spec;

import java.util.Objects;

/**
 * One {@code contents:} entry: local files copied into the image, in a layer of their own above the packages
 * ({@code {from: app/, to: /app, owner: "65532:65532", mode: "0644"}}).
 *
 * @param from    the source, relative to the definition's directory, as written (a file, or a directory whose
 *                tree is copied under {@code to}); never absolute, never climbing out of the directory
 * @param to      the absolute destination in the image, normalized (no {@code .}/{@code ..}, no doubled {@code /});
 *                a trailing {@code /} is kept, and puts a file source into that directory under its own name
 * @param uid     owner of everything the entry adds (default 0)
 * @param gid     group of everything the entry adds (default 0)
 * @param mode    permission bits for every regular file the entry adds, or null: then 0755 when the source's owner
 *                execute bit is set, else 0644 (directories are always 0755)
 * @param replace whether the entry may replace a file a package installed (default false)
 * @param line    1-based line of the entry in its definition, for messages; not part of the digest
 */
public record ContentSpec(String from, String to, int uid, int gid, Integer mode, boolean replace, int line) {
    public ContentSpec {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.startsWith("/")) throw new IllegalArgumentException("`to` must be absolute: " + to);
        if (uid < 0 || gid < 0) throw new IllegalArgumentException("owner must not be negative: " + uid + ":" + gid);
        if (mode != null && (mode < 0 || mode > 07777)) throw new IllegalArgumentException("mode out of range: " + mode);
    }

    /** {@code UID:GID}, as the definition writes it. */
    public String owner() {
        return uid + ":" + gid;
    }

    /** The mode as four octal digits ({@code 0644}), or null. */
    public String modeOctal() {
        return mode == null ? null : String.format("%04o", mode);
    }
}
