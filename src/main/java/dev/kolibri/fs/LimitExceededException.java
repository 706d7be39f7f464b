package dev.kolibri.fs;

/**
 * A package (or the image) would unpack past one of its {@link Limits}. The message names the package, the member,
 * its size and the limit with its definition key, on one line.
 */
public final class LimitExceededException extends RuntimeException {
    private final String key;

    public LimitExceededException(String message, String key) {
        super(message);
        this.key = key;
    }

    /** The definition key that sets the limit passed: {@code limits.file}, {@code limits.package}, .... */
    public String key() {
        return key;
    }
}
