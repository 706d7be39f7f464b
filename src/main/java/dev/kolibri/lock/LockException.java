package dev.kolibri.lock;

/** A lockfile that cannot be read or used; the message names the file and says what to do. */
public class LockException extends RuntimeException {
    public LockException(String message) {
        super(message);
    }

    public LockException(String message, Throwable cause) {
        super(message, cause);
    }
}
