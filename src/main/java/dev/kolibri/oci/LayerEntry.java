package dev.kolibri.oci;

import dev.kolibri.fs.EntryType;

/**
 * One entry of a layer tar as {@link LayerReader} reports it.
 *
 * @param path       normalized path (no leading {@code ./} or {@code /}, no trailing {@code /}); for a whiteout, the
 *                   path it removes; for an opaque whiteout, the directory it empties
 * @param type       the entry type; {@code null} for whiteouts
 * @param mode       permission bits ({@code 07777})
 * @param linkTarget symlink target, or the normalized path a hardlink points to; null otherwise
 * @param size       content size for regular files, else 0
 * @param whiteout   what the entry removes from lower layers
 */
public record LayerEntry(String path, EntryType type, int mode, long uid, long gid, long mtime, String linkTarget,
                         long size, Whiteout whiteout) {
    public enum Whiteout {
        /** An ordinary entry. */
        NONE,
        /** {@code .wh.NAME}: {@code path} is deleted. */
        FILE,
        /** {@code .wh..wh..opq}: everything below directory {@code path} in lower layers is hidden. */
        OPAQUE
    }
}
