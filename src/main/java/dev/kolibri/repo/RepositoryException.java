package dev.kolibri.repo;

/**
 * Repository metadata that cannot be fetched or believed: a missing file, a bad or unknown signature, a digest
 * that does not match, expired metadata. The message is one line naming the file or URL and the reason.
 */
public class RepositoryException extends Exception {
    public RepositoryException(String message) {
        super(message);
    }

    public RepositoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
