package dev.kolibri.cli;

import picocli.CommandLine;

/** A usage error (exit 2) that says what to type instead: printed as {@code hint: <hint>; run `kolibri VERB --help` ...}. */
final class UsageException extends CommandLine.ParameterException {
    private final String hint;

    UsageException(CommandLine cl, String message, String hint) {
        super(cl, message);
        this.hint = hint;
    }

    String hint() {
        return hint;
    }
}
