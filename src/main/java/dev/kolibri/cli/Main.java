package dev.kolibri.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/** The {@code kolibri} command: parses, calls the library, renders. Exit 0 ok, 1 failure, 2 usage error. */
@Command(name = "kolibri", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Main.Version.class,
        description = "Builds minimal, hardened container images straight from distribution packages.")
public final class Main implements Runnable {
    /** The verbs, in the order {@code --help} lists them. */
    static final java.util.List<Class<?>> VERBS = java.util.List.of(LockCommand.class, BuildCommand.class,
            InspectCommand.class, DiffCommand.class, SbomCommand.class, ScanCommand.class, DbCommand.class,
            PushCommand.class, PullCommand.class, KeygenCommand.class, SignCommand.class, AttestCommand.class,
            VerifyCommand.class, CatalogCommand.class, CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        Preinit.start(args.length > 0 ? args[0] : "");
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        // Picocli reads a verb's options by reflection when the verb is added: add only the one asked for (its
        // model is the same either way), and every verb when none is recognized (usage, help, a typo's hint).
        Class<?> only = null;
        if (args.length > 0) {
            for (Class<?> v : VERBS) {
                if (v != CommandLine.HelpCommand.class && v.getAnnotation(Command.class).name().equals(args[0])) only = v;
            }
        }
        for (Class<?> v : VERBS) {
            if (only == null || v == only) cl.addSubcommand(v);
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> 1);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Errors.print(e, cmd.getErr(), cmd.getCommandName());
            return 1;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            PrintWriter w = e.getCommandLine().getErr();
            String verb = e.getCommandLine().getCommandName().replace("kolibri", "").trim();
            if (verb.isEmpty() && e instanceof CommandLine.UnmatchedArgumentException && a.length > 0 && !a[0].startsWith("-")) {
                List<String> verbs = verbNames();
                String near = dev.kolibri.spec.Hints.nearest(a[0], verbs);
                w.println("error: unknown command '" + a[0] + "'");
                w.println("hint: " + (near == null ? "" : "did you mean `kolibri " + near + "`? ") + "commands: "
                        + String.join(", ", verbs) + "; run `kolibri --help` for usage");
                w.flush();
                return 2;
            }
            w.println("error: " + e.getMessage());
            String hint = e instanceof UsageException u ? u.hint() + "; " : "";
            w.println("hint: " + hint + "run `kolibri " + (verb.isEmpty() ? "" : verb + " ") + "--help` for usage");
            w.flush();
            return 2;
        });
        return cl.execute(args);
    }

    /** The verbs' names, in {@code --help} order. */
    static List<String> verbNames() {
        List<String> names = new java.util.ArrayList<>();
        for (Class<?> v : VERBS) if (v != CommandLine.HelpCommand.class) names.add(v.getAnnotation(Command.class).name());
        return names;
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
