package dev.kolibri.fs;

import java.util.Objects;

/**
 * One entry of a root file system.
 *
 * @param path       normalized relative path: no leading {@code /} or {@code ./}, no trailing {@code /}, no
 *                   {@code .} or {@code ..} segments, never empty (e.g. {@code usr/bin/python3})
 * @param type       directory, regular file, symlink or hardlink
 * @param mode       permission bits including setuid, setgid and sticky ({@code 07777} mask), without type bits
 * @param uid        numeric owner
 * @param gid        numeric group
 * @param mtime      modification time, seconds since the epoch
 * @param linkTarget symlink target as written in the package (may be absolute or relative), or for a hardlink the
 *                   normalized path of the file it links to; null otherwise
 * @param data       file content for {@link EntryType#FILE} (in memory or a region of a file on disk, see
 *                   {@link Content}); null otherwise
 * @param owner      name of the package that installed it, or {@code ""} for files the image build itself made
 */
public record FileEntry(String path, EntryType type, int mode, int uid, int gid, long mtime, String linkTarget,
                        Content data, String owner) {

    public FileEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(owner, "owner");
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("not a normalized path: '" + path + "'");
        }
        if ((type == EntryType.FILE) != (data != null)) {
            throw new IllegalArgumentException(path + ": content must be set exactly for regular files");
        }
        if ((type == EntryType.SYMLINK || type == EntryType.HARDLINK) != (linkTarget != null)) {
            throw new IllegalArgumentException(path + ": link target must be set exactly for links");
        }
        mode &= 07777;
    }

    public static FileEntry directory(String path, int mode, int uid, int gid, long mtime, String owner) {
        return new FileEntry(path, EntryType.DIRECTORY, mode, uid, gid, mtime, null, null, owner);
    }

    public static FileEntry file(String path, int mode, int uid, int gid, long mtime, byte[] content, String owner) {
        return new FileEntry(path, EntryType.FILE, mode, uid, gid, mtime, null, Content.of(content), owner);
    }

    public static FileEntry file(String path, int mode, int uid, int gid, long mtime, Content data, String owner) {
        return new FileEntry(path, EntryType.FILE, mode, uid, gid, mtime, null, Objects.requireNonNull(data), owner);
    }

    public static FileEntry symlink(String path, String target, int uid, int gid, long mtime, String owner) {
        return new FileEntry(path, EntryType.SYMLINK, 0777, uid, gid, mtime, target, null, owner);
    }

    public long size() {
        return data == null ? 0 : data.size();
    }

    /**
     * The whole content of a regular file as an array (null for other types): for the small files finalize steps
     * and database readers read. Large files are read by streaming {@link #data()}.
     */
    public byte[] content() {
        return data == null ? null : data.bytes();
    }

    public FileEntry withMode(int newMode) {
        return new FileEntry(path, type, newMode, uid, gid, mtime, linkTarget, data, owner);
    }

    public FileEntry withOwnerIds(int newUid, int newGid) {
        return new FileEntry(path, type, mode, newUid, newGid, mtime, linkTarget, data, owner);
    }

    public FileEntry withContent(byte[] newContent) {
        return new FileEntry(path, EntryType.FILE, mode, uid, gid, mtime, null, Content.of(newContent), owner);
    }

    public FileEntry withData(Content newData) {
        return new FileEntry(path, EntryType.FILE, mode, uid, gid, mtime, null, Objects.requireNonNull(newData), owner);
    }

    public FileEntry withMtime(long newMtime) {
        return new FileEntry(path, type, mode, uid, gid, newMtime, linkTarget, data, owner);
    }

    /** Equal in everything but time: what decides whether two packages conflict on a path. */
    public boolean sameContentAs(FileEntry o) {
        return type == o.type && mode == o.mode && uid == o.uid && gid == o.gid
                && Objects.equals(linkTarget, o.linkTarget) && Content.same(data, o.data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileEntry e && path.equals(e.path) && mtime == e.mtime && owner.equals(e.owner)
                && sameContentAs(e);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, type, mode, uid, gid, mtime, linkTarget, size(), owner);
    }

    @Override
    public String toString() {
        return type + " " + path + " " + Integer.toOctalString(mode) + " " + uid + ":" + gid
                + (linkTarget == null ? "" : " -> " + linkTarget) + (data == null ? "" : " (" + data.size() + " bytes)");
    }
}
