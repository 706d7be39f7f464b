package dev.kolibri.publish;

/** A publishing step failed (unsigned image, wrong key, no SBOM, ...); the message is one line for people. */
public final class PublishException extends Exception {
    public PublishException(String message) {
        super(message);
    }

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
