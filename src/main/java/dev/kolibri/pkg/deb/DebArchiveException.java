package dev.kolibri.pkg.deb;

/**
 * A {@code .deb} that cannot be read: not an ar archive, a missing or corrupt member, an unknown compression, a
 * payload above the size limit. The message names the file and says what to do.
 */
public final class DebArchiveException extends RuntimeException {
    public DebArchiveException(String message) {
        super(message);
    }

    public DebArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
