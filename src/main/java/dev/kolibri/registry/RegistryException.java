package dev.kolibri.registry;

import java.io.IOException;

/**
 * A registry operation failed. {@link #code()} is the registry's error code ({@code UNAUTHORIZED},
 * {@code NAME_UNKNOWN}, {@code MANIFEST_BLOB_UNKNOWN}, ...) when it sent one, else one of Kolibri's own:
 * {@code TLS}, {@code CONNECTION}, {@code DIGEST_INVALID}, {@code CREDENTIALS}, {@code PROTOCOL}, {@code UNKNOWN}.
 * The message is one line: {@code code: host/repo: what happened; what to do}.
 */
public final class RegistryException extends IOException {
    private final String code;
    private final int status;
    private final boolean temporary;

    public RegistryException(String code, int status, boolean temporary, String message) {
        this(code, status, temporary, message, null);
    }

    public RegistryException(String code, int status, boolean temporary, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
        this.temporary = temporary;
    }

    /** The registry's error code, or Kolibri's when the registry sent none. */
    public String code() {
        return code;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** True when trying again later may succeed (429, 5xx, a dropped connection). */
    public boolean isTemporary() {
        return temporary;
    }
}
