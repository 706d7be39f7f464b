package dev.kolibri.lock;

/** A lockfile that was made for another version of its image definition: run {@code kolibri lock} again. */
public final class LockMismatchException extends LockException {
    public LockMismatchException(String message) {
        super(message);
    }
}
