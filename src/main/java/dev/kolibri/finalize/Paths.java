package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.spec.PathSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The definition's {@code paths:} entries, in their order: what a server package's maintainer scripts would do
 * (state directories owned by the service's user, log files sent to the console), done the same way every time.
 * <ul>
 *   <li>{@code directory}: made with missing parents (0755 root:root), or an existing one gets the owner and mode
 *       (default 0755); symlinks on the way are followed.</li>
 *   <li>{@code empty-file}: made empty, or an existing file keeps its content and gets the owner and mode (default
 *       0644).</li>
 *   <li>{@code symlink}: a link at exactly the path (its parents followed), replacing a file or a link there, never
 *       a directory; owned as given.</li>
 *   <li>{@code permissions}: the path must exist (symlinks followed); it gets the owner and, when given, the mode.
 *       A directory passes both down to everything below it: directories below get the mode, files below get it
 *       with the execute bits only where they had one (as {@code chmod -R u=rwX,g=rX}), links below the owner.</li>
 * </ul>
 * Every error names the entry's line in the definition. What this step changes is the image's own (owner {@code ""}
 * for new entries), so it lands in the image's last layer.
 */
public final class Paths implements Step {
    private final List<PathSpec> paths;

    public Paths(List<PathSpec> paths) {
        this.paths = List.copyOf(paths);
    }

    public List<PathSpec> paths() {
        return paths;
    }

    @Override
    public String name() {
        return "paths";
    }

    @Override
    public void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        for (PathSpec p : paths) {
            switch (p.type()) {
                case DIRECTORY -> directory(tree, p, ctx.epoch());
                case EMPTY_FILE -> emptyFile(tree, p, ctx.epoch());
                case SYMLINK -> symlink(tree, p, ctx.epoch());
                case PERMISSIONS -> permissions(tree, p, ctx.epoch());
            }
        }
    }

    private void directory(FileTree tree, PathSpec p, long epoch) throws FinalizeException {
        String at = real(tree, p);
        int mode = p.mode() != null ? p.mode() : 0755;
        FileEntry e = tree.get(at).orElse(null);
        if (e == null) {
            parents(tree, p, at, epoch);
            tree.put(FileEntry.directory(at, mode, p.uid(), p.gid(), epoch, ""));
        } else if (e.type() != EntryType.DIRECTORY) {
            throw fail(p, "/" + at + " is a " + kind(e) + from(e) + ", not a directory; change the entry's path or type");
        } else {
            fix(tree, e, mode, p.uid(), p.gid(), epoch);
        }
    }

    private void emptyFile(FileTree tree, PathSpec p, long epoch) throws FinalizeException {
        String at = real(tree, p);
        int mode = p.mode() != null ? p.mode() : 0644;
        FileEntry e = tree.get(at).orElse(null);
        if (e == null) {
            parents(tree, p, at, epoch);
            tree.put(FileEntry.file(at, mode, p.uid(), p.gid(), epoch, new byte[0], ""));
        } else if (e.type() == EntryType.FILE) {
            fix(tree, e, mode, p.uid(), p.gid(), epoch);
        } else {
            throw fail(p, "/" + at + " is a " + kind(e) + from(e) + ", not a file; change the entry's path or type");
        }
    }

    private void symlink(FileTree tree, PathSpec p, long epoch) throws FinalizeException {
        String rel = p.path().substring(1);
        String at = tree.resolveParent(rel).filter(s -> !s.isEmpty())
                .orElseThrow(() -> fail(p, p.path() + " has a symlink loop in its parent directories; fix the package that ships it"));
        FileEntry e = tree.get(at).orElse(null);
        if (e != null && e.type() == EntryType.SYMLINK && e.linkTarget().equals(p.target())
                && e.uid() == p.uid() && e.gid() == p.gid()) {
            return;
        }
        if (e != null) {
            if (e.type() == EntryType.DIRECTORY) {
                throw fail(p, "/" + at + " is a directory" + from(e) + "; a symlink replaces only a file or a link, so point the entry at a file");
            }
            for (FileEntry other : tree.entries()) {
                if (other.type() == EntryType.HARDLINK && at.equals(other.linkTarget())) {
                    throw fail(p, "/" + at + " has a hard link at /" + other.path() + "; replace that path instead, or both");
                }
            }
            tree.remove(at);
        } else {
            parents(tree, p, at, epoch);
        }
        tree.put(FileEntry.symlink(at, p.target(), p.uid(), p.gid(), epoch, ""));
    }

    private void permissions(FileTree tree, PathSpec p, long epoch) throws FinalizeException {
        String at = real(tree, p);
        FileEntry e = tree.get(at).orElseThrow(() -> fail(p, p.path() + " is not in the image; add the package that ships it, "
                + "or make it with type `directory` or `empty-file`"));
        Integer mode = p.mode();
        fix(tree, e, mode != null ? mode : e.mode(), p.uid(), p.gid(), epoch);
        if (e.type() != EntryType.DIRECTORY) return;
        List<FileEntry> below = new ArrayList<>(tree.under(at));
        for (FileEntry b : below) {
            int m = switch (b.type()) {
                case DIRECTORY -> mode != null ? mode : b.mode();
                case FILE -> mode != null ? (mode & ~0111) | ((b.mode() & 0111) != 0 ? mode & 0111 : 0) : b.mode();
                default -> b.mode();
            };
            fix(tree, b, m, p.uid(), p.gid(), epoch);
        }
    }

    /** Gives {@code e} this mode and owner, with the epoch as its time when anything changed. */
    private static void fix(FileTree tree, FileEntry e, int mode, int uid, int gid, long epoch) {
        if (e.mode() == mode && e.uid() == uid && e.gid() == gid) return;
        tree.put(e.withMode(mode).withOwnerIds(uid, gid).withMtime(epoch));
    }

    /** The entry's path with every symlink in it followed inside the tree (relative, never the root). */
    private String real(FileTree tree, PathSpec p) throws FinalizeException {
        Optional<String> r = tree.resolve(p.path().substring(1));
        if (r.isEmpty()) throw fail(p, p.path() + " is a symlink loop; fix the package that ships it");
        if (r.get().isEmpty()) throw fail(p, p.path() + " resolves to the root directory; change the entry's path");
        return r.get();
    }

    /** Missing parents of the resolved path {@code at}: directories 0755 root:root; a non-directory on the way fails. */
    private void parents(FileTree tree, PathSpec p, String at, long epoch) throws FinalizeException {
        int slash = at.lastIndexOf('/');
        if (slash <= 0) return;
        String parent = at.substring(0, slash);
        String real = tree.resolve(parent).orElseThrow(() -> fail(p, "/" + parent + " is a symlink loop; fix the package that ships it"));
        FileEntry e = tree.get(real).orElse(null);
        if (e == null) {
            parents(tree, p, real, epoch);
            tree.put(FileEntry.directory(real, 0755, 0, 0, epoch, ""));
        } else if (e.type() != EntryType.DIRECTORY) {
            throw fail(p, "/" + real + " is a " + kind(e) + from(e) + ", so " + p.path() + " cannot be made below it");
        }
    }

    private FinalizeException fail(PathSpec p, String message) {
        return new FinalizeException(name(), "`paths:` entry at line " + p.line() + " (" + p.type().id() + " " + p.path()
                + "): " + message);
    }

    private static String kind(FileEntry e) {
        return switch (e.type()) {
            case FILE, HARDLINK -> "file";
            case SYMLINK -> "symlink";
            case DIRECTORY -> "directory";
            default -> e.type().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String from(FileEntry e) {
        return e.owner().isEmpty() ? "" : " (from package " + e.owner() + ")";
    }
}
