package dev.kolibri.repo;

import java.net.URI;
import java.util.Objects;

/**
 * An RPM repository to load: its base URL (the directory holding {@code repodata/}), the keys that sign its
 * {@code repomd.xml}, and whether that signature is required (yum's {@code repo_gpgcheck}).
 *
 * @param keyring          may be null only when {@code requireSignature} is false
 * @param requireSignature refuse a {@code repomd.xml} without a good {@code repomd.xml.asc}; false only for a
 *                         repository whose trust comes from elsewhere (signed packages, a local directory)
 */
public record RpmSource(URI base, Keyring keyring, boolean requireSignature) {
    public RpmSource {
        Objects.requireNonNull(base, "base");
        if (requireSignature && keyring == null) {
            throw new IllegalArgumentException("rpm repository " + base + ": a keyring is required to check repomd.xml's signature");
        }
        String s = base.toString();
        if (!s.endsWith("/")) base = URI.create(s + "/");
    }

    /** A repository whose {@code repomd.xml} must be signed by a key of {@code keyring}. */
    public static RpmSource signed(URI base, Keyring keyring) {
        return new RpmSource(base, Objects.requireNonNull(keyring, "keyring"), true);
    }
}
