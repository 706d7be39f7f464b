package dev.kolibri.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the outside reference tools (dpkg-deb, gpg, skopeo, umoci, ...) that make fixtures and check outputs. */
public final class Tools {
    private Tools() {}

    public record Result(int exit, String out, String err) {
        public Result orFail(List<String> cmd) {
            if (exit != 0) throw new AssertionError(String.join(" ", cmd) + " exited " + exit + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    /** Skips the calling test, visibly, when a tool is missing (CI installs them all through .ci/install-deps). */
    public static void require(String... tools) {
        for (String t : tools) {
            Assumptions.assumeTrue(onPath(t), () -> "skipped: '" + t + "' is not installed (run .ci/install-deps)");
        }
    }

    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Runs a command; returns its result whatever the exit code. */
    public static Result run(Path dir, Map<String, String> env, List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
            if (dir != null) pb.directory(dir.toFile());
            pb.environment().putAll(env);
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Path out = Files.createTempFile("tool", ".out");
            Path err = Files.createTempFile("tool", ".err");
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError("could not run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a command and fails the test if it exits non-zero. */
    public static Result ok(Path dir, String... cmd) {
        return run(dir, Map.of(), List.of(cmd)).orFail(List.of(cmd));
    }
}
