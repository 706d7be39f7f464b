package dev.kolibri.pkg.rpm;

/**
 * RPM repository metadata that cannot be read: malformed XML, a malformed dependency, a checksum type other than
 * sha256. The message is one line naming the input (file, package) and the reason.
 */
public class RpmMetadataException extends IllegalArgumentException {
    public RpmMetadataException(String message) {
        super(message);
    }

    public RpmMetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
