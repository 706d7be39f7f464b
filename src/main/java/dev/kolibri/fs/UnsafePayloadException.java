package dev.kolibri.fs;

/** A package member that would write outside the tree, through a symlink, or links to something it may not. */
public final class UnsafePayloadException extends RuntimeException {
    public UnsafePayloadException(String message) {
        super(message);
    }
}
