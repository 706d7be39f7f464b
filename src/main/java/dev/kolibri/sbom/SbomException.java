package dev.kolibri.sbom;

/** An SBOM or provenance document cannot be made from the given input; the message names the input and the fix. */
public final class SbomException extends RuntimeException {
    public SbomException(String message) {
        super(message);
    }
}
