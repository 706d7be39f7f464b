package dev.kolibri.build;

import dev.kolibri.Hinted;

/** A build or lock failure that says what to do: the message is what failed and where, {@link #hint()} the next step. */
public class HintedBuildException extends BuildException implements Hinted {
    private final String hint;

    public HintedBuildException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    @Override
    public String hint() {
        return hint;
    }
}
