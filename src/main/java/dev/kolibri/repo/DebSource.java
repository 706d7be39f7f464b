package dev.kolibri.repo;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A Debian repository to load: its root URL (the directory holding {@code dists/} and {@code pool/}), a suite or
 * codename, the components wanted, and the keys that sign its metadata.
 */
public record DebSource(URI base, String suite, List<String> components, Keyring keyring) {
    public DebSource {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(keyring, "keyring");
        components = List.copyOf(components);
        if (components.isEmpty()) throw new IllegalArgumentException("repository " + base + " " + suite + ": no components");
        String s = base.toString();
        if (!s.endsWith("/")) base = URI.create(s + "/");
    }
}
