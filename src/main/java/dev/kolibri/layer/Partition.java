package dev.kolibri.layer;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Splits a file tree into the layers of a plan. */
public final class Partition {
    private Partition() {}

    /**
     * The tree's entries per planned layer, each list sorted by path. Every entry has exactly one home layer: the
     * one planned for its {@link FileEntry#owner()}, or the last layer for an owner the plan does not name. A
     * hardlink goes with the file it links to (tar cannot link across layers reliably). A layer also repeats, with
     * identical metadata, the tree's directories above its entries that live in another layer: otherwise the
     * layer writer would invent them ({@code 0755 0:0}) and, applied over the lower layer, they would change its
     * directories' modes and owners.
     */
    public static List<List<FileEntry>> partition(FileTree tree, LayerPlan plan) {
        List<TreeMap<String, FileEntry>> layers = new ArrayList<>();
        for (int i = 0; i < plan.layers().size(); i++) layers.add(new TreeMap<>());
        for (FileEntry e : tree.entries()) layers.get(plan.layerOf(anchorOwner(tree, e))).put(e.path(), e);
        List<List<FileEntry>> out = new ArrayList<>();
        for (TreeMap<String, FileEntry> layer : layers) {
            List<FileEntry> own = List.copyOf(layer.values());
            for (FileEntry e : own) {
                for (int slash = e.path().indexOf('/'); slash >= 0; slash = e.path().indexOf('/', slash + 1)) {
                    String parent = e.path().substring(0, slash);
                    if (layer.containsKey(parent)) continue;
                    tree.get(parent).filter(p -> p.type() == EntryType.DIRECTORY).ifPresent(p -> layer.put(parent, p));
                }
            }
            out.add(new ArrayList<>(layer.values()));
        }
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
