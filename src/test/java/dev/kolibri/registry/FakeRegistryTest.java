package dev.kolibri.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.oci.MediaTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Protocol paths the real registry cannot be made to take: bearer tokens, redirects, corrupt answers, resumes. */
class FakeRegistryTest {
    private HttpServer server;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    /** "METHOD path?query Authorization" of every request, in order. */
    private final List<String> log = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                String q = ex.getRequestURI().getRawQuery();
                String path = ex.getRequestURI().getPath();
                log.add(ex.getRequestMethod() + " " + path + (q == null ? "" : "?" + q) + " " + ex.getRequestHeaders().getFirst("Authorization"));
                Handler h = routes.get(ex.getRequestMethod() + " " + path);
                if (h == null) h = routes.get("* " + path);
                if (h == null) ex.sendResponseHeaders(404, -1);
                else h.handle(ex);
            }
        });
        server.start();
        routes.put("GET /v2/", ex -> ex.sendResponseHeaders(200, -1));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private RegistryClient client(Consumer<RegistryClient.Builder> tweak) throws RegistryException {
        RegistryClient.Builder b = RegistryClient.builder().keychain(Keychain.anonymous()).backoff(Duration.ofMillis(1))
                .insecure(java.util.Set.of(host()));
        tweak.accept(b);
        return b.build(host());
    }

    private static void send(HttpExchange ex, int status, byte[] body, String... headers) throws IOException {
        for (int i = 0; i < headers.length; i += 2) ex.getResponseHeaders().add(headers[i], headers[i + 1]);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bearer_tokenFetchedOncePerScope_withCredentials_andNotSentToRedirectHost() throws Exception {
        String realm = "http://" + host() + "/token";
        routes.put("GET /v2/", ex -> send(ex, 401, utf8("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"login\"}]}"),
                "WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake registry\",scope=\"\""));
        AtomicInteger tokens = new AtomicInteger();
        routes.put("GET /token", ex -> {
            tokens.incrementAndGet();
            String scope = ex.getRequestURI().getQuery().replaceAll(".*scope=", "");
            send(ex, 200, utf8("{\"access_token\":\"tok-" + scope.replace(' ', '_') + "\"}"));
        });
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.IMAGE_MANIFEST + "\"}");
        routes.put("GET /v2/lib/app/manifests/v1", ex -> {
            if (!"Bearer tok-repository:lib/app:pull".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, new byte[0], "WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake registry\",scope=\"repository:lib/app:pull\"");
                return;
            }
            send(ex, 200, manifest, "Content-Type", MediaTypes.IMAGE_MANIFEST);
        });
        byte[] blob = utf8("layer bytes");
        Digest bd = Digest.sha256(blob);
        routes.put("GET /v2/lib/app/blobs/" + bd, ex -> send(ex, 307, new byte[0], "Location",
                "http://localhost:" + server.getAddress().getPort() + "/cdn/blob?sig=1"));
        routes.put("GET /cdn/blob", ex -> send(ex, 200, blob));

        Path auth = tmp.resolve("auth.json");
        Files.writeString(auth, "{\"auths\":{\"" + host() + "\":{\"username\":\"bob\",\"password\":\"pw\"}}}");
        RegistryClient c = client(b -> b.keychain(new Keychain(Map.of("REGISTRY_AUTH_FILE", auth.toString()), tmp)));
        RegistryClient.RemoteManifest m = c.getManifest("lib/app", "v1", List.of());
        c.getManifest("lib/app", "v1", List.of());
        assertThat(m.digest()).isEqualTo(Digest.sha256(manifest));
        assertThat(m.mediaType()).isEqualTo(MediaTypes.IMAGE_MANIFEST);
        try (InputStream in = c.getBlob("lib/app", bd, blob.length)) {
            assertThat(in.readAllBytes()).isEqualTo(blob);
        }
        assertThat(tokens.get()).isEqualTo(1);
        String basic = new Credentials("bob", "pw").basicHeader();
        assertThat(log).contains("GET /token?service=fake+registry&scope=repository%3Alib%2Fapp%3Apull " + basic);
        assertThat(log).contains("GET /v2/lib/app/blobs/" + bd + " Bearer tok-repository:lib/app:pull");
        assertThat(log).contains("GET /cdn/blob?sig=1 null");
    }

    @Test
    void bearer_tokenServiceRefusal_isOneClearLine() throws Exception {
        routes.put("GET /v2/", ex -> send(ex, 401, new byte[0], "WWW-Authenticate", "Bearer realm=\"http://" + host() + "/token\""));
        routes.put("GET /token", ex -> send(ex, 401, new byte[0]));
        RegistryClient c = client(b -> { });
        assertThatThrownBy(() -> c.listTags("lib/app"))
                .isInstanceOf(RegistryException.class)
                .hasMessage("unauthorized: " + host() + "/lib/app: the token service refused anonymous access; no credentials for "
                        + host() + " in REGISTRY_AUTH_FILE, the containers auth.json or docker's config.json; log in (podman login "
                        + host() + ") or set REGISTRY_AUTH_FILE to an auth file that has them");
    }

    @Test
    void getManifest_whoseBytesDoNotMatchTheDigestHeader_isRefused() throws Exception {
        byte[] manifest = utf8("{\"schemaVersion\":2}");
        routes.put("GET /v2/a/manifests/v1", ex -> send(ex, 200, manifest, "Content-Type", MediaTypes.IMAGE_MANIFEST,
                "Docker-Content-Digest", Digest.sha256(utf8("other")).toString()));
        routes.put("GET /v2/a/manifests/" + Digest.sha256(utf8("x")), ex -> send(ex, 200, manifest, "Content-Type", MediaTypes.IMAGE_MANIFEST));
        RegistryClient c = client(b -> { });
        assertThatThrownBy(() -> c.getManifest("a", "v1", List.of()))
                .isInstanceOf(RegistryException.class).hasMessageStartingWith("digest_invalid: " + host() + "/a: manifest v1 should be");
        assertThatThrownBy(() -> c.getManifest("a", Digest.sha256(utf8("x")).toString(), List.of()))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).code()).isEqualTo("DIGEST_INVALID"));
    }

    @Test
    void getBlob_withCorruptContent_failsOnRead() throws Exception {
        byte[] good = utf8("good content");
        Digest d = Digest.sha256(good);
        routes.put("GET /v2/a/blobs/" + d, ex -> send(ex, 200, utf8("evil content")));
        RegistryClient c = client(b -> { });
        try (InputStream in = c.getBlob("a", d, good.length)) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("digest_invalid: " + host() + "/a: blob " + d + " is corrupt: its content hashes to");
        }
    }

    @Test
    void retries_on429_thenSucceeds_butGiveUpAfterMaxAttempts() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        routes.put("GET /v2/a/tags/list", ex -> {
            if (calls.incrementAndGet() <= 2) send(ex, 429, utf8("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}"));
            else send(ex, 200, utf8("{\"name\":\"a\",\"tags\":[\"b\",\"a\"]}"));
        });
        assertThat(client(b -> b.maxAttempts(3)).listTags("a")).containsExactly("a", "b");
        calls.set(0);
        assertThatThrownBy(() -> client(b -> b.maxAttempts(2)).listTags("a"))
                .isInstanceOf(RegistryException.class)
                .hasMessage("toomanyrequests: " + host() + "/a: slow down; the registry is rate limiting; try again later")
                .satisfies(e -> assertThat(((RegistryException) e).isTemporary()).isTrue());
    }

    @Test
    void chunkedUpload_afterAFailedChunk_asksForTheRange_andResumes() throws Exception {
        byte[] blob = new byte[10_000];
        new Random(7).nextBytes(blob);
        Digest d = Digest.sha256(blob);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        AtomicInteger patches = new AtomicInteger();
        boolean[] done = {false};
        String up = "/v2/a/blobs/uploads/u1";
        routes.put("HEAD /v2/a/blobs/" + d, ex -> ex.sendResponseHeaders(done[0] ? 200 : 404, -1));
        routes.put("POST /v2/a/blobs/uploads/", ex -> send(ex, 202, new byte[0], "Location", up));
        routes.put("PATCH " + up, ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String[] range = ex.getRequestHeaders().getFirst("Content-Range").split("-");
            if (Long.parseLong(range[0]) != stored.size()) {
                send(ex, 416, new byte[0]);
                return;
            }
            if (patches.incrementAndGet() == 2) {
                stored.write(body, 0, body.length / 2); // half the chunk arrived, then the registry failed
                send(ex, 500, new byte[0]);
                return;
            }
            stored.write(body);
            send(ex, 202, new byte[0], "Location", up, "Range", "0-" + (stored.size() - 1));
        });
        routes.put("GET " + up, ex -> send(ex, 204, new byte[0], "Location", up, "Range", "0-" + (stored.size() - 1)));
        routes.put("PUT " + up, ex -> {
            boolean ok = ex.getRequestURI().getQuery().equals("digest=" + d) && Digest.sha256(stored.toByteArray()).equals(d);
            done[0] = ok;
            send(ex, ok ? 201 : 400, new byte[0]);
        });
        RegistryClient c = client(b -> b.chunkThreshold(2048).chunkSize(3000));
        Descriptor desc = new Descriptor(MediaTypes.LAYER_GZIP, d, blob.length, Map.of(), null, null);
        assertThat(c.pushBlob("a", desc, () -> new ByteArrayInputStream(blob))).isEqualTo(RegistryClient.BlobResult.UPLOADED);
        assertThat(stored.toByteArray()).isEqualTo(blob);
        assertThat(log).filteredOn(l -> l.startsWith("GET " + up)).hasSize(1);
        assertThat(log).filteredOn(l -> l.startsWith("POST ")).hasSize(1);
        assertThat(c.pushBlob("a", desc, () -> new ByteArrayInputStream(blob))).isEqualTo(RegistryClient.BlobResult.EXISTED);
    }

    @Test
    void upload_toARegistryThatStoresItUnderAnotherDigest_isRefused() throws Exception {
        byte[] blob = utf8("not what the digest says");
        Digest claimed = Digest.sha256(utf8("something else"));
        String up = "/v2/a/blobs/uploads/u1";
        routes.put("HEAD /v2/a/blobs/" + claimed, ex -> ex.sendResponseHeaders(404, -1));
        routes.put("POST /v2/a/blobs/uploads/", ex -> send(ex, 202, new byte[0], "Location", up));
        routes.put("PUT " + up, ex -> {
            byte[] body = ex.getRequestBody().readAllBytes(); // a registry that does not check ?digest=
            send(ex, 201, new byte[0], "Docker-Content-Digest", Digest.sha256(body).toString());
        });
        RegistryClient c = client(b -> {});
        Descriptor desc = new Descriptor(MediaTypes.LAYER_GZIP, claimed, blob.length, Map.of(), null, null);
        assertThatThrownBy(() -> c.pushBlob("a", desc, () -> new ByteArrayInputStream(blob)))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith("digest_invalid: " + host() + "/a: the registry stored blob " + claimed + " as "
                        + Digest.sha256(blob))
                .satisfies(e -> assertThat(((RegistryException) e).isTemporary()).isFalse());
    }

    /** A fake registry that stores uploads and manifests; {@code tags/list} answers as {@code tagList} says. */
    private Map<String, byte[]> acceptPushes(String repo, Handler tagList) {
        Map<String, byte[]> stored = new ConcurrentHashMap<>();
        AtomicInteger sessions = new AtomicInteger();
        routes.put("GET /v2/" + repo + "/tags/list", tagList);
        routes.put("POST /v2/" + repo + "/blobs/uploads/", ex -> {
            String up = "/v2/" + repo + "/blobs/uploads/s" + sessions.incrementAndGet();
            routes.put("PUT " + up, put -> {
                byte[] body = put.getRequestBody().readAllBytes();
                stored.put(Digest.sha256(body).toString(), body);
                send(put, 201, new byte[0], "Docker-Content-Digest", Digest.sha256(body).toString());
            });
            send(ex, 202, new byte[0], "Location", up);
        });
        return stored;
    }

    private List<String> heads() {
        return log.stream().filter(l -> l.startsWith("HEAD ")).toList();
    }

    @Test
    void push_intoARepositoryTheRegistryDoesNotHave_asksForNoBlob_elseAsksForEach() throws Exception {
        OciLayout layout = dev.kolibri.testing.TestImages.write(tmp.resolve("img"), "v1", "fresh", 0);
        Descriptor top = layout.resolve("v1");
        Handler unknown = ex -> send(ex, 404, utf8("{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}"));
        Map<String, byte[]> stored = acceptPushes("new/repo", unknown);
        routes.put("* /v2/new/repo/manifests/v1", ex -> send(ex, 201, new byte[0]));
        routes.put("* /v2/new/repo/manifests/" + top.digest(), ex -> send(ex, 201, new byte[0]));
        for (Descriptor m : layout.index(top).manifests()) {
            routes.put("PUT /v2/new/repo/manifests/" + m.digest(), ex -> send(ex, 201, new byte[0]));
        }
        RegistryClient c = client(b -> {});
        assertThat(c.repositoryUnknown("new/repo")).isTrue();
        Push.Summary s = Push.push(c, layout, top, Reference.parse(host() + "/new/repo:v1"), Push.Options.defaults());
        assertThat(s.uploaded()).isEqualTo(5);
        assertThat(stored).hasSize(5);
        assertThat(heads()).isEmpty();

        // a tag list that is not a clear NAME_UNKNOWN (exists, other 404, refused, broken): each blob is asked for
        List<Handler> unsure = List.of(
                ex -> send(ex, 200, utf8("{\"name\":\"old/repo\",\"tags\":[\"v0\"]}")),
                ex -> send(ex, 404, utf8("{\"errors\":[{\"code\":\"NOT_FOUND\"}]}")),
                ex -> send(ex, 404, utf8("not json")),
                ex -> send(ex, 403, utf8("{\"errors\":[{\"code\":\"DENIED\"}]}")));
        for (Handler h : unsure) {
            log.clear();
            acceptPushes("old/repo", h);
            routes.put("* /v2/old/repo/manifests/v1", ex -> send(ex, 201, new byte[0]));
            for (Descriptor m : layout.index(top).manifests()) {
                routes.put("PUT /v2/old/repo/manifests/" + m.digest(), ex -> send(ex, 201, new byte[0]));
            }
            RegistryClient again = client(b -> b.maxAttempts(1));
            assertThat(again.repositoryUnknown("old/repo")).isFalse();
            Push.push(again, layout, top, Reference.parse(host() + "/old/repo:v1"), Push.Options.defaults());
            assertThat(heads()).hasSize(5);
        }
    }

    @Test
    void upload_whoseDirectPutIsRefused401_isSentAgainWithTheTokenTheChallengeAsksFor() throws Exception {
        byte[] blob = utf8("layer bytes for a registry whose token ran out");
        Digest d = Digest.sha256(blob);
        String realm = "http://" + host() + "/token";
        String up = "/v2/a/blobs/uploads/u1";
        routes.put("HEAD /v2/a/blobs/" + d, ex -> ex.sendResponseHeaders(404, -1));
        routes.put("POST /v2/a/blobs/uploads/", ex -> send(ex, 202, new byte[0], "Location", up));
        routes.put("GET /token", ex -> send(ex, 200, utf8("{\"token\":\"fresh\"}")));
        routes.put("PUT " + up, ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!"Bearer fresh".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, utf8("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"token expired\"}]}"),
                        "WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake\",scope=\"repository:a:pull,push\"");
                return;
            }
            send(ex, 201, new byte[0], "Docker-Content-Digest", Digest.sha256(body).toString());
        });
        RegistryClient c = client(b -> {});
        Descriptor desc = new Descriptor(MediaTypes.LAYER_GZIP, d, blob.length, Map.of(), null, null);
        assertThat(c.pushBlob("a", desc, () -> new ByteArrayInputStream(blob))).isEqualTo(RegistryClient.BlobResult.UPLOADED);
        List<String> puts = log.stream().filter(l -> l.startsWith("PUT ")).toList();
        assertThat(puts).hasSize(2);
        assertThat(puts.get(0)).endsWith(" null");
        assertThat(puts.get(1)).startsWith("PUT " + up + "?digest=").endsWith(" Bearer fresh");
    }

    @Test
    void loopbackPlainRegistry_withoutInsecure_isFoundWithOnePlainPing() throws Exception {
        routes.put("GET /v2/a/tags/list", ex -> send(ex, 200, utf8("{\"name\":\"a\",\"tags\":[\"v1\"]}")));
        RegistryClient c = RegistryClient.builder().keychain(Keychain.anonymous()).maxAttempts(1).build(host());
        assertThat(c.listTags("a")).containsExactly("v1");
        assertThat(log).containsExactly("GET /v2/ null", "GET /v2/a/tags/list?n=1000 null");
    }

    @Test
    void loopbackPlainRegistry_failingItsFirstPing_staysPlain_andIsRetried() throws Exception {
        AtomicInteger pings = new AtomicInteger();
        routes.put("GET /v2/", ex -> ex.sendResponseHeaders(pings.incrementAndGet() == 1 ? 503 : 200, -1));
        routes.put("GET /v2/a/tags/list", ex -> send(ex, 200, utf8("{\"name\":\"a\",\"tags\":[\"v1\"]}")));
        RegistryClient c = RegistryClient.builder().keychain(Keychain.anonymous()).backoff(Duration.ofMillis(1)).build(host());
        assertThat(c.listTags("a")).containsExactly("v1");
        assertThat(log).containsExactly("GET /v2/ null", "GET /v2/ null", "GET /v2/a/tags/list?n=1000 null");
    }

    @Test
    void plainHttp_isRefusedForNonLoopbackHosts() {
        // "kolibri.invalid" never resolves: the client must not even try plain HTTP for a non-loopback name.
        assertThatThrownBy(() -> RegistryClient.builder().keychain(Keychain.anonymous()).maxAttempts(1).build("kolibri.invalid:5000")
                .listTags("a"))
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith("connection: kolibri.invalid:5000: unknown host kolibri.invalid");
    }
}
