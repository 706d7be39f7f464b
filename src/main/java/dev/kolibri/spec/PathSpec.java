package dev.kolibri.spec;

import java.util.Objects;

/**
 * One {@code paths:} entry: a directory, an empty file or a symbolic link that {@code finalize} makes, or the owner
 * and mode it sets on a path a package installed, the same way every time (what a package's maintainer scripts
 * would have done: {@code {path: /var/lib/postgresql, type: directory, owner: "65532:65532", mode: "0700"}}).
 *
 * @param path   the absolute path in the image, normalized
 * @param type   what to make
 * @param uid    owner (default 0)
 * @param gid    group (default 0)
 * @param mode   permission bits, or null: 0755 for a directory, 0644 for a file, the existing mode for
 *               {@link Type#PERMISSIONS}
 * @param target a symbolic link's target (only for {@link Type#SYMLINK})
 * @param line   1-based line in the definition, for messages; not part of the digest
 */
public record PathSpec(String path, Type type, int uid, int gid, Integer mode, String target, int line) {
    /** What a {@code paths:} entry makes. */
    public enum Type {
        /** A directory (and its missing parents, 0755 root); an existing directory gets the owner and mode. */
        DIRECTORY("directory"),
        /** An empty regular file; an existing file keeps its content and gets the owner and mode. */
        EMPTY_FILE("empty-file"),
        /** A symbolic link to {@code target}, replacing a file (never a directory) at the path. */
        SYMLINK("symlink"),
        /** The owner and mode of an existing path, recursively for a directory. */
        PERMISSIONS("permissions");

        private final String id;

        Type(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Type ofId(String id) {
            for (Type t : values()) if (t.id.equals(id)) return t;
            return null;
        }
    }

    public PathSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        if (!path.startsWith("/")) throw new IllegalArgumentException("path must be absolute: " + path);
        if ((type == Type.SYMLINK) != (target != null)) {
            throw new IllegalArgumentException("a symlink, and only a symlink, has a target: " + path);
        }
        if (uid < 0 || gid < 0) throw new IllegalArgumentException("owner must not be negative: " + uid + ":" + gid);
        if (mode != null && (mode < 0 || mode > 07777)) throw new IllegalArgumentException("mode out of range: " + mode);
    }

    /** {@code UID:GID}. */
    public String owner() {
        return uid + ":" + gid;
    }
}
