package dev.kolibri.publish;

import dev.kolibri.registry.Keychain;
import dev.kolibri.registry.Reference;
import dev.kolibri.registry.RegistryClient;
import dev.kolibri.registry.RegistryException;
import dev.kolibri.registry.ShortNames;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to reach registries: hosts spoken to over plain HTTP ({@code --insecure}), an extra CA bundle
 * ({@code --ca-cert}), where credentials come from, and how short names are qualified.
 *
 * @param insecure   hosts ({@code host} or {@code host:port}) spoken to over plain HTTP
 * @param caCert     a PEM bundle trusted besides the system's, or null
 * @param keychain   where credentials come from
 * @param shortNames how names without a host become full references
 */
public record RegistryOptions(Set<String> insecure, Path caCert, Keychain keychain, ShortNames shortNames) {
    public RegistryOptions {
        insecure = Set.copyOf(new TreeSet<>(insecure == null ? Set.of() : insecure));
        if (caCert != null && !Files.isRegularFile(caCert)) {
            throw new IllegalArgumentException("CA certificate file " + caCert + " does not exist; pass a PEM file to --ca-cert");
        }
    }

    /** This machine's: system keychain, registries.conf short names, no insecure hosts, no extra CA. */
    public static RegistryOptions defaults() {
        return new RegistryOptions(Set.of(), null, Keychain.system(), ShortNames.system());
    }

    public RegistryOptions withInsecure(Set<String> hosts) {
        return new RegistryOptions(hosts, caCert, keychain, shortNames);
    }

    public RegistryOptions withCaCert(Path pem) {
        return new RegistryOptions(insecure, pem, keychain, shortNames);
    }

    /** Parses a reference, qualifying short names with {@link #shortNames()}. */
    public Reference parse(String reference) {
        return Reference.parse(reference, shortNames);
    }

    /**
     * Parses a push target: when {@code reference} names neither tag nor digest, {@code defaultTag} (the layout's
     * tag) is used instead of {@code latest}; null keeps {@code latest}.
     */
    public Reference parseTarget(String reference, String defaultTag) {
        Reference r = parse(reference);
        if (defaultTag == null) return r;
        String last = reference.substring(reference.lastIndexOf('/') + 1);
        return last.contains(":") || last.contains("@") ? r : r.withTag(defaultTag);
    }

    /** A client for the reference's registry. */
    public RegistryClient client(Reference ref) throws RegistryException {
        RegistryClient.Builder b = RegistryClient.builder().keychain(keychain).insecure(insecure);
        if (caCert != null) b.caCertificates(caCert);
        return b.build(ref.registryHost());
    }
}
