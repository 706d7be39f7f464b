package dev.kolibri.build;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.fs.LocalTree;
import dev.kolibri.layer.ContentLayers;
import dev.kolibri.lock.LockMismatchException;
import dev.kolibri.lock.LockedContent;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.spec.ContentSpec;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code contents:}: local files read from beside the definition ({@link LocalTree}), recorded in the lock by their
 * tree digest, and placed into an arch's tree after the packages and before finalize (so that the CA bundle, the
 * accounts and the policy see them), owned by {@code contents:<to>} so that they go to layers of their own.
 * Every refusal is a {@link SpecException} naming the entry ({@code file:line}) and the path it is about.
 */
public final class Contents {
    private static final Set<String> RUNTIME_DIRS = Set.of("proc", "sys", "dev");

    private Contents() {}

    /** The lock's record of {@code spec}'s contents: each entry's tree digest, in the definition's order. */
    public static List<LockedContent> locked(ImageSpec spec) {
        List<LockedContent> out = new ArrayList<>();
        for (ContentSpec c : spec.contents()) out.add(new LockedContent(c.from(), c.to(), read(spec, c).digest().toString()));
        return out;
    }

    /**
     * Checks that the files of {@code spec}'s contents are those {@code lock} recorded.
     *
     * @throws LockMismatchException naming the entry that changed and saying to lock again
     */
    public static void checkLock(ImageSpec spec, Lockfile lock) {
        List<LockedContent> want = locked(spec);
        String relock = "; run `kolibri lock " + spec.source() + "`";
        for (int i = 0; i < want.size(); i++) {
            ContentSpec c = spec.contents().get(i);
            String where = spec.source() + ":" + c.line() + ": contents `from: " + c.from() + "`";
            LockedContent got = i < lock.contents().size() ? lock.contents().get(i) : null;
            if (got == null || !got.from().equals(c.from()) || !got.to().equals(c.to())) {
                throw new LockMismatchException(where + " is not in " + Lockfile.pathFor(spec) + relock);
            }
            if (!got.digest().equals(want.get(i).digest())) {
                throw new LockMismatchException(where + ": the files changed since " + Lockfile.pathFor(spec)
                        + " was made (tree digest " + want.get(i).digest() + ", lock says " + got.digest() + ")" + relock);
            }
        }
        if (lock.contents().size() > want.size()) {
            throw new LockMismatchException(Lockfile.pathFor(spec) + " records contents `from: "
                    + lock.contents().get(want.size()).from() + "` that " + spec.source() + " no longer has" + relock);
        }
    }

    /**
     * Places {@code spec}'s contents into {@code tree} (every time {@code epoch}); returns the owners, one per entry,
     * in order (the layers to plan).
     */
    static List<String> place(ImageSpec spec, FileTree tree, long epoch) {
        List<String> owners = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (ContentSpec c : spec.contents()) {
            LocalTree src = read(spec, c);
            String to = c.to().length() > 1 && c.to().endsWith("/") ? c.to().substring(0, c.to().length() - 1) : c.to();
            int n = seen.merge(to, 1, Integer::sum);
            String owner = ContentLayers.PREFIX + to + (n > 1 ? "#" + n : "");
            owners.add(owner);
            String root = to.substring(1);
            if (!src.isDirectory() && c.to().endsWith("/")) {
                String name = Path.of(c.from()).getFileName().toString();
                root = root.isEmpty() ? name : root + "/" + name;
            }
            new Placement(spec, c, tree, owner, epoch).place(root, src);
        }
        return owners;
    }

    /**
     * A warning when {@code contents:} put certificates under {@code /usr/local/share/ca-certificates} that no
     * finalize step will read: a Debian image without the ca-certificates package, or an RPM image (whose trust
     * anchors go to {@code /etc/pki/ca-trust/source/anchors}).
     */
    static Optional<String> caWarning(String ecosystem, FileTree tree) {
        boolean local = tree.under("usr/local/share/ca-certificates").stream()
                .anyMatch(e -> e.type() == EntryType.FILE && ContentLayers.isContents(e.owner()));
        if (!local) return Optional.empty();
        if (ecosystem.equals("rpm")) {
            return Optional.of("contents: certificates under /usr/local/share/ca-certificates do not join an RPM image's "
                    + "trust store; put them under /etc/pki/ca-trust/source/anchors/");
        }
        if (!tree.contains("usr/share/ca-certificates")) {
            return Optional.of("contents: certificates under /usr/local/share/ca-certificates, but no package installs "
                    + "/usr/share/ca-certificates, so no CA bundle is made; add ca-certificates to `packages`");
        }
        return Optional.empty();
    }

    private static LocalTree read(ImageSpec spec, ContentSpec c) {
        if (spec.directory() == null) throw refuse(spec, c, "the definition has no file, so no directory to read from");
        try {
            return LocalTree.read(spec.directory(), c.from());
        } catch (IOException e) {
            throw refuse(spec, c, e.getMessage());
        }
    }

    static SpecException refuse(ImageSpec spec, ContentSpec c, String what) {
        return new SpecException(spec.source(), c.line(), "contents `from: " + c.from() + "`: " + what);
    }

    /** Puts one entry's items into the tree. */
    private record Placement(ImageSpec spec, ContentSpec c, FileTree tree, String owner, long epoch) {
        void place(String root, LocalTree src) {
            for (LocalTree.Item it : src.items()) {
                String dest = it.path().isEmpty() ? root : root.isEmpty() ? it.path() : root + "/" + it.path();
                if (dest.isEmpty()) continue; // `to: /`: the root directory itself is the image's
                item(dest, it);
            }
        }

        private void item(String dest, LocalTree.Item it) {
            boolean dir = it.type() == EntryType.DIRECTORY;
            String real = (dir ? tree.resolve(dest) : tree.resolveParent(dest))
                    .orElseThrow(() -> refuse(spec, c, "/" + dest + " leads through a symlink loop in the image"));
            String first = real.contains("/") ? real.substring(0, real.indexOf('/')) : real;
            if (RUNTIME_DIRS.contains(first)) {
                throw refuse(spec, c, "/" + dest + " resolves to /" + real + ", under /" + first
                        + ", which the container runtime mounts; choose another `to`");
            }
            parents(dest, real);
            Optional<FileEntry> existing = tree.get(real);
            if (existing.isPresent()) {
                FileEntry e = existing.get();
                if (dir && e.type() == EntryType.DIRECTORY) return; // merged: the directory keeps its mode and owner
                if (!dir && e.type() == EntryType.DIRECTORY) {
                    throw refuse(spec, c, "/" + real + " is a directory of " + whose(e) + " in the image; a file cannot replace it");
                }
                if (!c.replace()) {
                    throw refuse(spec, c, "/" + real + " collides with the file of " + whose(e)
                            + "; set `replace: true` on the entry to replace it, or choose another `to`");
                }
            }
            int mode = it.type() == EntryType.FILE && c.mode() != null ? c.mode() : it.mode();
            tree.put(switch (it.type()) {
                case DIRECTORY -> FileEntry.directory(real, mode, c.uid(), c.gid(), epoch, owner);
                case FILE -> FileEntry.file(real, mode, c.uid(), c.gid(), epoch, it.content(), owner);
                case SYMLINK -> FileEntry.symlink(real, it.linkTarget(), c.uid(), c.gid(), epoch, owner);
                case HARDLINK -> throw new IllegalStateException("a local tree has no hard links");
            });
        }

        /** Makes the missing directories above {@code real} (0755 root:root, like {@code mkdir -p}). */
        private void parents(String dest, String real) {
            for (int slash = real.indexOf('/'); slash >= 0; slash = real.indexOf('/', slash + 1)) {
                String p = real.substring(0, slash);
                Optional<FileEntry> e = tree.get(p);
                if (e.isEmpty()) {
                    tree.put(FileEntry.directory(p, 0755, 0, 0, epoch, owner));
                } else if (e.get().type() != EntryType.DIRECTORY) {
                    throw refuse(spec, c, "/" + dest + " would be below /" + p + ", a file of " + whose(e.get())
                            + ", not a directory; choose another `to`");
                }
            }
        }

        private static String whose(FileEntry e) {
            if (e.owner().isEmpty()) return "the image itself";
            if (ContentLayers.isContents(e.owner())) return "the contents entry for " + e.owner().substring(ContentLayers.PREFIX.length());
            return "package " + e.owner();
        }
    }
}
