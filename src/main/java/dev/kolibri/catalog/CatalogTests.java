package dev.kolibri.catalog;

import dev.kolibri.build.ImageBuilder;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.TestSpec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the catalog's tests ({@code tests:} in each definition, see docs/parts/catalog.md) on the images a
 * {@code kolibri catalog build} wrote, under podman; and, for every flavour that allows no shell, checks that the
 * container cannot start {@code /bin/sh}. Without podman every test is skipped, with the reason.
 */
public final class CatalogTests {
    /** What a test gave. */
    public enum Status { PASSED, FAILED, SKIPPED }

    /**
     * @param flavour the image tested
     * @param test    the test's name ({@value #NO_SHELL} for the built-in shell check)
     * @param status  passed, failed or skipped
     * @param detail  why it failed or was skipped (one line), or empty
     */
    public record Outcome(Flavour flavour, String test, Status status, String detail) {}

    /**
     * @param output         the directory of the layouts ({@code out/})
     * @param images         image names to test (all when empty)
     * @param stepSeconds    how long one step may take (a service's steps are retried until it answers, this long)
     */
    public record Options(Path output, Set<String> images, long stepSeconds) {
        public Options {
            images = Set.copyOf(images);
        }
    }

    public static final String NO_SHELL = "no-shell";
    static final int NONROOT = ImageSpec.NONROOT;

    private final Options opts;
    private final Map<String, String> pulled = new HashMap<>();
    private Podman podman;
    private int serial;

    private CatalogTests(Options opts) {
        this.opts = opts;
    }

    /** Runs the tests of the flavours of {@code catalog} that {@code opts} names; one outcome per test and flavour. */
    public static List<Outcome> run(Catalog catalog, Options opts, java.util.function.Consumer<Outcome> each)
            throws IOException, InterruptedException {
        return new CatalogTests(opts).runAll(catalog, each);
    }

    private List<Outcome> runAll(Catalog catalog, java.util.function.Consumer<Outcome> each) throws IOException, InterruptedException {
        List<Outcome> out = new ArrayList<>();
        String[] why = new String[1];
        Optional<Podman> found = Podman.find(why, opts.stepSeconds());
        List<Flavour> flavours = catalog.flavours(opts.images());
        if (found.isEmpty()) {
            for (Flavour f : flavours) {
                for (String t : testNames(f)) record(out, each, new Outcome(f, t, Status.SKIPPED, why[0]));
            }
            return out;
        }
        try (Podman p = found.get()) {
            podman = p;
            for (Flavour f : flavours) {
                String image;
                try {
                    image = image(f.stream().name(), ImageBuilder.tagOf(f.effective()));
                } catch (CatalogException e) {
                    for (String t : testNames(f)) record(out, each, new Outcome(f, t, Status.FAILED, e.getMessage()));
                    continue;
                }
                ImageSpec spec = f.effective();
                if (!spec.allowShell()) record(out, each, noShell(f, image));
                for (TestSpec t : f.stream().tests()) {
                    if (t.appliesTo(f.variant())) record(out, each, test(f, image, t));
                }
            }
            for (String id : pulled.values()) podman.rmi(id);
        }
        return out;
    }

    private static void record(List<Outcome> out, java.util.function.Consumer<Outcome> each, Outcome o) {
        out.add(o);
        each.accept(o);
    }

    private static List<String> testNames(Flavour f) {
        List<String> names = new ArrayList<>();
        if (!f.effective().allowShell()) names.add(NO_SHELL);
        for (TestSpec t : f.stream().tests()) if (t.appliesTo(f.variant())) names.add(t.name());
        return names;
    }

    /** The podman image ID of {@code OUT/name:tag}, pulled once. */
    private String image(String name, String tag) throws IOException, InterruptedException {
        String key = name + ":" + tag;
        String id = pulled.get(key);
        if (id != null) return id;
        Path layout = opts.output().resolve(name);
        if (!Files.isRegularFile(layout.resolve("index.json"))) {
            throw new CatalogException(layout + " is not built; run `kolibri catalog build --image " + name + "` first");
        }
        id = podman.pull(podman.ociRef(layout, tag));
        pulled.put(key, id);
        return id;
    }

    private Outcome noShell(Flavour f, String image) throws IOException, InterruptedException {
        Podman.Result r = podman.run(List.of("run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", image, "-c", "exit 0"),
                opts.stepSeconds());
        return r.exit() != 0 ? new Outcome(f, NO_SHELL, Status.PASSED, "")
                : new Outcome(f, NO_SHELL, Status.FAILED, "the image runs /bin/sh, but its definition allows no shell");
    }

    private Outcome test(Flavour f, String image, TestSpec t) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(podman.scratch(), "work");
        String container = null;
        try {
            if (t.files() != null) copyTree(f.stream().directory().resolve(t.files()), work);
            chownTree(work);
            int k = 0;
            for (TestSpec.Step s : t.setup()) {
                k++;
                String failed = once(f, image, s, work, null);
                if (failed != null) return new Outcome(f, t.name(), Status.FAILED, "setup " + k + " (line " + s.line() + "): " + failed);
            }
            if (t.service() != null) {
                container = "kolibri-test-" + ProcessHandle.current().pid() + "-" + (++serial);
                List<String> args = new ArrayList<>(List.of("run", "-d", "--network", "host", "--name", container,
                        "-v", work + ":/work"));
                args.addAll(containerArgs(t.service()));
                args.add(imageOf(f, image, t.service()));
                if (t.service().args() != null) args.addAll(t.service().args());
                Podman.Result r = podman.run(args, opts.stepSeconds());
                if (r.exit() != 0) return new Outcome(f, t.name(), Status.FAILED, "the service did not start: " + Podman.firstLine(r.both()));
            }
            int n = 0;
            for (TestSpec.Step s : t.steps()) {
                n++;
                String failed = container == null ? once(f, image, s, work, null) : untilItAnswers(f, image, s, work, container);
                if (failed != null) {
                    String logs = "";
                    if (container != null) {
                        Podman.Result l = podman.run(List.of("logs", "--tail", "5", container), opts.stepSeconds());
                        logs = "; service log: " + l.both().replace('\n', ' ');
                    }
                    return new Outcome(f, t.name(), Status.FAILED, "step " + n + " (line " + s.line() + "): " + failed + logs);
                }
            }
            return new Outcome(f, t.name(), Status.PASSED, "");
        } catch (CatalogException e) {
            return new Outcome(f, t.name(), Status.FAILED, e.getMessage());
        } finally {
            if (container != null) podman.run(List.of("rm", "-f", "-t", "1", container), opts.stepSeconds());
            dev.kolibri.fs.OutputDir.deleteTree(work);
        }
    }

    /** A service's step, tried again while it fails (the service may still be starting), until the time is up. */
    private String untilItAnswers(Flavour f, String image, TestSpec.Step s, Path work, String container)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(opts.stepSeconds()).toNanos();
        while (true) {
            String failed = once(f, image, s, work, container);
            if (failed == null || System.nanoTime() > deadline) return failed;
            Thread.sleep(500);
        }
    }

    /** Runs one step; null when it gave what it expects, else what went wrong. */
    private String once(Flavour f, String image, TestSpec.Step s, Path work, String container) throws IOException, InterruptedException {
        TestSpec.Expect want = s.expect();
        if (s.http() != null) return http(s.http(), want);
        Podman.Result r;
        if (s.exec() != null) {
            List<String> args = new ArrayList<>(List.of("exec", container));
            args.addAll(s.exec());
            r = podman.run(args, opts.stepSeconds());
        } else {
            List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", container == null ? "none" : "host",
                    "-v", work + ":/work"));
            args.addAll(containerArgs(s));
            args.add(imageOf(f, image, s));
            if (s.args() != null) args.addAll(s.args());
            r = podman.run(args, opts.stepSeconds());
        }
        if (r.exit() != want.exitOrDefault()) {
            return "exit " + r.exit() + ", expected " + want.exitOrDefault() + ": " + clip(r.both());
        }
        if (want.stdout() != null && !r.stdout().contains(want.stdout())) {
            return "the output does not contain `" + want.stdout() + "`: " + clip(r.stdout());
        }
        if (want.stderr() != null && !r.stderr().contains(want.stderr())) {
            return "the error output does not contain `" + want.stderr() + "`: " + clip(r.stderr());
        }
        return null;
    }

    private String http(String url, TestSpec.Expect want) throws InterruptedException {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != want.statusOrDefault()) return url + " answered " + r.statusCode() + ", expected " + want.statusOrDefault();
            if (want.stdout() != null && !r.body().contains(want.stdout())) return url + "'s body does not contain `" + want.stdout() + "`: " + clip(r.body());
            return null;
        } catch (IOException e) {
            return url + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        }
    }

    private static List<String> containerArgs(TestSpec.Step s) {
        List<String> a = new ArrayList<>();
        if (s.user() != null) a.addAll(List.of("--user", String.valueOf(s.user())));
        if (s.entrypoint() != null) a.addAll(List.of("--entrypoint", json(s.entrypoint())));
        return a;
    }

    /** The image a step runs: the flavour's, its stream's base, or another catalog image ({@code static}, {@code core-runtime:latest}). */
    private String imageOf(Flavour f, String image, TestSpec.Step s) throws IOException, InterruptedException {
        if (s.image() == null) return image;
        if (s.image().equals(TestSpec.BASE)) return image(f.stream().name(), ImageBuilder.tagOf(f.stream()));
        if (f.stream().variantNames().contains(s.image())) {
            return image(f.stream().name(), ImageBuilder.tagOf(f.stream().withVariant(s.image())));
        }
        int colon = s.image().indexOf(':');
        return colon < 0 ? image(s.image(), "latest") : image(s.image().substring(0, colon), s.image().substring(colon + 1));
    }

    private static String json(List<String> l) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(l);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clip(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) throw new CatalogException(from + ": the test's `files:` directory does not exist");
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** /work belongs to the image's user, 65532, when this process may give it away (as root); else it is left open (0777). */
    private static void chownTree(Path dir) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        try (var s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                if (root) {
                    Files.setAttribute(p, "unix:uid", NONROOT, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(p, "unix:gid", NONROOT, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                } else if (Files.isDirectory(p)) {
                    Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
                }
            }
        }
    }
}
