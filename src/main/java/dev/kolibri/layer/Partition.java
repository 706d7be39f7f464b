package dev.kolibri.layer;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.util.ArrayList;
import java.util.List;

/** Splits a file tree into the layers of a plan. */
public final class Partition {
    private Partition() {}

    /**
     * The tree's entries per planned layer, each list sorted by path. Every entry lands in exactly one layer: the
     * one planned for its {@link FileEntry#owner()}, or the last layer for an owner the plan does not name. A
     * hardlink goes with the file it links to (tar cannot link across layers reliably).
     */
    public static List<List<FileEntry>> partition(FileTree tree, LayerPlan plan) {
        List<List<FileEntry>> out = new ArrayList<>();
        for (int i = 0; i < plan.layers().size(); i++) out.add(new ArrayList<>());
        for (FileEntry e : tree.entries()) out.get(plan.layerOf(anchorOwner(tree, e))).add(e);
        return out;
    }

    private static String anchorOwner(FileTree tree, FileEntry e) {
        FileEntry cur = e;
        for (int hops = 0; cur.type() == EntryType.HARDLINK && hops < 40; hops++) {
            FileEntry next = tree.get(cur.linkTarget()).orElse(null);
            if (next == null) break;
            cur = next;
        }
        return cur.owner();
    }
}
