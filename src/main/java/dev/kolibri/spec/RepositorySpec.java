package dev.kolibri.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One package repository of an image definition.
 *
 * @param type       {@code deb} or {@code rpm}
 * @param url        the repository's base URL, or {@value #SYSTEM}: the machine's own apt / yum source for it
 * @param suite      the Debian suite ({@code bookworm}); for rpm the {@code releasever:} key (yum's
 *                   {@code $releasever} in the machine's or the given URLs), or null
 * @param components the Debian components (default {@code [main]}); empty for rpm
 * @param keyring    the OpenPGP keyring that signs the metadata, as written (relative paths are relative to the
 *                   definition's directory, see {@link #keyringFile(Path)}); null only with {@code url: system},
 *                   meaning the keys that the system source names (apt {@code Signed-By}, yum {@code gpgkey})
 * @param line       1-based line of the repository in its definition, for messages; not part of the digest
 */
public record RepositorySpec(String type, String url, String suite, List<String> components, String keyring, int line) {
    public static final String SYSTEM = "system";
    public static final String DEB = "deb";
    public static final String RPM = "rpm";

    public RepositorySpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(url, "url");
        if (!type.equals(DEB) && !type.equals(RPM)) throw new IllegalArgumentException("repository type must be deb or rpm: " + type);
        if (type.equals(DEB) && suite == null) throw new IllegalArgumentException("a deb repository needs a suite: " + url);
        components = List.copyOf(components == null ? List.of() : components);
        if (keyring == null && !SYSTEM.equals(url)) throw new IllegalArgumentException("repository " + url + " needs a keyring");
    }

    /** Whether this repository is the machine's own source ({@code url: system}). */
    public boolean isSystem() {
        return SYSTEM.equals(url);
    }

    /** The keyring file, relative paths taken from {@code specDir}; null when the system source names the keys. */
    public Path keyringFile(Path specDir) {
        if (keyring == null) return null;
        Path k = Path.of(keyring);
        return k.isAbsolute() || specDir == null ? k : specDir.resolve(k);
    }
}
