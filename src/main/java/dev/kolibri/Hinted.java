package dev.kolibri;

/**
 * A failure that knows what the person who met it can do next. The CLI prints the exception's message as the
 * {@code error:} line (what failed, on which input) and {@link #hint()} as the {@code hint:} line after it.
 */
public interface Hinted {
    /** What to do, as one line: {@code run `kolibri lock x.yaml`}, {@code check the name in ...}. */
    String hint();
}
