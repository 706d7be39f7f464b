package dev.kolibri.pkg;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A distribution release as {@code os-release(5)} names it, derived from the signed metadata of the repositories
 * an image's packages came from (see {@link Ecosystem#distroOf(RepositoryRelease)}).
 *
 * @param id        {@code ID}: {@code debian}, {@code fedora}
 * @param versionId {@code VERSION_ID}: {@code 12}, {@code 43}; null for a release without one (Debian sid)
 * @param codename  {@code VERSION_CODENAME}: {@code bookworm}; null where the distribution has none
 * @param name      {@code NAME}: {@code Debian GNU/Linux}
 * @param idLike    {@code ID_LIKE}, or null
 */
public record Distro(String id, String versionId, String codename, String name, String idLike) {
    public Distro {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[a-z0-9._-]+")) throw new IllegalArgumentException("not an os-release ID: '" + id + "'");
        Objects.requireNonNull(name, "name");
    }

    /** {@code debian-12}: the purl {@code distro} qualifier (syft's form), or the bare id without a version. */
    public String key() {
        return versionId == null ? id : id + "-" + versionId;
    }

    /** {@code Debian GNU/Linux 12 (bookworm)}, {@code Debian GNU/Linux sid}, {@code Fedora Linux 43}. */
    public String prettyName() {
        StringBuilder b = new StringBuilder(name);
        if (versionId != null) b.append(' ').append(versionId);
        if (codename != null) b.append(versionId != null ? " (" + codename + ")" : " " + codename);
        return b.toString();
    }

    /** The fields of an {@code os-release} for this release. */
    public Map<String, String> osRelease() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("PRETTY_NAME", prettyName());
        f.put("NAME", name);
        if (versionId != null) {
            f.put("VERSION_ID", versionId);
            f.put("VERSION", codename == null ? versionId : versionId + " (" + codename + ")");
        }
        if (codename != null) f.put("VERSION_CODENAME", codename);
        f.put("ID", id);
        if (idLike != null) f.put("ID_LIKE", idLike);
        return f;
    }
}
