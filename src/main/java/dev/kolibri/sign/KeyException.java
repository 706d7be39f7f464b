package dev.kolibri.sign;

/** A key could not be read, decrypted, written or used; the message names the key and what to do. */
public class KeyException extends Exception {
    public KeyException(String message) {
        super(message);
    }

    public KeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
