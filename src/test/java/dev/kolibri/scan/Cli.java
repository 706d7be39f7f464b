package dev.kolibri.scan;

import dev.kolibri.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the {@code kolibri} CLI in-process and captures its streams and exit code. */
record Cli(int exit, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(exit, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
