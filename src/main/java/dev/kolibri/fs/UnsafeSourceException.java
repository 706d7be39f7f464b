package dev.kolibri.fs;

/** A local source ({@code contents:}) that is missing, lies outside the definition's directory, or holds a special file. */
public final class UnsafeSourceException extends java.io.IOException {
    public UnsafeSourceException(String message) {
        super(message);
    }
}
