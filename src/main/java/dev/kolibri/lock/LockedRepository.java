package dev.kolibri.lock;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kolibri.oci.Digest;

/**
 * A repository as it was when the lock was made.
 *
 * @param id            the id packages name it by ({@link LockedPackage#repository()}); its base URL
 * @param url           the base URL the metadata came from (for {@code url: system}, the machine's source)
 * @param suite         the Debian suite, or null for rpm
 * @param releaseDigest {@code sha256:<hex>} of the signed metadata root ({@code InRelease}, {@code repomd.xml})
 */
@JsonPropertyOrder({"id", "url", "suite", "releaseDigest"})
public record LockedRepository(String id, String url, String suite, String releaseDigest) {
    public LockedRepository {
        if (id == null || id.isEmpty()) throw new IllegalArgumentException("a repository has no `id`");
        if (url == null || url.isEmpty()) throw new IllegalArgumentException("repository `" + id + "` has no `url`");
        if (releaseDigest == null) throw new IllegalArgumentException("repository `" + id + "` has no `releaseDigest`");
        try {
            if (!Digest.parse(releaseDigest).algorithm().equals("sha256")) throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("repository `" + id + "`: `releaseDigest` must be sha256:<64 hex digits>, not `" + releaseDigest + "`");
        }
    }
}
