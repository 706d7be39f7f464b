package dev.kolibri.oci;

import java.io.IOException;

/** An OCI image layout that cannot be read or written: missing or corrupt blob, bad index, failed rename. */
public class OciLayoutException extends IOException {
    public OciLayoutException(String message) {
        super(message);
    }

    public OciLayoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
