package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildEvents;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.build.BuildResult;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.repo.AptSources;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server images of the catalog ({@code images/nginx.yaml}, {@code images/valkey.yaml}) built for amd64 from the
 * machine's Debian 13 mirror and run under podman with runc: each runs as 65532 and answers (nginx an HTTP request
 * on 8080 from the machine, valkey a ping inside its container); skopeo reads the ports and volumes the definitions
 * declare, and umoci's unpacked tree has what {@code paths:} made (logs linked to the console) and no shell.
 * Tagged {@code mirror}; skipped, with the reason, when trixie is not reachable or podman cannot run containers.
 * The definitions, their files and locks are copied to a temp directory (the tracked locks stay untouched).
 */
@Tag("mirror")
class MirrorServersTest {
    static final Path CATALOG = Path.of("images");
    static final Path CACHE = Path.of("target", "e2e-mirror-cache").toAbsolutePath();

    @TempDir static Path dir;
    static Kolibri kolibri;

    @BeforeAll
    static void probeMirror() throws Exception {
        AptSources apt = MirrorProbe.reachable("trixie");
        copyTree(CATALOG.resolve("distros"), dir.resolve("distros"));
        copyTree(CATALOG.resolve("files"), dir.resolve("files"));
        for (String name : List.of("nginx", "valkey")) {
            for (String f : List.of(name + ".yaml", name + ".lock.json")) {
                if (Files.exists(CATALOG.resolve(f))) Files.copy(CATALOG.resolve(f), dir.resolve(f));
            }
        }
        Files.createDirectories(CACHE);
        kolibri = new Kolibri(new ContentStore(CACHE), Progress.SILENT, BuildEvents.SILENT, apt);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    static BuildResult build(String name) throws Exception {
        ImageSpec spec = Kolibri.load(dir.resolve(name + ".yaml"), null);
        Path lockPath = Lockfile.pathFor(spec);
        boolean current = false;
        if (Files.exists(lockPath)) {
            try {
                Lockfile.read(lockPath).checkMatches(spec);
                current = true;
            } catch (dev.kolibri.lock.LockMismatchException stale) {
                // the definition changed since it was locked: resolve again
            }
        }
        if (!current) kolibri.lock(spec);
        return kolibri.build(spec, new BuildOptions(dir.resolve("out").resolve(name), List.of("amd64"), null, true,
                false, Compression.GZIP, null));
    }

    /** skopeo's view of the config: user, ports, volumes. */
    static JsonNode config(BuildResult r) throws IOException {
        JsonNode c = Oracles.skopeoConfig(r.layout(), r.tag(), "amd64").path("config");
        assertThat(c.path("User").asText()).isEqualTo("65532");
        return c;
    }

    @Test
    void nginx_runsAs65532_andServesHttpOn8080() throws Exception {
        BuildResult r = build("nginx");
        JsonNode c = config(r);
        assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(c.path("Volumes").has("/var/lib/nginx")).isTrue();
        Path bundle = dir.resolve("bundle-nginx");
        try {
            Path root = Oracles.umociUnpack(r.layout(), r.tag(), bundle);
            assertThat(Files.readSymbolicLink(root.resolve("var/log/nginx/access.log"))).hasToString("/dev/stdout");
            assertThat(Files.readSymbolicLink(root.resolve("var/log/nginx/error.log"))).hasToString("/dev/stderr");
            assertThat(Files.readString(root.resolve("etc/nginx/nginx.conf"))).doesNotContain("user www-data");
            assertThat(root.resolve("bin/sh")).doesNotExist();
        } finally {
            Oracles.remove(bundle);
        }
        try (Service s = Service.start(r, "kolibri-e2e-nginx")) {
            String body = s.httpGet(URI.create("http://127.0.0.1:8080/"));
            assertThat(body).contains("Welcome to nginx");
            assertThat(s.users()).isNotEmpty().allMatch("65532"::equals);
            assertThat(s.logs()).contains("\"GET / HTTP/1.1\" 200");   // the access log reached the console
        }
    }

    @Test
    void valkey_runsAs65532_andAnswersAPing() throws Exception {
        BuildResult r = build("valkey");
        JsonNode c = config(r);
        assertThat(c.path("ExposedPorts").has("6379/tcp")).isTrue();
        assertThat(c.path("Volumes").has("/var/lib/valkey")).isTrue();
        try (Service s = Service.start(r, "kolibri-e2e-valkey")) {
            assertThat(s.execUntil("PONG", "/usr/bin/valkey-cli", "-h", "127.0.0.1", "ping")).contains("PONG");
            assertThat(s.exec("/usr/bin/valkey-cli", "-h", "127.0.0.1", "set", "k", "v").out()).contains("OK");
            assertThat(s.exec("/usr/bin/valkey-cli", "-h", "127.0.0.1", "get", "k").out()).contains("v");
            assertThat(s.users()).isNotEmpty().allMatch("65532"::equals);
            assertThat(s.logs()).contains("Ready to accept connections");
        }
    }

    /** A container of the image started in the background on the host's network, removed on close. */
    record Service(String name, Path conf) implements AutoCloseable {
        static Service start(BuildResult r, String name) throws IOException {
            Oracles.requirePodman();
            Path conf = Files.createTempFile("containers", ".conf");
            Files.writeString(conf, "[containers]\ndefault_ulimits = []\n");
            Service s = new Service(name, conf);
            s.podman("rm", "-f", name);
            Tools.Result run = s.podman("--runtime", "runc", "run", "-d", "-q", "--name", name, "--network", "host",
                    "oci:" + r.layout().toAbsolutePath() + ":" + r.tag());
            Assumptions.assumeFalse(run.exit() != 0 && run.err().contains("cannot find newuidmap"),
                    "skipped: podman cannot run containers here: " + run.err().strip());
            if (run.exit() != 0) {
                s.close();
                throw new AssertionError("podman run exited " + run.exit() + ": " + run.err());
            }
            return s;
        }

        Tools.Result podman(String... args) {
            List<String> cmd = new ArrayList<>(List.of("podman"));
            cmd.addAll(List.of(args));
            return Tools.run(null, Map.of("CONTAINERS_CONF", conf.toString()), cmd);
        }

        Tools.Result exec(String... command) {
            List<String> cmd = new ArrayList<>(List.of("exec", name));
            cmd.addAll(List.of(command));
            return podman(cmd.toArray(String[]::new));
        }

        /** Runs the command until its output contains {@code expected}, at most 100 times (the server starting up). */
        String execUntil(String expected, String... command) throws InterruptedException {
            Tools.Result last = null;
            for (int i = 0; i < 100; i++) {
                last = exec(command);
                if (last.exit() == 0 && last.out().contains(expected)) return last.out();
                Thread.sleep(100);
            }
            throw new AssertionError("`" + String.join(" ", command) + "` never gave " + expected + ": " + last.out()
                    + last.err() + "\nlogs: " + logs());
        }

        /** The body of a GET, retried while the server does not accept connections yet (at most 100 attempts). */
        String httpGet(URI uri) throws Exception {
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                IOException last = null;
                for (int i = 0; i < 100; i++) {
                    try {
                        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(resp.statusCode()).as("GET " + uri).isEqualTo(200);
                        return resp.body();
                    } catch (java.net.ConnectException e) {
                        last = e;
                        Thread.sleep(100);
                    }
                }
                throw new AssertionError("nothing answered " + uri + ": " + last + "\nlogs: " + logs());
            }
        }

        /** The host uids of the container's processes ({@code podman top NAME huser}). */
        List<String> users() {
            Tools.Result top = podman("top", name, "huser");
            assertThat(top.exit()).as(top.err()).isZero();
            return top.out().lines().skip(1).map(String::strip).filter(l -> !l.isEmpty()).toList();
        }

        String logs() {
            Tools.Result l = podman("logs", name);
            return l.out() + l.err();
        }

        @Override
        public void close() throws IOException {
            podman("rm", "-f", "-t", "0", name);
            Files.deleteIfExists(conf);
        }
    }
}
