package dev.kolibri.pkg.deb;

/**
 * Debian metadata that cannot be read: a bad version string, a malformed control paragraph, a missing field in a
 * {@code Packages} index. The message names the input (file and line where known) and what is wrong.
 */
public final class DebMetadataException extends IllegalArgumentException {
    public DebMetadataException(String message) {
        super(message);
    }
}
