package dev.kolibri.vuln;

/** A vulnerability-data problem a person can act on: which input, what is wrong, what to do. */
public class VulnException extends RuntimeException {
    public VulnException(String message) {
        super(message);
    }

    public VulnException(String message, Throwable cause) {
        super(message, cause);
    }
}
