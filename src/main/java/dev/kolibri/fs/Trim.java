package dev.kolibri.fs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Leaves out of an installed tree what {@code trim:} globs match and no {@code keep:} glob does (a keep wins), as
 * dpkg's {@code path-exclude} does at unpack time. A matched file, symlink or hardlink goes; a matched directory goes
 * when nothing below it stays; a directory that trimming left empty goes too (one a package ships empty stays).
 * A matched symlink stays when a path through it that a keep glob matches leads to a file the image keeps (Debian's
 * {@code /usr/share/doc/PKG -> OTHER} links, by which a package's copyright is found). A kept hardlink whose file
 * was trimmed becomes that file. Only package files are trimmed (owner not {@code ""}):
 * this runs before {@code contents:} and finalize add theirs. The result depends on the tree alone, not on the
 * order its entries were added.
 */
public final class Trim {
    private Trim() {}

    /**
     * What was left out.
     *
     * @param trim    the trim globs applied
     * @param keep    the keep globs applied
     * @param removed every entry removed, sorted by path
     * @param became  kept hardlinks that became the regular file their trimmed target was, sorted by path
     */
    public record Trimmed(List<String> trim, List<String> keep, List<FileEntry> removed, List<FileEntry> became) {
        public static final Trimmed NOTHING = new Trimmed(List.of(), List.of(), List.of(), List.of());

        public Trimmed {
            trim = List.copyOf(trim);
            keep = List.copyOf(keep);
            removed = List.copyOf(removed);
            became = List.copyOf(became);
        }

        /** Whether any trim glob was given (then the image records them, even if nothing matched). */
        public boolean active() {
            return !trim.isEmpty();
        }

        /** The removed paths (relative, as the tree keys them). */
        public SortedSet<String> paths() {
            SortedSet<String> s = new TreeSet<>();
            for (FileEntry e : removed) s.add(e.path());
            return Collections.unmodifiableSortedSet(s);
        }

        /** Bytes of the regular files removed. */
        public long bytes() {
            return removed.stream().mapToLong(FileEntry::size).sum();
        }
    }

    public static Trimmed apply(FileTree tree, List<String> trim, List<String> keep) {
        if (trim.isEmpty()) return new Trimmed(trim, keep, List.of(), List.of());
        List<PathGlob> trims = PathGlob.all(trim);
        List<PathGlob> keeps = PathGlob.all(keep);
        List<FileEntry> all = new ArrayList<>(tree.entries());   // sorted by path
        Set<String> gone = new HashSet<>();
        // files and hardlinks first, then symlinks (one stays when a kept path leads through it), then directories
        for (FileEntry e : all) {
            if (e.owner().isEmpty() || e.type() == EntryType.DIRECTORY || e.type() == EntryType.SYMLINK) continue;
            if (matchesAny(trims, e.path()) && !matchesAny(keeps, e.path())) gone.add(e.path());
        }
        for (FileEntry e : all) {
            if (e.owner().isEmpty() || e.type() != EntryType.SYMLINK) continue;
            if (matchesAny(trims, e.path()) && !matchesAny(keeps, e.path()) && !leadsToKept(tree, e, keeps, gone)) gone.add(e.path());
        }
        Map<String, Integer> children = new HashMap<>();          // entries directly below each directory, still there
        for (FileEntry e : all) if (!gone.contains(e.path())) children.merge(parent(e.path()), 1, Integer::sum);
        Set<String> lostChildren = new HashSet<>();
        for (String p : gone) lostChildren.add(parent(p));
        // children sort after their parent: walking backwards visits everything below a directory before it
        for (int i = all.size() - 1; i >= 0; i--) {
            FileEntry e = all.get(i);
            if (e.owner().isEmpty() || e.type() != EntryType.DIRECTORY) continue;
            String p = e.path();
            if (children.getOrDefault(p, 0) != 0 || matchesAny(keeps, p)) continue;
            if (matchesAny(trims, p) || lostChildren.contains(p)) {
                gone.add(p);
                String parent = parent(p);
                children.merge(parent, -1, Integer::sum);
                lostChildren.add(parent);
            }
        }
        List<FileEntry> removed = new ArrayList<>();
        for (FileEntry e : all) {
            if (gone.contains(e.path())) removed.add(tree.remove(e.path()).orElseThrow());
        }
        return new Trimmed(trim, keep, removed, keepHardlinks(tree, removed));
    }

    /** A kept hardlink to a trimmed file becomes the file (the first in path order); the others link to it. */
    private static List<FileEntry> keepHardlinks(FileTree tree, List<FileEntry> removed) {
        Map<String, FileEntry> removedFiles = new HashMap<>();
        for (FileEntry e : removed) if (e.type() == EntryType.FILE) removedFiles.put(e.path(), e);
        List<FileEntry> became = new ArrayList<>();
        if (removedFiles.isEmpty()) return became;
        Map<String, String> moved = new HashMap<>();
        for (FileEntry e : new ArrayList<>(tree.entries())) {
            if (e.type() != EntryType.HARDLINK || !removedFiles.containsKey(e.linkTarget())) continue;
            String now = moved.get(e.linkTarget());
            if (now == null) {
                FileEntry f = removedFiles.get(e.linkTarget());
                FileEntry file = new FileEntry(e.path(), EntryType.FILE, f.mode(), f.uid(), f.gid(), e.mtime(), null, f.data(), e.owner());
                tree.put(file);
                became.add(file);
                moved.put(e.linkTarget(), e.path());
            } else {
                tree.put(new FileEntry(e.path(), EntryType.HARDLINK, e.mode(), e.uid(), e.gid(), e.mtime(), now, null, e.owner()));
            }
        }
        return became;
    }

    /**
     * Whether a path through the symlink {@code link} to a directory is matched by a keep glob and leads to a file the
     * image keeps: Debian's {@code /usr/share/doc/libgcc-s1 -> gcc-14-base} is how {@code libgcc-s1}'s copyright is
     * found, and stays with {@code keep: [/usr/share/doc/*}{@code /copyright]} (dpkg keeps such links too).
     */
    private static boolean leadsToKept(FileTree tree, FileEntry link, List<PathGlob> keeps, Set<String> gone) {
        if (keeps.isEmpty()) return false;
        String target = tree.resolve(link.path()).orElse(null);
        if (target == null || target.isEmpty() || target.equals(link.path())) return false;
        FileEntry t = tree.get(target).orElse(null);
        if (t == null || t.type() != EntryType.DIRECTORY) return false;
        for (FileEntry f : tree.under(target)) {
            if (f.type() == EntryType.DIRECTORY || gone.contains(f.path())) continue;
            if (matchesAny(keeps, link.path() + f.path().substring(target.length()))) return true;
        }
        return false;
    }

    private static boolean matchesAny(List<PathGlob> globs, String path) {
        for (PathGlob g : globs) if (g.matches(path)) return true;
        return false;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
