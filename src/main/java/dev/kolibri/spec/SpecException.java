package dev.kolibri.spec;

import java.nio.file.Path;

/**
 * An image definition that cannot be used. The message is ready for a person: {@code file:line: what; hint}
 * (the line is 1-based; it is left out when the problem has no single place, as for an unknown variant name).
 */
public final class SpecException extends RuntimeException {
    private final Path file;
    private final int line;

    public SpecException(Path file, int line, String message) {
        super(format(file, line, message));
        this.file = file;
        this.line = line;
    }

    /** The definition the problem is in. */
    public Path file() {
        return file;
    }

    /** 1-based line of the problem, or 0 when it has none. */
    public int line() {
        return line;
    }

    static String format(Path file, int line, String message) {
        String where = file == null ? "<definition>" : file.toString();
        return line > 0 ? where + ":" + line + ": " + message : where + ": " + message;
    }
}
