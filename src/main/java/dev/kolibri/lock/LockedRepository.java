package dev.kolibri.lock;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kolibri.oci.Digest;
import dev.kolibri.pkg.RepositoryRelease;

import java.net.URI;

/**
 * A repository as it was when the lock was made. It names no mirror: a {@code url: system} repository is found
 * again on the machine that builds (see docs/parts/sources.md).
 *
 * @param id            the id packages name it by ({@link LockedPackage#repository()}): {@code system bookworm},
 *                      {@code system fedora} (rpm: the yum repository id), or {@code URL SUITE} / {@code URL}
 * @param type          {@code deb} or {@code rpm}, as the definition says (locks of format 1: deb when a suite is
 *                      named, else rpm)
 * @param url           what the definition said: {@code system}, or the repository's URL
 * @param suite         the Debian suite as the definition names it; for rpm the {@code $releasever} asked for, or null
 * @param repo          rpm with {@code url: system}: the id of the machine's yum repository; else null
 * @param releaseDigest {@code sha256:<hex>} of the signed metadata root ({@code InRelease}, {@code repomd.xml})
 * @param release       what that signed metadata says the repository is (distribution, release); null in locks
 *                      of format 1
 */
@JsonPropertyOrder({"id", "type", "url", "suite", "repo", "releaseDigest", "release"})
public record LockedRepository(String id, String type, String url, String suite, String repo, String releaseDigest,
                               RepositoryRelease release) {
    public LockedRepository {
        if (id == null || id.isEmpty()) throw new IllegalArgumentException("a repository has no `id`");
        if (type == null) type = suite != null && repo == null ? "deb" : "rpm";
        if (!type.equals("deb") && !type.equals("rpm")) {
            throw new IllegalArgumentException("repository `" + id + "`: `type` must be deb or rpm, not `" + type + "`");
        }
        if (url == null || url.isEmpty()) throw new IllegalArgumentException("repository `" + id + "` has no `url`");
        if (releaseDigest == null) throw new IllegalArgumentException("repository `" + id + "` has no `releaseDigest`");
        try {
            if (!Digest.parse(releaseDigest).algorithm().equals("sha256")) throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("repository `" + id + "`: `releaseDigest` must be sha256:<64 hex digits>, not `" + releaseDigest + "`");
        }
        if (release != null && release.isEmpty()) release = null;
    }

    /** Whether this is the machine's own source ({@code url: system}). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isSystem() {
        return "system".equals(url);
    }

    /** The base URL packages' paths resolve against, for a repository with an explicit URL (with a final slash). */
    public URI explicitBase() {
        if (isSystem()) throw new IllegalStateException("repository " + id + " is the machine's own source");
        return URI.create(url.endsWith("/") ? url : url + "/");
    }
}
