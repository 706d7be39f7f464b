package dev.kolibri.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The podman command line, as {@code kolibri catalog test} uses it: {@code --runtime runc} when runc is on the
 * machine, and, unless {@code CONTAINERS_CONF} is set, a containers.conf of Kolibri's own with no default ulimits
 * (so that containers start where raising rlimits is not allowed). Layout paths are reached through a lower-case
 * link, since podman refuses upper case in {@code oci:} references.
 */
final class Podman implements AutoCloseable {
    /** What a command gave. */
    record Result(int exit, String stdout, String stderr) {
        String both() {
            return (stdout + stderr).strip();
        }
    }

    private final String podman;
    private final String runtime;
    private final Path scratch;
    private final Map<String, String> env;
    private final long timeoutSeconds;

    private Podman(String podman, String runtime, Path scratch, Map<String, String> env, long timeoutSeconds) {
        this.podman = podman;
        this.runtime = runtime;
        this.scratch = scratch;
        this.env = env;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** podman on this machine, or empty with the reason in {@code why[0]}. */
    static Optional<Podman> find(String[] why, long timeoutSeconds) throws IOException {
        String p = onPath("podman");
        if (p == null) {
            why[0] = "podman is not on this machine (install podman and runc to run the catalog's tests)";
            return Optional.empty();
        }
        String runc = onPath("runc");
        Path scratch = Files.createTempDirectory("kolibri-catalog-test-");
        Map<String, String> env = new java.util.HashMap<>();
        if (System.getenv("CONTAINERS_CONF") == null) {
            Path conf = scratch.resolve("containers.conf");
            Files.writeString(conf, "[containers]\ndefault_ulimits = []\n", StandardCharsets.UTF_8);
            env.put("CONTAINERS_CONF", conf.toString());
        }
        return Optional.of(new Podman(p, runc == null ? null : "runc", scratch, env, timeoutSeconds));
    }

    private static String onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path f = Path.of(d.isEmpty() ? "." : d, tool);
            if (Files.isExecutable(f)) return f.toString();
        }
        return null;
    }

    Path scratch() {
        return scratch;
    }

    /** An {@code oci:} reference to {@code layout:tag} through a lower-case link in the scratch directory. */
    String ociRef(Path layout, String tag) throws IOException {
        String name = "l" + Integer.toHexString(layout.toAbsolutePath().normalize().toString().hashCode());
        Path link = scratch.resolve(name);
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, layout.toAbsolutePath().normalize());
        return "oci:" + link + ":" + tag;
    }

    /** {@code podman pull} of a layout's tag; returns the image ID. */
    String pull(String ociRef) throws IOException, InterruptedException {
        Result r = run(List.of("pull", "-q", ociRef), timeoutSeconds);
        // another podman on the machine may remove a shared layer while this one adds it ("layer not known"): once more
        if (r.exit() != 0 && r.both().contains("layer not known")) r = run(List.of("pull", "-q", ociRef), timeoutSeconds);
        if (r.exit() != 0) throw new CatalogException("podman pull " + ociRef + " failed: " + firstLine(r.both()));
        String id = r.stdout().strip();
        return id.contains("\n") ? id.substring(id.lastIndexOf('\n') + 1) : id;
    }

    void rmi(String id) throws IOException, InterruptedException {
        run(List.of("rmi", "-f", id), timeoutSeconds);
    }

    /** {@code podman [--runtime R] ARGS...}, with a time limit; a container still running then is killed. */
    Result run(List<String> args, long seconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(podman);
        if (runtime != null) cmd.addAll(List.of("--runtime", runtime));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
            p.waitFor();
        }
        String o = Files.readString(out, StandardCharsets.UTF_8);
        String e = Files.readString(err, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        if (!done) return new Result(124, o, e + "\n(timed out after " + seconds + " s)");
        return new Result(p.exitValue(), o, e);
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    @Override
    public void close() throws IOException {
        dev.kolibri.fs.OutputDir.deleteTree(scratch);
    }
}
