package dev.kolibri.repo;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One enabled {@code deb} entry of the machine's apt sources (one URI; a deb822 stanza with several URIs gives
 * several entries).
 *
 * @param uri             repository root, with a trailing slash
 * @param suites          suites or codenames, as written
 * @param components      components, as written
 * @param architectures   the {@code arch=} / {@code Architectures:} restriction, empty when none
 * @param signedBy        {@code Signed-By}: key file paths (space or comma separated) or an inline armored key;
 *                        null when absent (apt then trusts {@code trusted.gpg} and {@code trusted.gpg.d})
 * @param checkValidUntil the entry's {@code check-valid-until} option, when given
 * @param origin          {@code file:line} of the entry, for messages
 */
public record AptSource(URI uri, List<String> suites, List<String> components, List<String> architectures,
                        String signedBy, Optional<Boolean> checkValidUntil, String origin) {
    public AptSource {
        Objects.requireNonNull(uri, "uri");
        suites = List.copyOf(suites);
        components = List.copyOf(components);
        architectures = List.copyOf(architectures);
        Objects.requireNonNull(checkValidUntil, "checkValidUntil");
        String s = uri.toString();
        if (!s.endsWith("/")) uri = URI.create(s + "/");
    }
}
