package dev.kolibri.inspect;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.layer.ContentLayers;
import dev.kolibri.layer.LayerPlan;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.LayerEntry;
import dev.kolibri.oci.LayerReader;
import dev.kolibri.oci.OciLayout;

import java.io.IOException;
import java.io.InputStream;

/**
 * The root file system of any OCI image: its layers applied in order, whiteouts honoured. Entries are owned by
 * {@code ""}, except those of a Kolibri {@code contents:} layer (named {@code contents:<to>} in its
 * {@code dev.kolibri.layer.name} annotation), which are owned by that name, as in the build's tree.
 */
public final class ImageFiles {
    private ImageFiles() {}

    public static FileTree flatten(OciLayout layout, OciLayout.Image image) throws IOException {
        FileTree tree = new FileTree();
        for (Descriptor layer : image.manifest().layers()) {
            String name = layer.annotations().getOrDefault(LayerPlan.NAME_ANNOTATION, "");
            String owner = ContentLayers.isContents(name) ? name : "";
            try (InputStream in = layout.blob(layer)) {
                LayerReader.walk(in, layer.mediaType(), (e, content) -> apply(tree, e, content, owner));
            }
        }
        return tree;
    }

    private static void apply(FileTree tree, LayerEntry e, InputStream content, String owner) throws IOException {
        switch (e.whiteout()) {
            case FILE -> {
                tree.remove(e.path());
                removeBelow(tree, e.path());
                return;
            }
            case OPAQUE -> {
                removeBelow(tree, e.path());
                return;
            }
            case NONE -> { }
        }
        if (e.type() != EntryType.DIRECTORY) removeBelow(tree, e.path());
        byte[] bytes = e.type() == EntryType.FILE ? content.readAllBytes() : null;
        tree.put(new FileEntry(e.path(), e.type(), e.mode(), (int) e.uid(), (int) e.gid(), e.mtime(), e.linkTarget(),
                bytes == null ? null : dev.kolibri.fs.Content.of(bytes), owner));
    }

    private static void removeBelow(FileTree tree, String dir) {
        for (FileEntry x : java.util.List.copyOf(tree.under(dir))) tree.remove(x.path());
    }
}
