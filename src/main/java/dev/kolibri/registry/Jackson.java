package dev.kolibri.registry;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The package's one JSON mapper, made on first use (auth files, error bodies, tokens, tag lists): a push that
 * needs none of them never builds it.
 */
final class Jackson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Jackson() {}
}
