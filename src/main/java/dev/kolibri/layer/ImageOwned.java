package dev.kolibri.layer;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.util.HashMap;
import java.util.Map;

/**
 * Marks what the image build itself changed as the image's own: entries the finalize steps added or altered get
 * owner {@code ""}, so that they go to the last layer and a package's layer holds exactly what the package
 * shipped (and its database files), the same in every image that installs it.
 */
public final class ImageOwned {
    private ImageOwned() {}

    /** The entries of {@code tree} by path, to compare against later. */
    public static Map<String, FileEntry> snapshot(FileTree tree) {
        Map<String, FileEntry> m = new HashMap<>();
        for (FileEntry e : tree.entries()) m.put(e.path(), e);
        return m;
    }

    /** A copy of {@code after} in which every entry not equal to its {@code before} entry is owned by {@code ""}. */
    public static FileTree mark(Map<String, FileEntry> before, FileTree after) {
        FileTree out = new FileTree();
        for (FileEntry e : after.entries()) {
            boolean same = e.equals(before.get(e.path()));
            out.put(same || e.owner().isEmpty() ? e : new FileEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(),
                    e.mtime(), e.linkTarget(), e.data(), ""));
        }
        return out;
    }
}
