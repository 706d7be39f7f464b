package dev.kolibri.layer;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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

    /**
     * Splits a tree so that each layer's bytes depend only on its own packages, for layers shared across images and
     * builds. As {@link #partition(FileTree, LayerPlan)}, every non-directory entry has one home layer (its
     * owner's; a hardlink its target's owner's). Each layer also holds every directory its packages claim
     * ({@code claims}: owner to the paths it installed, directories included, whichever package happened to create
     * them first in this image) and every directory above its entries, with the tree's mode and owner. All
     * directories of a layer get one time, derived from the layer alone: the newest mtime of its other entries,
     * clamped to {@code epoch} (with no other entries, the newest of its directories').
     */
    public static List<List<FileEntry>> partitionShared(FileTree tree, LayerPlan plan,
                                                        Map<String, ? extends Collection<String>> claims, long epoch) {
        int n = plan.layers().size();
        List<TreeMap<String, FileEntry>> layers = new ArrayList<>();
        for (int i = 0; i < n; i++) layers.add(new TreeMap<>());
        for (FileEntry e : tree.entries()) layers.get(plan.layerOf(anchorOwner(tree, e))).put(e.path(), e);
        for (var c : new TreeMap<>(claims).entrySet()) {
            TreeMap<String, FileEntry> layer = layers.get(plan.layerOf(c.getKey()));
            for (String p : c.getValue()) {
                tree.get(p).filter(d -> d.type() == EntryType.DIRECTORY).ifPresent(d -> layer.putIfAbsent(p, d));
            }
        }
        List<List<FileEntry>> out = new ArrayList<>();
        for (TreeMap<String, FileEntry> layer : layers) {
            for (FileEntry e : List.copyOf(layer.values())) {
                for (int slash = e.path().indexOf('/'); slash >= 0; slash = e.path().indexOf('/', slash + 1)) {
                    String parent = e.path().substring(0, slash);
                    if (layer.containsKey(parent)) continue;
                    tree.get(parent).filter(p -> p.type() == EntryType.DIRECTORY).ifPresent(p -> layer.put(parent, p));
                }
            }
            long newestOther = -1;
            long newestDir = 0;
            for (FileEntry e : layer.values()) {
                if (e.type() == EntryType.DIRECTORY) newestDir = Math.max(newestDir, e.mtime());
                else newestOther = Math.max(newestOther, e.mtime());
            }
            long time = Math.max(0, Math.min(epoch, newestOther >= 0 ? newestOther : newestDir));
            List<FileEntry> entries = new ArrayList<>(layer.size());
            for (FileEntry e : layer.values()) entries.add(e.type() == EntryType.DIRECTORY ? e.withMtime(time) : e);
            out.add(entries);
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
