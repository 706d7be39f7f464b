package dev.kolibri.oci;

/** A manifest, index or config document that is not valid JSON of the expected OCI shape. */
public class OciFormatException extends IllegalArgumentException {
    public OciFormatException(String message) {
        super(message);
    }

    public OciFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
