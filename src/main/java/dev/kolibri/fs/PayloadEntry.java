package dev.kolibri.fs;

import java.util.Objects;

/**
 * What a package archive says about one member, before any safety check: nothing here is trusted yet.
 * {@link Installer} turns these into {@link FileEntry}s.
 *
 * @param path       the member name exactly as in the archive (e.g. {@code ./usr/bin/x}, possibly hostile)
 * @param kind       what the member is
 * @param mode       permission bits ({@code 07777} mask), without type bits
 * @param uid        numeric owner from the archive
 * @param gid        numeric group from the archive
 * @param userName   owner name from the archive ({@code ""} when absent)
 * @param groupName  group name from the archive ({@code ""} when absent)
 * @param mtime      modification time, seconds since the epoch
 * @param linkTarget raw target of a symlink or hardlink as in the archive; null for other kinds
 * @param data       content of a regular file (see {@link Content}); null for other kinds
 */
public record PayloadEntry(String path, Kind kind, int mode, int uid, int gid, String userName, String groupName,
                           long mtime, String linkTarget, Content data) {

    /** Member kinds an archive can hold; only the first four ever reach a {@link FileTree}. */
    public enum Kind { DIRECTORY, FILE, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, OTHER }

    public PayloadEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        userName = userName == null ? "" : userName;
        groupName = groupName == null ? "" : groupName;
        if ((kind == Kind.FILE) != (data != null)) {
            throw new IllegalArgumentException(path + ": content must be set exactly for regular files");
        }
        if ((kind == Kind.SYMLINK || kind == Kind.HARDLINK) != (linkTarget != null)) {
            throw new IllegalArgumentException(path + ": link target must be set exactly for links");
        }
        mode &= 07777;
    }

    public static PayloadEntry directory(String path, int mode, long mtime) {
        return new PayloadEntry(path, Kind.DIRECTORY, mode, 0, 0, "root", "root", mtime, null, null);
    }

    public static PayloadEntry file(String path, int mode, long mtime, byte[] content) {
        return new PayloadEntry(path, Kind.FILE, mode, 0, 0, "root", "root", mtime, null, Content.of(content));
    }

    /** The same member with its content elsewhere (the payload cache keeps it on disk). */
    public PayloadEntry withData(Content newData) {
        return new PayloadEntry(path, kind, mode, uid, gid, userName, groupName, mtime, linkTarget, newData);
    }

    public static PayloadEntry symlink(String path, String target, long mtime) {
        return new PayloadEntry(path, Kind.SYMLINK, 0777, 0, 0, "root", "root", mtime, target, null);
    }

    public static PayloadEntry hardlink(String path, String target, long mtime) {
        return new PayloadEntry(path, Kind.HARDLINK, 0644, 0, 0, "root", "root", mtime, target, null);
    }

    /** A member with no content: a device node, fifo or anything else the installer drops. */
    public static PayloadEntry special(String path, Kind kind, int mode, long mtime) {
        if (kind == Kind.FILE || kind == Kind.SYMLINK || kind == Kind.HARDLINK) {
            throw new IllegalArgumentException(path + ": " + kind + " is not a special member");
        }
        return new PayloadEntry(path, kind, mode, 0, 0, "root", "root", mtime, null, null);
    }

    public long size() {
        return data == null ? 0 : data.size();
    }

    /** The whole content of a regular file as an array (null for other kinds); for small files and tests. */
    public byte[] content() {
        return data == null ? null : data.bytes();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PayloadEntry e && path.equals(e.path) && kind == e.kind && mode == e.mode && uid == e.uid
                && gid == e.gid && userName.equals(e.userName) && groupName.equals(e.groupName) && mtime == e.mtime
                && Objects.equals(linkTarget, e.linkTarget) && Content.same(data, e.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, kind, mode, uid, gid, userName, groupName, mtime, linkTarget,
                size());
    }

    @Override
    public String toString() {
        return kind + " " + path + " " + Integer.toOctalString(mode) + " " + uid + ":" + gid
                + (linkTarget == null ? "" : " -> " + linkTarget) + (data == null ? "" : " (" + data.size() + " bytes)");
    }
}
