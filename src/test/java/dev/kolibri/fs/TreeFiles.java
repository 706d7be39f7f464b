package dev.kolibri.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Test helper: writes a {@link FileTree} out as real files, so outside tools (md5sum, dpkg-query) can read it. */
public final class TreeFiles {
    private TreeFiles() {}

    public static void materialize(FileTree tree, Path root) throws IOException {
        for (FileEntry e : tree.entries()) {
            Path p = root.resolve(e.path());
            switch (e.type()) {
                case DIRECTORY -> Files.createDirectories(p);
                case FILE -> Files.write(p, e.content());
                case SYMLINK -> Files.createSymbolicLink(p, Path.of(e.linkTarget()));
                case HARDLINK -> Files.createLink(p, root.resolve(e.linkTarget()));
            }
            if (e.type() == EntryType.FILE || e.type() == EntryType.DIRECTORY) {
                Files.setPosixFilePermissions(p, permissions(e.mode()));
            }
        }
    }

    /** The rwx bits of {@code mode} (setuid, setgid and sticky are not settable through this API). */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) if ((mode & (0400 >> i)) != 0) out.add(all[i]);
        return out;
    }
}
