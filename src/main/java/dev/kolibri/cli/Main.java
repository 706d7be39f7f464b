package dev.kolibri.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code kolibri} command: parses, calls the library, renders. Exit 0 ok, 1 failure, 2 usage error. */
@Command(name = "kolibri", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Builds minimal, hardened container images straight from distribution packages.",
        subcommands = {LockCommand.class, BuildCommand.class, InspectCommand.class, DiffCommand.class, SbomCommand.class,
                ScanCommand.class, DbCommand.class, PushCommand.class, PullCommand.class, KeygenCommand.class,
                SignCommand.class, AttestCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> 1);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Errors.print(e, cmd.getErr());
            return 1;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage());
            e.getCommandLine().getErr().println("hint: run `kolibri " + e.getCommandLine().getCommandName()
                    .replace("kolibri", "").trim() + " --help` for usage".replace("  ", " "));
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"kolibri " + (v == null ? "dev" : v)};
        }
    }
}
