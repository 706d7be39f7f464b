package dev.kolibri.layer;

/** A layer plan that cannot be made, e.g. a previous image that cannot be read; the message says what to do. */
public class LayerPlanException extends Exception {
    public LayerPlanException(String message) {
        super(message);
    }

    public LayerPlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
