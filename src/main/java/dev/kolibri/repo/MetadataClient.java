package dev.kolibri.repo;

import java.net.URI;
import java.util.Optional;

/** Fetches repository metadata files. Implementations: {@link HttpMetadataClient} (http, https, file). */
public interface MetadataClient {

    /** The file's bytes; a {@link RepositoryException} naming the URL when it is missing or cannot be fetched. */
    byte[] get(URI uri) throws RepositoryException;

    /** The file's bytes, or empty when the server says it does not exist (404, 410; a missing local file). */
    Optional<byte[]> getIfExists(URI uri) throws RepositoryException;
}
