package dev.kolibri.pkg.rpm;

/** An {@code .rpm} file or RPM header that cannot be read or fails its digests; the message names the input. */
public class RpmArchiveException extends RuntimeException {
    public RpmArchiveException(String message) {
        super(message);
    }

    public RpmArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
