package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.util.Arrays;
import java.util.Optional;

/** Small, idempotent tree edits shared by the steps. Paths are relative ({@code etc/passwd}). */
final class Trees {
    private Trees() {}

    /** Where {@code path} really is: symlinks in it (including the last component) followed inside the tree. */
    static String real(FileTree tree, String path, String step) throws FinalizeException {
        Optional<String> r = tree.resolve(path);
        if (r.isEmpty()) throw new FinalizeException(step, "/" + path + " is a symlink loop; fix the package that ships it");
        if (r.get().isEmpty()) throw new FinalizeException(step, "/" + path + " resolves to the root directory; fix the package that ships it");
        return r.get();
    }

    /** The regular file at {@code path} after following symlinks, if there is one. */
    static Optional<FileEntry> file(FileTree tree, String path) {
        return tree.resolve(path).flatMap(tree::get).flatMap(e -> switch (e.type()) {
            case FILE -> Optional.of(e);
            case HARDLINK -> tree.get(e.linkTarget()).filter(t -> t.type() == EntryType.FILE);
            default -> Optional.empty();
        });
    }

    static boolean isDirectory(FileTree tree, String path) {
        return tree.resolve(path).flatMap(tree::get).map(e -> e.type() == EntryType.DIRECTORY).orElse(false);
    }

    /**
     * Makes {@code path} a directory (parents 0755 root:root) and, when {@code fix}, gives it exactly this mode and
     * owner. Existing directories keep their mtime unless they had to change.
     */
    static void directory(FileTree tree, String path, int mode, int uid, int gid, boolean fix, long epoch, String step)
            throws FinalizeException {
        String at = real(tree, path, step);
        FileEntry e = tree.get(at).orElse(null);
        if (e == null) {
            parents(tree, at, epoch, step);
            tree.put(FileEntry.directory(at, mode, uid, gid, epoch, ""));
        } else if (e.type() != EntryType.DIRECTORY) {
            String pkg = e.owner().isEmpty() ? "" : " (from package " + e.owner() + ")";
            throw new FinalizeException(step, "/" + at + " must be a directory but is a " + e.type().name().toLowerCase()
                    + pkg + "; remove the package that ships it");
        } else if (fix && (e.mode() != mode || e.uid() != uid || e.gid() != gid)) {
            tree.put(e.withMode(mode).withOwnerIds(uid, gid).withMtime(epoch));
        }
    }

    /**
     * Writes a regular file at {@code path} (following symlinks). An existing file keeps its mode, ids and owner,
     * and is left alone entirely when the bytes are already these; a new one is {@code mode} root:root, owner "".
     */
    static void write(FileTree tree, String path, byte[] content, int mode, long epoch, String step) throws FinalizeException {
        String at = real(tree, path, step);
        FileEntry e = tree.get(at).orElse(null);
        if (e == null) {
            parents(tree, at, epoch, step);
            tree.put(FileEntry.file(at, mode, 0, 0, epoch, content, ""));
        } else if (e.type() == EntryType.FILE) {
            if (!Arrays.equals(e.content(), content)) tree.put(e.withContent(content).withMtime(epoch));
        } else {
            throw new FinalizeException(step, "/" + at + " must be a regular file but is a " + e.type().name().toLowerCase()
                    + (e.owner().isEmpty() ? "" : " (from package " + e.owner() + ")"));
        }
    }

    /** Puts a symlink at exactly {@code path} (parents followed), replacing a symlink there; never replaces other types. */
    static void symlink(FileTree tree, String path, String target, long epoch, String step) throws FinalizeException {
        String at = tree.resolveParent(path).filter(p -> !p.isEmpty())
                .orElseThrow(() -> new FinalizeException(step, "/" + path + " has a symlink loop in its parents"));
        FileEntry e = tree.get(at).orElse(null);
        if (e != null && e.type() == EntryType.SYMLINK && e.linkTarget().equals(target)) return;
        if (e != null && e.type() != EntryType.SYMLINK) {
            throw new FinalizeException(step, "/" + at + " is a " + e.type().name().toLowerCase() + ", not a symlink; cannot link it to " + target);
        }
        if (e == null) parents(tree, at, epoch, step);
        tree.put(FileEntry.symlink(at, target, 0, 0, epoch, ""));
    }

    /** Makes the parent directories of the already resolved path {@code at} (0755 root:root where missing). */
    private static void parents(FileTree tree, String at, long epoch, String step) throws FinalizeException {
        int slash = at.lastIndexOf('/');
        if (slash > 0) directory(tree, at.substring(0, slash), 0755, 0, 0, false, epoch, step);
    }
}
