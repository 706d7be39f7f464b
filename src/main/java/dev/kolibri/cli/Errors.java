package dev.kolibri.cli;

import dev.kolibri.Hinted;

import java.io.PrintWriter;

/**
 * Renders a failure as one {@code error:} line (what failed, on which input) and one {@code hint:} line (what to
 * do): the exception's own hint when it is {@link Hinted} (or its cause is), else where to look next. The cause chain
 * only when KOLIBRI_DEBUG is set.
 */
final class Errors {
    private Errors() {}

    static void print(Throwable e, PrintWriter err) {
        print(e, err, null);
    }

    /** @param verb the verb that failed ({@code build}), for the general hint; may be null */
    static void print(Throwable e, PrintWriter err, String verb) {
        String msg = e.getMessage();
        boolean expected = !(e instanceof NullPointerException || e instanceof ClassCastException
                || e instanceof IndexOutOfBoundsException || e instanceof AssertionError);
        if (msg == null || msg.isBlank() || !expected) {
            err.println("error: internal error: " + e + " (please report it, with KOLIBRI_DEBUG=1 output)");
            err.println("hint: run it again with KOLIBRI_DEBUG=1 and report the output");
        } else {
            err.println("error: " + msg.strip());
            err.println("hint: " + hint(e, verb));
        }
        if (System.getenv("KOLIBRI_DEBUG") != null) e.printStackTrace(err);
        err.flush();
    }

    /** The hint of {@code e} or of the first cause that has one; else the verb's help and KOLIBRI_DEBUG. */
    static String hint(Throwable e, String verb) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Hinted h && h.hint() != null && !h.hint().isBlank()) return h.hint().strip();
        }
        String v = verb == null || verb.isBlank() ? "" : verb + " ";
        return "the line above names what to change; `kolibri " + v + "--help` lists the options, KOLIBRI_DEBUG=1 shows where it failed";
    }
}
