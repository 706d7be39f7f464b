package dev.kolibri.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code kolibri} as its own process ({@code java -cp <test classpath> dev.kolibri.cli.Main}) with a
 * controlled environment: its own cache ({@code XDG_CACHE_HOME}), no inherited {@code SOURCE_DATE_EPOCH}, and
 * optionally a umask and TZ. This is the CLI contract as a user sees it: exit code, stdout, stderr.
 */
final class Cli {
    private final Path cacheHome;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String umask;

    private Cli(Path cacheHome) {
        this.cacheHome = cacheHome;
    }

    /** A CLI whose cache is {@code $cacheHome/kolibri}. */
    static Cli withCache(Path cacheHome) {
        return new Cli(cacheHome);
    }

    Cli env(String key, String value) {
        env.put(key, value);
        return this;
    }

    Cli umask(String octal) {
        umask = octal;
        return this;
    }

    record Result(int exit, String out, String err) {
        /** The lines of stderr that start with {@code error:}. */
        List<String> errorLines() {
            return err.lines().filter(l -> l.startsWith("error:")).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Starts {@code kolibri args} in {@code workdir} without waiting; its output goes to the discarded stream. */
    Process start(Path workdir, String... args) throws IOException {
        ProcessBuilder pb = builder(workdir, args);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    private ProcessBuilder builder(Path workdir, String... args) {
        List<String> cmd = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (umask != null) cmd.addAll(List.of("sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\"", java));
        else cmd.add(java);
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "dev.kolibri.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workdir.toFile());
        Map<String, String> e = pb.environment();
        e.remove("SOURCE_DATE_EPOCH");
        e.remove("KOLIBRI_DEBUG");
        e.put("XDG_CACHE_HOME", cacheHome.toAbsolutePath().toString());
        e.putAll(env);
        return pb;
    }

    Result run(Path workdir, String... args) {
        ProcessBuilder pb = builder(workdir, args);
        try {
            Path out = Files.createTempFile("kolibri-cli", ".out");
            Path err = Files.createTempFile("kolibri-cli", ".err");
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("kolibri " + String.join(" ", args) + " did not finish in 10 minutes");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException ex) {
            throw new AssertionError("could not run kolibri: " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
