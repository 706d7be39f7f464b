package dev.kolibri.sign;

/** A signed document (simple-signing payload, in-toto statement, DSSE envelope) is malformed or of another kind. */
public class PayloadException extends Exception {
    public PayloadException(String message) {
        super(message);
    }

    public PayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
