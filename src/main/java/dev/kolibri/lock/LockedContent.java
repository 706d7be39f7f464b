package dev.kolibri.lock;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kolibri.oci.Digest;

/**
 * A {@code contents:} entry as it was when the lock was made: the tree digest of its files
 * ({@code dev.kolibri.fs.LocalTree#digest}), so that {@code build --locked} notices a changed file.
 *
 * @param from   the source as the definition writes it
 * @param to     the destination in the image
 * @param digest {@code sha256:<hex>} of the canonical listing of the source tree
 */
@JsonPropertyOrder({"from", "to", "digest"})
public record LockedContent(String from, String to, String digest) {
    public LockedContent {
        if (from == null || from.isEmpty()) throw new IllegalArgumentException("a contents entry has no `from`");
        if (to == null || !to.startsWith("/")) throw new IllegalArgumentException("contents `" + from + "`: `to` must be an absolute path");
        try {
            if (digest == null || !Digest.parse(digest).algorithm().equals("sha256")) throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("contents `" + from + "`: `digest` must be sha256:<64 hex digits>, not "
                    + (digest == null ? "missing" : "`" + digest + "`"));
        }
    }
}
