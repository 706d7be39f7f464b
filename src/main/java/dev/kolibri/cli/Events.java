package dev.kolibri.cli;

import dev.kolibri.build.BuildEvents;

import java.io.PrintWriter;

/** Build events as plain lines on stderr. */
final class Events implements BuildEvents {
    private final PrintWriter err;
    private final boolean quiet;

    Events(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public void info(String line) {
        if (!quiet) {
            err.println(line);
            err.flush();
        }
    }

    @Override
    public void warn(String line) {
        err.println("warning: " + line);
        err.flush();
    }
}
