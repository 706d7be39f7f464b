package dev.kolibri.oci;

import dev.kolibri.fs.EntryType;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the entries of a (compressed) layer tar, as found in any OCI or Docker image. Whiteouts
 * ({@code .wh.NAME}, {@code .wh..wh..opq}) are reported as such; device nodes and fifos are skipped; a path that
 * climbs out of the root ({@code ..}) is refused.
 */
public final class LayerReader {
    private LayerReader() {}

    /** Receives each entry; {@code content} holds a regular file's bytes and is valid only during the call. */
    public interface Visitor {
        void entry(LayerEntry entry, InputStream content) throws IOException;
    }

    /** The entries of a layer, in tar order, without their content. */
    public static List<LayerEntry> entries(InputStream compressed, String mediaType) throws IOException {
        List<LayerEntry> out = new ArrayList<>();
        walk(compressed, mediaType, (e, content) -> out.add(e));
        return out;
    }

    /** Streams a layer through {@code visitor}; does not close {@code compressed}. */
    public static void walk(InputStream compressed, String mediaType, Visitor visitor) throws IOException {
        Compression c;
        try {
            c = Compression.ofMediaType(mediaType);
        } catch (IllegalArgumentException e) {
            throw new OciLayoutException("cannot read layer: " + e.getMessage());
        }
        InputStream unclosable = new java.io.FilterInputStream(compressed) {
            @Override
            public void close() {
                // the caller owns the stream
            }
        };
        try (TarArchiveInputStream tar = new TarArchiveInputStream(c.decompress(unclosable), "UTF-8")) {
            TarArchiveEntry t;
            while ((t = tar.getNextEntry()) != null) {
                LayerEntry e = convert(t);
                if (e != null) visitor.entry(e, tar);
            }
        } catch (OciLayoutException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new OciLayoutException("cannot read " + mediaType + " layer: " + e.getMessage(), e);
        }
    }

    private static LayerEntry convert(TarArchiveEntry t) throws OciLayoutException {
        String path = normalize(t.getName());
        if (path.isEmpty()) return null; // "./" itself
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash);
        String base = path.substring(slash + 1);
        int mode = t.getMode() & 07777;
        long mtime = t.getLastModifiedTime() == null ? 0 : t.getLastModifiedTime().toInstant().getEpochSecond();
        if (base.equals(".wh..wh..opq")) {
            return new LayerEntry(dir, null, mode, t.getLongUserId(), t.getLongGroupId(), mtime, null, 0, LayerEntry.Whiteout.OPAQUE);
        }
        if (base.startsWith(".wh.")) {
            String gone = (dir.isEmpty() ? "" : dir + "/") + base.substring(4);
            return new LayerEntry(gone, null, mode, t.getLongUserId(), t.getLongGroupId(), mtime, null, 0, LayerEntry.Whiteout.FILE);
        }
        EntryType type;
        String link = null;
        if (t.isDirectory()) {
            type = EntryType.DIRECTORY;
        } else if (t.isSymbolicLink()) {
            type = EntryType.SYMLINK;
            link = t.getLinkName();
        } else if (t.isLink()) {
            type = EntryType.HARDLINK;
            link = normalize(t.getLinkName());
        } else if (t.isFile()) {
            type = EntryType.FILE;
        } else {
            return null; // devices, fifos: never part of a Kolibri tree
        }
        return new LayerEntry(path, type, mode, t.getLongUserId(), t.getLongGroupId(), mtime, link,
                type == EntryType.FILE ? t.getSize() : 0, LayerEntry.Whiteout.NONE);
    }

    static String normalize(String name) throws OciLayoutException {
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) throw new OciLayoutException("layer entry '" + name + "' climbs out of the root with '..'");
            parts.add(p);
        }
        return String.join("/", parts);
    }
}
