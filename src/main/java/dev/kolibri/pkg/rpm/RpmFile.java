package dev.kolibri.pkg.rpm;

/**
 * One file as the main header describes it (rpm's file info arrays at one index).
 *
 * @param path   absolute path as rpm spells it ({@code /usr/bin/hello})
 * @param mode   st_mode with the type bits ({@code 0100755}, {@code 040755}, {@code 0120777}, ...)
 * @param size   size in bytes (FILESIZES or LONGFILESIZES)
 * @param user   owner name (FILEUSERNAME; {@code root} when absent)
 * @param group  group name (FILEGROUPNAME; {@code root} when absent)
 * @param mtime  modification time, seconds since the epoch
 * @param linkTo symlink target ({@code ""} for other kinds)
 * @param flags  FILEFLAGS bits ({@link RpmTags#FILE_CONFIG}, {@link RpmTags#FILE_GHOST}, ...)
 * @param digest hex digest per FILEDIGESTALGO ({@code ""} for non-regular files)
 * @param device FILEDEVICES value (with {@code inode}: which files are hardlinks of each other)
 * @param inode  FILEINODES value
 */
public record RpmFile(String path, int mode, long size, String user, String group, long mtime, String linkTo,
                      int flags, String digest, long device, long inode) {
    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;

    public boolean isGhost() {
        return (flags & RpmTags.FILE_GHOST) != 0;
    }

    public boolean isConfig() {
        return (flags & RpmTags.FILE_CONFIG) != 0;
    }

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isRegular() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** Permission bits including setuid, setgid and sticky. */
    public int permissions() {
        return mode & 07777;
    }
}
