package dev.kolibri.scan;

/** A scan target that cannot be read or whose OS cannot be told; the message names the input and what to do. */
public class ScanInputException extends RuntimeException {
    public ScanInputException(String message) {
        super(message);
    }

    public ScanInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
