package dev.kolibri.finalize;

/** A finalize step could not do its work; the message starts with the step's name. */
public final class FinalizeException extends Exception {
    private final String step;

    public FinalizeException(String step, String detail) {
        super(step + ": " + detail);
        this.step = step;
    }

    public FinalizeException(String step, String detail, Throwable cause) {
        super(step + ": " + detail, cause);
        this.step = step;
    }

    /** Name of the step that failed. */
    public String step() {
        return step;
    }
}
