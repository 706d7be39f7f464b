package dev.kolibri.build;

/** A build that cannot go on; the message says what failed, on which input, and what to do. */
public class BuildException extends Exception {
    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
