package dev.kolibri.cli;

import dev.kolibri.vuln.DbIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "db", description = "Vulnerability databases.", subcommands = DbCommand.Import.class)
final class DbCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(cmd.commandLine(), "missing subcommand: use `kolibri db import SOURCES... -o DIR`");
    }

    @Command(name = "import", description = "Import OSV records (directories, zips, JSON files) into an index for fast scans.")
    static final class Import implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec cmd;

        @Parameters(paramLabel = "SOURCES", arity = "1..*", description = "OSV directories, zips or JSON files")
        List<Path> sources;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "the index directory (replaced atomically)")
        Path output;

        @Option(names = "--json", description = "machine-readable output")
        boolean json;

        @Override
        public Integer call() throws IOException {
            for (Path s : sources) {
                if (!Files.exists(s)) throw new IllegalArgumentException(s + ": no such OSV source (give a directory, a zip or a JSON file)");
            }
            long start = System.nanoTime();
            DbIndex.Stats stats = DbIndex.build(sources, output);
            double seconds = (System.nanoTime() - start) / 1e9;
            long bytes = size(output);
            PrintWriter out = cmd.commandLine().getOut();
            if (json) {
                Map<String, Object> r = new TreeMap<>();
                r.put("index", output.toString());
                r.put("records", stats.records());
                r.put("withdrawn", stats.withdrawn());
                r.put("keys", stats.keys());
                r.put("bytes", bytes);
                r.put("seconds", Math.round(seconds * 1000) / 1000.0);
                Output.json(out, r);
            } else {
                out.printf("imported %d records (%d withdrawn) under %d package keys in %.1f s%n", stats.records(),
                        stats.withdrawn(), stats.keys(), seconds);
                out.printf("wrote %s (%s)%n", output, Output.size(bytes));
            }
            return 0;
        }

        private static long size(Path dir) throws IOException {
            try (Stream<Path> s = Files.list(dir)) {
                long total = 0;
                for (Path p : s.toList()) if (Files.isRegularFile(p)) total += Files.size(p);
                return total;
            }
        }
    }
}
