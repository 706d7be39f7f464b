package dev.kolibri.cli;

import java.io.PrintWriter;

/** Renders a failure as one {@code error:} line (and the cause chain only when KOLIBRI_DEBUG is set). */
final class Errors {
    private Errors() {}

    static void print(Throwable e, PrintWriter err) {
        String msg = e.getMessage();
        boolean expected = !(e instanceof NullPointerException || e instanceof ClassCastException
                || e instanceof IndexOutOfBoundsException || e instanceof AssertionError);
        if (msg == null || msg.isBlank() || !expected) {
            err.println("error: internal error: " + e + " (please report it, with KOLIBRI_DEBUG=1 output)");
        } else {
            err.println("error: " + msg.strip());
        }
        if (System.getenv("KOLIBRI_DEBUG") != null) e.printStackTrace(err);
        err.flush();
    }
}
