package dev.kolibri.fs;

import java.io.IOException;

/** An output directory that cannot be written: the message names the path, the reason and what to do. */
public class OutputDirException extends IOException {
    public OutputDirException(String message) {
        super(message);
    }

    public OutputDirException(String message, Throwable cause) {
        super(message, cause);
    }
}
