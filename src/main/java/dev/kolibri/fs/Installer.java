package dev.kolibri.fs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Installs one package's payload into a {@link FileTree}, refusing anything that could write outside the tree or
 * over another package's files. All-or-nothing: when a member is refused (or the source fails while streaming),
 * the tree is put back exactly as it was before the call.
 *
 * <p>Rules, in the order they are applied to each member:
 * <ul>
 *   <li>A name or link target that holds a newline (dpkg refuses those) or is not valid UTF-8 (see
 *       {@link MemberNames}) is refused: names are kept exactly or not at all.</li>
 *   <li>The name is normalized ({@code ./}, leading {@code /}, {@code //}, {@code .}, inner {@code ..}); a name
 *       whose {@code ..} climbs above the root is refused. Absolute names thus land inside the tree.</li>
 *   <li>Device nodes, fifos and other specials are dropped with a warning.</li>
 *   <li>Every ancestor directory must be a real directory in the tree. A missing one is created (0755, root, the
 *       member's mtime, owned by the package). A symlink among the ancestors is refused: nothing is ever written
 *       through a symlink, even one that points inside the tree (strict; see docs/parts/debfs.md). A file among
 *       the ancestors is a conflict.</li>
 *   <li>A directory installed twice keeps the first one's metadata (as dpkg does). A directory over a symlink
 *       that resolves to a directory keeps the symlink (as dpkg does), with a warning.</li>
 *   <li>A file, symlink or hardlink over another package's entry is allowed only when
 *       {@link FileEntry#sameContentAs} holds (shared files of {@code Multi-Arch: same} packages); otherwise
 *       {@link FileConflictException}. A later member of the same package replaces an earlier one.</li>
 *   <li>A hardlink's target is normalized like a name and must be a regular file this same payload installed
 *       earlier.</li>
 *   <li>Numeric uid/gid come from the archive; names are ignored. Regular files with setuid or setgid are
 *       reported.</li>
 * </ul>
 */
public final class Installer {

    public InstallReport install(FileTree tree, String owner, PayloadSource source) {
        Run run = new Run(tree, owner);
        try {
            source.forEachEntry(run::accept);
        } catch (RuntimeException | Error e) {
            run.rollback();
            throw e;
        }
        return run.report();
    }

    /** The state of one {@link #install} call. */
    private static final class Run {
        private final FileTree tree;
        private final String owner;
        private final Map<String, Optional<FileEntry>> before = new LinkedHashMap<>();
        private final Set<String> ownFiles = new HashSet<>();
        private final Set<String> paths = new LinkedHashSet<>();
        private final List<String> warnings = new ArrayList<>();
        private final Set<String> setuid = new TreeSet<>();
        private final Set<String> dropped = new TreeSet<>();
        private final List<String> created = new ArrayList<>();
        private int files;
        private long bytes;

        Run(FileTree tree, String owner) {
            this.tree = tree;
            this.owner = owner;
        }

        void accept(PayloadEntry m) {
            String bad = MemberNames.problem(m.path());
            if (bad != null) throw unsafe(m, bad);
            if (m.linkTarget() != null && (bad = MemberNames.problem(m.linkTarget())) != null) {
                throw unsafe(m, "its link target '" + MemberNames.printable(m.linkTarget()) + "': " + bad);
            }
            String path = PayloadPaths.normalize(m.path()).orElseThrow(() -> unsafe(m,
                    "its path climbs out of the root with '..'"));
            switch (m.kind()) {
                case CHAR_DEVICE, BLOCK_DEVICE, FIFO, OTHER -> {
                    dropped.add(path.isEmpty() ? "/" : path);
                    String what = switch (m.kind()) {
                        case CHAR_DEVICE -> "character device";
                        case BLOCK_DEVICE -> "block device";
                        case FIFO -> "fifo";
                        default -> "special file";
                    };
                    warnings.add(owner + ": dropped " + what + " '"
                            + m.path() + "' (device nodes, fifos and special files are never installed)");
                    return;
                }
                default -> { }
            }
            if (path.isEmpty()) {
                if (m.kind() == PayloadEntry.Kind.DIRECTORY) return; // the root itself: nothing to record
                throw unsafe(m, "it would replace the root directory");
            }
            ensureParents(m, path);
            switch (m.kind()) {
                case DIRECTORY -> directory(m, path);
                case FILE -> place(m, FileEntry.file(path, m.mode(), m.uid(), m.gid(), m.mtime(), m.data(), owner));
                case SYMLINK -> {
                    if (m.linkTarget().isEmpty()) throw unsafe(m, "it is a symlink with an empty target");
                    place(m, FileEntry.symlink(path, m.linkTarget(), m.uid(), m.gid(), m.mtime(), owner));
                }
                case HARDLINK -> place(m, hardlink(m, path));
                default -> throw new IllegalStateException(m.kind().toString());
            }
        }

        private void ensureParents(PayloadEntry m, String path) {
            for (String dir : PayloadPaths.ancestors(path)) {
                FileEntry e = tree.get(dir).orElse(null);
                if (e == null) {
                    put(FileEntry.directory(dir, 0755, 0, 0, m.mtime(), owner));
                    created.add(dir);
                    paths.add(dir);
                } else if (e.type() == EntryType.SYMLINK) {
                    throw unsafe(m, "its parent '/" + dir + "' is a symlink (-> " + e.linkTarget() + ") installed by "
                            + who(e) + "; writing through symlinks is refused");
                } else if (e.type() != EntryType.DIRECTORY) {
                    throw new FileConflictException(dir, e.owner(), owner, "file conflict at '/" + dir + "': package '"
                            + owner + "' needs a directory there (for member '" + m.path() + "') but " + who(e)
                            + " installed a " + e.type().name().toLowerCase());
                }
            }
            // The walk above proves every ancestor is a real directory; the resolver must agree.
            Optional<String> resolved = tree.resolveParent(path);
            if (resolved.isEmpty() || !resolved.get().equals(path)) {
                throw unsafe(m, "its parent resolves to '/" + resolved.orElse("?") + "' rather than itself");
            }
        }

        private void directory(PayloadEntry m, String path) {
            FileEntry e = tree.get(path).orElse(null);
            if (e == null) {
                put(FileEntry.directory(path, m.mode(), m.uid(), m.gid(), m.mtime(), owner));
            } else if (e.type() == EntryType.SYMLINK) {
                Optional<String> to = tree.resolve(path);
                boolean toDir = to.flatMap(tree::get).map(t -> t.type() == EntryType.DIRECTORY).orElse(false);
                if (!toDir) {
                    throw conflict(m, path, e, "a directory");
                }
                warnings.add(owner + ": kept symlink '/" + path + "' -> " + e.linkTarget() + " (from " + who(e)
                        + ") where the package has a directory");
            } else if (e.type() != EntryType.DIRECTORY) {
                throw conflict(m, path, e, "a directory");
            }
            paths.add(path);
        }

        private void place(PayloadEntry m, FileEntry next) {
            String path = next.path();
            FileEntry e = tree.get(path).orElse(null);
            if (e != null && !(e.owner().equals(owner) && before.containsKey(path))) {
                if (e.type() == EntryType.DIRECTORY || !e.sameContentAs(next)) {
                    throw conflict(m, path, e, "a different " + next.type().name().toLowerCase());
                }
                paths.add(path); // identical content: shared, the first package's entry stays
                return;
            }
            if (e != null && e.type() == EntryType.DIRECTORY) {
                throw conflict(m, path, e, "a " + next.type().name().toLowerCase());
            }
            put(next);
            paths.add(path);
            if (e != null && e.type() == EntryType.FILE) {
                files--;
                bytes -= e.size();
                ownFiles.remove(path);
                setuid.remove(path);
            }
            if (next.type() == EntryType.FILE) {
                files++;
                bytes += next.size();
                ownFiles.add(path);
                if ((next.mode() & 06000) != 0) setuid.add(path);
            }
        }

        private FileEntry hardlink(PayloadEntry m, String path) {
            String target = PayloadPaths.normalize(m.linkTarget()).orElseThrow(() -> unsafe(m,
                    "it is a hardlink to '" + m.linkTarget() + "', which climbs out of the root"));
            FileEntry t = tree.get(target).orElse(null);
            if (t != null && t.type() == EntryType.HARDLINK) {
                target = t.linkTarget();
                t = tree.get(target).orElse(null);
            }
            if (t == null || t.type() != EntryType.FILE || !ownFiles.contains(target)) {
                throw unsafe(m, "it is a hardlink to '" + m.linkTarget()
                        + "', which is not a regular file installed earlier by the same package");
            }
            return new FileEntry(path, EntryType.HARDLINK, t.mode(), t.uid(), t.gid(), m.mtime(), target, null, owner);
        }

        private void put(FileEntry e) {
            before.putIfAbsent(e.path(), tree.get(e.path()));
            tree.put(e);
        }

        void rollback() {
            List<Map.Entry<String, Optional<FileEntry>>> undo = new ArrayList<>(before.entrySet());
            for (int i = undo.size() - 1; i >= 0; i--) {
                var u = undo.get(i);
                if (u.getValue().isPresent()) tree.put(u.getValue().get());
                else tree.remove(u.getKey());
            }
        }

        InstallReport report() {
            return new InstallReport(owner, files, bytes, warnings, List.copyOf(setuid), List.copyOf(dropped),
                    created, List.copyOf(paths));
        }

        private UnsafePayloadException unsafe(PayloadEntry m, String why) {
            return new UnsafePayloadException("unsafe package '" + owner + "': member '" + MemberNames.printable(m.path())
                    + "' refused: " + why);
        }

        private FileConflictException conflict(PayloadEntry m, String path, FileEntry e, String what) {
            return new FileConflictException(path, e.owner(), owner, "file conflict at '/" + path + "': " + who(e)
                    + " installed a " + e.type().name().toLowerCase() + " there and package '" + owner
                    + "' has " + what + " (member '" + m.path() + "')");
        }

        private static String who(FileEntry e) {
            return e.owner().isEmpty() ? "the image build" : "package '" + e.owner() + "'";
        }
    }
}
