package dev.kolibri.fs;

/** Two packages install different things at one path (or one needs a directory where the other put a file). */
public final class FileConflictException extends RuntimeException {
    private final String path;
    private final String firstOwner;
    private final String secondOwner;

    public FileConflictException(String path, String firstOwner, String secondOwner, String message) {
        super(message);
        this.path = path;
        this.firstOwner = firstOwner;
        this.secondOwner = secondOwner;
    }

    public String path() {
        return path;
    }

    /** The package whose entry was already in the tree. */
    public String firstOwner() {
        return firstOwner;
    }

    /** The package being installed. */
    public String secondOwner() {
        return secondOwner;
    }
}
