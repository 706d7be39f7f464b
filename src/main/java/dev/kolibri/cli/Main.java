package dev.kolibri.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/** The {@code kolibri} command: parses, calls the library, renders. Exit 0 ok, 1 failure, 2 usage error. */
@Command(name = "kolibri", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Builds minimal, hardened container images straight from distribution packages.")
public final class Main implements Runnable {
    /** The subcommands, in help order. */
    private static final List<Class<?>> COMMANDS = List.of(LockCommand.class, BuildCommand.class, InspectCommand.class,
            DiffCommand.class, SbomCommand.class, ScanCommand.class, DbCommand.class, PushCommand.class, PullCommand.class,
            KeygenCommand.class, SignCommand.class, AttestCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        // picocli builds a model of every command it is given, by reflection: a fifth of a short push's CPU for all
        // of them. When the first argument names a command, only that one is built (help and errors stay the same).
        Class<?> named = args.length == 0 ? null : named(args[0]);
        if (named != null) cl.addSubcommand(named);
        else for (Class<?> c : COMMANDS) cl.addSubcommand(c);
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

    private static Class<?> named(String arg) {
        for (Class<?> c : COMMANDS) {
            if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(arg)) return c;
        }
        return null;
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
