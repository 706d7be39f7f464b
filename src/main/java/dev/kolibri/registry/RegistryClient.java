package dev.kolibri.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.VerifyingInputStream;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.MediaTypes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

/**
 * An OCI distribution-spec 1.1 client for one registry host, on {@code java.net.http}.
 *
 * <p>Transport: the first call pings {@code /v2/} to learn the scheme and the auth challenge. Registries are spoken
 * to over TLS (system trust store plus {@link Builder#caCertificates}); plain HTTP only for hosts named
 * {@link Builder#insecure} (always) and loopback hosts (when they do not speak TLS). Auth is anonymous, Basic or Bearer
 * (tokens cached per scope). Requests are retried with exponential backoff on 429, 5xx and dropped connections
 * ({@link Builder#maxAttempts} in all). Redirects are followed by hand, never sending credentials to another host.
 * Thread-safe: one client may serve parallel uploads.
 */
public final class RegistryClient {
    /** Documents (manifests, indexes) larger than this are refused. */
    static final int MAX_DOCUMENT = 16 << 20;
    private static final List<String> ALL_MANIFESTS = List.of(MediaTypes.IMAGE_INDEX, MediaTypes.IMAGE_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);

    /** What happened to a blob that was to be pushed. */
    public enum BlobResult { EXISTED, UPLOADED, MOUNTED }

    /** A manifest or index as the registry served it, its digest checked. */
    public record RemoteManifest(byte[] bytes, String mediaType, Digest digest) {
        public Descriptor descriptor() {
            return new Descriptor(mediaType, digest, bytes.length, Map.of(), null, null);
        }
    }

    private final String host;
    private final Builder options;
    /** The extra-CA context, or null for the system's; made once. */
    private final SSLContext sslContext;
    private volatile HttpClient plainHttp;
    private volatile HttpClient tlsHttp;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, Optional<Credentials>> credentials = new ConcurrentHashMap<>();
    private volatile String scheme;
    private volatile Challenge challenge = Challenge.NONE;

    private RegistryClient(String host, Builder b) throws RegistryException {
        this.host = host;
        this.options = b;
        this.sslContext = b.caCertificates == null ? null : Tls.context(b.caCertificates);
    }

    /**
     * The HTTP client for a URI's scheme, made on first use. Plain HTTP gets a client without TLS ({@link Tls#none}),
     * so that a plain loopback push does not pay for setting TLS up.
     */
    private HttpClient http(URI uri) {
        boolean plain = "http".equalsIgnoreCase(uri.getScheme());
        HttpClient c = plain ? plainHttp : tlsHttp;
        if (c != null) return c;
        synchronized (this) {
            if (plain && plainHttp == null) plainHttp = newHttp(Tls.none());
            if (!plain && tlsHttp == null) tlsHttp = newHttp(sslContext);
            return plain ? plainHttp : tlsHttp;
        }
    }

    private HttpClient newHttp(SSLContext ssl) {
        HttpClient.Builder hb = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(options.connectTimeout);
        if (ssl != null) hb.sslContext(ssl);
        return hb.build();
    }

    /**
     * Loads and initializes the HTTP client's classes (a client is built and shut down; nothing is sent), so that a
     * command can do it on a spare core while it parses its arguments. Never throws.
     */
    public static void warmUp() {
        try {
            HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).sslContext(Tls.none()).build();
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1/v2/")).method("HEAD",
                    java.net.http.HttpRequest.BodyPublishers.noBody()).build();
            c.shutdownNow();
        } catch (RuntimeException | LinkageError e) {
            // an optimisation only
        }
    }

    /** A client for {@code registryHost} ({@code host[:port]}) with default options. */
    public static RegistryClient open(String registryHost) throws RegistryException {
        return builder().build(registryHost);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a client. Defaults: system keychain, 5 attempts, 200 ms first backoff, chunks above 64 MiB. */
    public static final class Builder {
        private Keychain keychain = Keychain.system();
        private Set<String> insecure = Set.of();
        private Path caCertificates;
        private long chunkThreshold = 64L << 20;
        private int chunkSize = 16 << 20;
        private int maxAttempts = 5;
        private Duration backoff = Duration.ofMillis(200);
        private Duration connectTimeout = Duration.ofSeconds(30);

        public Builder keychain(Keychain k) {
            this.keychain = k;
            return this;
        }

        /** Hosts ({@code host} or {@code host:port}) spoken to over plain HTTP, never TLS. */
        public Builder insecure(Set<String> hosts) {
            this.insecure = Set.copyOf(hosts);
            return this;
        }

        /** A PEM bundle of CA certificates trusted besides the system's. */
        public Builder caCertificates(Path pemBundle) {
            this.caCertificates = pemBundle;
            return this;
        }

        /** Blobs larger than this are uploaded in chunks ({@code PATCH}), resumable. */
        public Builder chunkThreshold(long bytes) {
            this.chunkThreshold = bytes;
            return this;
        }

        public Builder chunkSize(int bytes) {
            if (bytes < 1024) throw new IllegalArgumentException("chunk size below 1024 bytes: " + bytes);
            this.chunkSize = bytes;
            return this;
        }

        /** Tries of one request in all (at least 1). */
        public Builder maxAttempts(int n) {
            if (n < 1) throw new IllegalArgumentException("maxAttempts must be at least 1: " + n);
            this.maxAttempts = n;
            return this;
        }

        /** The wait before the second try; doubled each try, at most 32 times this. */
        public Builder backoff(Duration d) {
            this.backoff = d;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public RegistryClient build(String registryHost) throws RegistryException {
            return new RegistryClient(registryHost, this);
        }
    }

    public String host() {
        return host;
    }

    int maxAttempts() {
        return options.maxAttempts;
    }

    // ---------------------------------------------------------------- operations

    /** Whether the registry has the blob ({@code HEAD}). */
    public boolean blobExists(String repo, Digest digest) throws RegistryException {
        HttpResponse<byte[]> r = send(new Call("HEAD", repo, "/blobs/" + digest, false), BodyHandlers.ofByteArray(), true);
        if (r.statusCode() == 200) return true;
        if (r.statusCode() == 404) return false;
        throw error(r, repo, "cannot check blob " + digest);
    }

    /**
     * Whether the registry says it has no repository {@code repo} at all: its tag list answers 404 with the
     * distribution spec's {@code NAME_UNKNOWN}. Blobs are linked per repository, so such a repository holds none, and
     * a push into it can skip asking for each blob. False whenever the answer is anything else (the repository
     * exists, the registry does not say, access is refused): then each blob is asked for as usual.
     */
    public boolean repositoryUnknown(String repo) {
        try {
            HttpResponse<byte[]> r = send(new Call("GET", repo, "/tags/list?n=1", false), BodyHandlers.ofByteArray(), true);
            if (r.statusCode() != 404) return false;
            JsonNode errors = Jackson.MAPPER.readTree(r.body()).path("errors");
            for (JsonNode e : errors) if ("NAME_UNKNOWN".equals(e.path("code").asText())) return true;
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Uploads a blob unless the registry has it: monolithic ({@code POST} + {@code PUT}) up to the chunk threshold,
     * else in chunks that resume after a broken connection from the offset the registry reports.
     *
     * @param content opens the blob's content from its start; called again for each retry
     */
    public BlobResult pushBlob(String repo, Descriptor d, Supplier<InputStream> content) throws RegistryException {
        if (blobExists(repo, d.digest())) return BlobResult.EXISTED;
        upload(repo, d, content, null);
        return BlobResult.UPLOADED;
    }

    /**
     * Mounts a blob from {@code fromRepo} on the same registry ({@code POST ?mount=&from=}); when the registry
     * starts an upload instead (202), uploads it from {@code content}.
     */
    public BlobResult mountBlob(String repo, Descriptor d, String fromRepo, Supplier<InputStream> content)
            throws RegistryException {
        String query = "?mount=" + enc(d.digest().toString()) + "&from=" + enc(fromRepo);
        Call c = new Call("POST", repo, "/blobs/uploads/" + query, true).alsoPull(fromRepo).body(BodyPublishers::noBody);
        HttpResponse<byte[]> r = send(c, BodyHandlers.ofByteArray(), true);
        if (r.statusCode() == 201) return BlobResult.MOUNTED;
        if (r.statusCode() == 202) {
            upload(repo, d, content, location(r));
            return BlobResult.UPLOADED;
        }
        throw error(r, repo, "cannot mount blob " + d.digest() + " from " + fromRepo);
    }

    /**
     * Uploads a blob without asking first whether the registry has it; {@code started} is an upload session already
     * open, or null. A failed attempt checks ({@code HEAD}) whether the blob arrived before starting a new session.
     */
    void upload(String repo, Descriptor d, Supplier<InputStream> content, URI started) throws RegistryException {
        RegistryException last = null;
        URI location = started;
        for (int attempt = 1; attempt <= options.maxAttempts; attempt++) {
            try {
                if (location == null) location = startUpload(repo);
                if (d.size() > options.chunkThreshold) new ChunkedUpload(this, repo, d, content, location).run();
                else putMonolithic(repo, d, content, location);
                return;
            } catch (RegistryException e) {
                last = e;
                location = null;
                if (!e.isTemporary() && !e.code().startsWith("BLOB_UPLOAD")) throw e;
                if (blobExists(repo, d.digest())) return; // the blob made it before the connection broke
                sleep(attempt);
            }
        }
        throw last;
    }

    URI startUpload(String repo) throws RegistryException {
        ping();
        URI uri = URI.create(scheme + "://" + host + "/v2/" + repo + "/blobs/uploads/");
        Call direct = new Call("POST", repo, uri, true);
        String auth = authorization(direct);
        Map<String, String> headers = new LinkedHashMap<>();
        if (auth != null) headers.put("Authorization", auth);
        try {
            DirectUpload.Answer a = DirectUpload.post(uri, headers, "https".equals(scheme) ? sslContext : null,
                    options.connectTimeout, Duration.ofMinutes(5));
            Optional<String> loc = a.headers().firstValue("Location");
            if (a.status() == 202 && loc.isPresent()) return uri.resolve(loc.get());
            if (a.status() == 401) learnChallenge(a.headers(), direct);
        } catch (IOException | RuntimeException e) {
            // the general path below retries, re-authenticates and words the error
        }
        HttpResponse<byte[]> r = send(new Call("POST", repo, "/blobs/uploads/", true).body(BodyPublishers::noBody),
                BodyHandlers.ofByteArray(), true);
        if (r.statusCode() != 202) throw error(r, repo, "cannot start a blob upload");
        return location(r);
    }

    private void putMonolithic(String repo, Descriptor d, Supplier<InputStream> content, URI location)
            throws RegistryException {
        URI target = withQuery(location, "digest=" + enc(d.digest().toString()));
        if (target.isAbsolute() && ("http".equals(target.getScheme()) || "https".equals(target.getScheme()))) {
            Call direct = new Call("PUT", repo, target, true);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/octet-stream");
            String auth = sameOrigin(target) ? authorization(direct) : null;
            if (auth != null) headers.put("Authorization", auth);
            DirectUpload.Answer a;
            try {
                a = DirectUpload.put(target, headers, d.size(), content, "https".equals(target.getScheme()) ? sslContext : null,
                        options.connectTimeout, Duration.ofMinutes(30));
            } catch (IOException | java.io.UncheckedIOException e) {
                throw connectionError(e, repo, host);
            }
            if (a.status() != 401) {
                if (a.status() != 201) throw error(a.status(), a.headers(), a.body(), repo, "cannot upload blob " + d.digest());
                checkStored(a.headers(), repo, d, a.status());
                return;
            }
            // 401: a token ran out or a new challenge; learn it, and the general path below sends again with it
            learnChallenge(a.headers(), direct);
        }
        Call c = new Call("PUT", repo, target, true)
                .header("Content-Type", "application/octet-stream")
                .body(() -> BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(content), d.size()));
        HttpResponse<byte[]> r = send(c, BodyHandlers.ofByteArray(), false);
        if (r.statusCode() != 201) throw error(r, repo, "cannot upload blob " + d.digest());
        checkStored(r, repo, d);
    }

    /** Refuses a registry that says it stored an uploaded blob under another digest than the one asked for. */
    void checkStored(HttpResponse<?> r, String repo, Descriptor d) throws RegistryException {
        checkStored(r.headers(), repo, d, r.statusCode());
    }

    void checkStored(HttpHeaders headers, String repo, Descriptor d, int status) throws RegistryException {
        Optional<String> dcd = headers.firstValue("Docker-Content-Digest");
        if (dcd.isPresent() && !dcd.get().strip().equals(d.digest().toString())) {
            throw new RegistryException("DIGEST_INVALID", status, false, "digest_invalid: " + host + "/" + repo
                    + ": the registry stored blob " + d.digest() + " as " + dcd.get().strip()
                    + "; it did not check the digest, do not use this registry");
        }
    }

    /** Uploads a manifest or index under {@code reference} (a tag or its digest) and returns its digest. */
    public Digest putManifest(String repo, String reference, String mediaType, byte[] bytes) throws RegistryException {
        Digest digest = Digest.sha256(bytes);
        Call c = new Call("PUT", repo, "/manifests/" + reference, true).header("Content-Type", mediaType)
                .body(() -> BodyPublishers.ofByteArray(bytes));
        HttpResponse<byte[]> r = send(c, BodyHandlers.ofByteArray(), true);
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw error(r, repo, "cannot put manifest " + digest + " as " + reference);
        }
        Optional<String> dcd = r.headers().firstValue("Docker-Content-Digest");
        if (dcd.isPresent() && !dcd.get().equals(digest.toString())) {
            throw new RegistryException("DIGEST_INVALID", r.statusCode(), false, "digest_invalid: " + host + "/" + repo
                    + ": the registry stored manifest " + reference + " as " + dcd.get() + ", its bytes hash to " + digest
                    + "; the registry rewrote it, do not use this registry for signed images");
        }
        return digest;
    }

    /**
     * Fetches a manifest or index. The bytes are checked against {@code reference} when it is a digest, else
     * against the registry's {@code Docker-Content-Digest} header.
     *
     * @param accept media types to ask for; empty for every manifest and index type
     */
    public RemoteManifest getManifest(String repo, String reference, List<String> accept) throws RegistryException {
        List<String> types = accept == null || accept.isEmpty() ? ALL_MANIFESTS : accept;
        Call c = new Call("GET", repo, "/manifests/" + reference, false).header("Accept", String.join(", ", types));
        HttpResponse<byte[]> r = send(c, BodyHandlers.ofByteArray(), true);
        if (r.statusCode() != 200) throw manifestError(r, repo, reference);
        byte[] bytes = r.body();
        if (bytes.length > MAX_DOCUMENT) {
            throw new RegistryException("MANIFEST_INVALID", 200, false, "manifest_invalid: " + host + "/" + repo + ": manifest "
                    + reference + " is " + bytes.length + " bytes, more than " + MAX_DOCUMENT + "; refusing it");
        }
        Digest actual = Digest.sha256(bytes);
        Digest expected = null;
        if (reference.contains(":")) expected = Digest.parse(reference);
        else {
            Optional<String> h = r.headers().firstValue("Docker-Content-Digest");
            if (h.isPresent()) {
                try {
                    expected = Digest.parse(h.get());
                } catch (IllegalArgumentException e) {
                    throw new RegistryException("PROTOCOL", 200, false, "protocol: " + host + "/" + repo
                            + ": the registry sent a malformed Docker-Content-Digest '" + h.get() + "'", e);
                }
            }
        }
        if (expected != null && expected.algorithm().equals("sha256") && !expected.equals(actual)) {
            throw new RegistryException("DIGEST_INVALID", 200, false, "digest_invalid: " + host + "/" + repo + ": manifest "
                    + reference + " should be " + expected + " but its bytes hash to " + actual + "; the registry or a proxy corrupted it");
        }
        String mt = r.headers().firstValue("Content-Type").map(RegistryClient::stripParams).orElse("");
        if (mt.isEmpty() || mt.equals("application/json") || mt.equals("text/plain")) mt = embeddedMediaType(bytes, reference, repo);
        return new RemoteManifest(bytes, mt, actual);
    }

    /** A failed manifest GET; a tag or repository that is not there is named, with how to see what is. */
    private RegistryException manifestError(HttpResponse<byte[]> r, String repo, String reference) {
        RegistryException e = error(r, repo, "cannot get manifest " + reference);
        if (r.statusCode() != 404) return e;
        String where = host + "/" + repo;
        if (e.code().equals("NAME_UNKNOWN")) {
            return new RegistryException(e.code(), 404, false, "name_unknown: " + host + " has no repository '" + repo
                    + "'; check the name (a push creates it)");
        }
        if (reference.contains(":")) {
            return new RegistryException(e.code(), 404, false, "manifest_unknown: " + where + " has no manifest " + reference
                    + "; check the digest");
        }
        return new RegistryException(e.code(), 404, false, "manifest_unknown: " + where + " has no tag '" + reference
                + "'; list its tags with `skopeo list-tags docker://" + where + "`");
    }

    private String embeddedMediaType(byte[] bytes, String reference, String repo) throws RegistryException {
        try {
            JsonNode n = Jackson.MAPPER.readTree(bytes);
            if (n != null && n.path("mediaType").isTextual()) return n.get("mediaType").asText();
            if (n != null && n.has("manifests")) return MediaTypes.IMAGE_INDEX;
            if (n != null && n.has("config")) return MediaTypes.IMAGE_MANIFEST;
        } catch (IOException e) {
            // fall through
        }
        throw new RegistryException("MANIFEST_INVALID", 200, false, "manifest_invalid: " + host + "/" + repo + ": manifest "
                + reference + " has no media type and is not a JSON manifest or index");
    }

    /** Opens a blob; the stream checks the digest (and size, when {@code size >= 0}) as it reaches the end. */
    public InputStream getBlob(String repo, Digest digest, long size) throws RegistryException {
        Call c = new Call("GET", repo, "/blobs/" + digest, false);
        HttpResponse<InputStream> r = send(c, BodyHandlers.ofInputStream(), true);
        for (int hops = 0; isRedirect(r.statusCode()); hops++) {
            URI next = location(r);
            close(r);
            if (hops >= 5) throw new RegistryException("PROTOCOL", r.statusCode(), false, "protocol: " + host + "/" + repo
                    + ": blob " + digest + " redirected more than 5 times");
            if (sameOrigin(next)) r = send(new Call("GET", repo, next, false), BodyHandlers.ofInputStream(), true);
            else r = sendForeign(next, repo);
        }
        if (r.statusCode() != 200) {
            byte[] body = readAll(r);
            throw error(r.statusCode(), r.headers(), body, repo, "cannot get blob " + digest);
        }
        String where = host + "/" + repo;
        return new VerifyingInputStream(r.body(), digest, size, why -> new RegistryException("DIGEST_INVALID", 200,
                false, "digest_invalid: " + where + ": blob " + digest + " is corrupt: " + why
                + "; the registry or a proxy damaged it, try again"));
    }

    /** {@link #getBlob(String, Digest, long)} with the descriptor's digest and size. */
    public InputStream getBlob(String repo, Descriptor d) throws RegistryException {
        return getBlob(repo, d.digest(), d.size());
    }

    private HttpResponse<InputStream> sendForeign(URI uri, String repo) throws RegistryException {
        if (!uri.getScheme().equals("https") && !uri.getScheme().equals("http")) {
            throw new RegistryException("PROTOCOL", 0, false, "protocol: " + host + "/" + repo + ": redirect to unsupported URL " + uri);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<InputStream> r = http(uri).send(HttpRequest.newBuilder(uri).GET().build(), BodyHandlers.ofInputStream());
                if ((r.statusCode() == 429 || r.statusCode() >= 500) && attempt < options.maxAttempts) {
                    close(r);
                    sleep(attempt);
                    continue;
                }
                return r;
            } catch (IOException e) {
                RegistryException re = connectionError(e, repo, uri.getHost());
                if (!re.isTemporary() || attempt >= options.maxAttempts) throw re;
                sleep(attempt);
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }
    }

    /**
     * The manifests that refer to {@code digest} through their {@code subject}: the referrers API, or when the
     * registry has none, the index tagged {@code sha256-<hex>}. Filtered by {@code artifactType} when not null.
     */
    public List<Descriptor> referrers(String repo, Digest digest, String artifactType) throws RegistryException {
        String q = artifactType == null ? "" : "?artifactType=" + enc(artifactType);
        Call c = new Call("GET", repo, "/referrers/" + digest + q, false).header("Accept", MediaTypes.IMAGE_INDEX);
        HttpResponse<byte[]> r = send(c, BodyHandlers.ofByteArray(), true);
        ImageIndex index;
        if (r.statusCode() == 200) {
            index = parseIndex(r.body(), repo, "referrers of " + digest);
        } else if (r.statusCode() == 404 || r.statusCode() == 400 || r.statusCode() == 405) {
            Optional<ImageIndex> tagged = fallbackReferrers(repo, digest);
            if (tagged.isEmpty()) return List.of();
            index = tagged.get();
        } else {
            throw error(r, repo, "cannot list referrers of " + digest);
        }
        List<Descriptor> out = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            if (artifactType == null || artifactType.equals(d.artifactType())) out.add(d);
        }
        return out;
    }

    /**
     * Whether the registry serves the referrers API (OCI distribution 1.1) for {@code repo}: a registry that does
     * answers 200 even for a digest nothing refers to. Without it, referrers go into the {@code sha256-<hex>} tag
     * ({@link #addToReferrersTag}).
     */
    public boolean supportsReferrersApi(String repo, Digest digest) throws RegistryException {
        Call c = new Call("GET", repo, "/referrers/" + digest, false).header("Accept", MediaTypes.IMAGE_INDEX);
        HttpResponse<byte[]> r = send(c, BodyHandlers.ofByteArray(), true);
        return r.statusCode() == 200;
    }

    private Optional<ImageIndex> fallbackReferrers(String repo, Digest digest) throws RegistryException {
        try {
            RemoteManifest m = getManifest(repo, digest.dashed(), List.of(MediaTypes.IMAGE_INDEX));
            return Optional.of(parseIndex(m.bytes(), repo, "referrers tag " + digest.dashed()));
        } catch (RegistryException e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
    }

    /**
     * Records {@code referrer} (a manifest whose {@code subject} is {@code subject}) in the referrers tag
     * {@code sha256-<hex>} for registries without the referrers API. Adding one twice changes nothing.
     */
    public void addToReferrersTag(String repo, Digest subject, Descriptor referrer) throws RegistryException {
        List<Descriptor> all = new ArrayList<>(fallbackReferrers(repo, subject).map(ImageIndex::manifests).orElse(List.of()));
        for (Descriptor d : all) if (d.digest().equals(referrer.digest())) return;
        all.add(referrer);
        ImageIndex idx = ImageIndex.of(all);
        putManifest(repo, subject.dashed(), MediaTypes.IMAGE_INDEX, idx.toJson());
    }

    private ImageIndex parseIndex(byte[] bytes, String repo, String what) throws RegistryException {
        try {
            return ImageIndex.parse(bytes);
        } catch (RuntimeException e) {
            throw new RegistryException("MANIFEST_INVALID", 200, false, "manifest_invalid: " + host + "/" + repo + ": "
                    + what + " is not a valid index: " + e.getMessage(), e);
        }
    }

    /** Every tag of the repository, sorted (pages followed through {@code Link}). */
    public List<String> listTags(String repo) throws RegistryException {
        TreeSet<String> tags = new TreeSet<>();
        Call c = new Call("GET", repo, "/tags/list?n=1000", false);
        for (int page = 0; page < 10_000; page++) {
            HttpResponse<byte[]> r = send(c, BodyHandlers.ofByteArray(), true);
            if (r.statusCode() != 200) throw error(r, repo, "cannot list tags");
            try {
                JsonNode n = Jackson.MAPPER.readTree(r.body());
                for (JsonNode t : n.path("tags")) tags.add(t.asText());
            } catch (IOException e) {
                throw new RegistryException("PROTOCOL", 200, false, "protocol: " + host + "/" + repo + ": tag list is not JSON", e);
            }
            Optional<URI> next = nextLink(r);
            if (next.isEmpty()) break;
            c = new Call("GET", repo, next.get(), false);
        }
        return List.copyOf(tags);
    }

    private Optional<URI> nextLink(HttpResponse<?> r) {
        for (String link : r.headers().allValues("Link")) {
            Matcher m = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?").matcher(link);
            if (m.find()) return Optional.of(r.uri().resolve(m.group(1)));
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- transport

    /** One request: method, path below {@code /v2/<repo>} or an absolute URI, headers, body, and its auth scope. */
    static final class Call {
        final String method;
        final String repo;
        final String path;
        final URI absolute;
        final boolean push;
        final Map<String, String> headers = new LinkedHashMap<>();
        final List<String> alsoPull = new ArrayList<>();
        Supplier<BodyPublisher> body;

        Call(String method, String repo, String path, boolean push) {
            this(method, repo, path, null, push);
        }

        Call(String method, String repo, URI absolute, boolean push) {
            this(method, repo, null, absolute, push);
        }

        private Call(String method, String repo, String path, URI absolute, boolean push) {
            this.method = method;
            this.repo = repo;
            this.path = path;
            this.absolute = absolute;
            this.push = push;
        }

        Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Call body(Supplier<BodyPublisher> b) {
            this.body = b;
            return this;
        }

        Call alsoPull(String otherRepo) {
            alsoPull.add(otherRepo);
            return this;
        }

        String scope() {
            StringBuilder s = new StringBuilder("repository:" + repo + (push ? ":pull,push" : ":pull"));
            for (String o : alsoPull) s.append(" repository:").append(o).append(":pull");
            return s.toString();
        }
    }

    /**
     * Sends a call with auth. A 401 is answered once by (re)authenticating; with {@code retry}, 429, 5xx and
     * dropped connections are tried again with backoff. Other statuses are returned for the caller to judge.
     */
    <T> HttpResponse<T> send(Call c, BodyHandler<T> handler, boolean retry) throws RegistryException {
        ping();
        URI uri = c.absolute != null ? c.absolute : URI.create(scheme + "://" + host + "/v2/" + c.repo + c.path);
        boolean reauthenticated = false;
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30));
            c.headers.forEach(rb::header);
            String auth = sameOrigin(uri) ? authorization(c) : null;
            if (auth != null) rb.header("Authorization", auth);
            BodyPublisher body = c.body == null ? BodyPublishers.noBody() : c.body.get();
            rb.method(c.method, body);
            HttpResponse<T> r;
            try {
                r = http(uri).send(rb.build(), handler);
            } catch (IOException e) {
                RegistryException re = connectionError(e, c.repo, host);
                if (!retry || !re.isTemporary() || attempt >= options.maxAttempts) throw re;
                sleep(attempt);
                continue;
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
            int s = r.statusCode();
            if (s == 401 && !reauthenticated && sameOrigin(uri)) {
                Challenge ch = Challenge.of(r.headers().allValues("WWW-Authenticate"));
                if (ch != Challenge.NONE && credentialsOrAnonymousCanAnswer(ch, c)) {
                    close(r);
                    challenge = ch;
                    tokens.remove(c.scope());
                    reauthenticated = true;
                    attempt--;
                    continue;
                }
            }
            if (retry && (s == 429 || s >= 500) && attempt < options.maxAttempts) {
                close(r);
                sleep(attempt);
                continue;
            }
            return r;
        }
    }

    /** Takes up the challenge of a 401 answered outside {@link #send}, as {@code send} does for its own. */
    private void learnChallenge(HttpHeaders headers, Call c) throws RegistryException {
        Challenge ch = Challenge.of(headers.allValues("WWW-Authenticate"));
        if (ch != Challenge.NONE && credentialsOrAnonymousCanAnswer(ch, c)) {
            challenge = ch;
            tokens.remove(c.scope());
        }
    }

    private boolean credentialsOrAnonymousCanAnswer(Challenge ch, Call c) throws RegistryException {
        if (ch.scheme().equals("bearer")) return ch.param("realm") != null;
        if (ch.scheme().equals("basic")) return credentials(c.repo).isPresent() && !challenge.scheme().equals("basic");
        return false;
    }

    private String authorization(Call c) throws RegistryException {
        Challenge ch = challenge;
        switch (ch.scheme()) {
            case "basic" -> {
                return credentials(c.repo).map(Credentials::basicHeader).orElse(null);
            }
            case "bearer" -> {
                String scope = c.scope();
                String t = tokens.get(scope);
                if (t == null) {
                    t = fetchToken(ch, scope, c.repo);
                    tokens.put(scope, t);
                }
                return t.isEmpty() ? null : "Bearer " + t;
            }
            default -> {
                return null;
            }
        }
    }

    private String fetchToken(Challenge ch, String scope, String repo) throws RegistryException {
        StringBuilder q = new StringBuilder();
        if (ch.param("service") != null) q.append("service=").append(enc(ch.param("service")));
        for (String s : scope.split(" ")) q.append(q.isEmpty() ? "" : "&").append("scope=").append(enc(s));
        URI realm;
        try {
            realm = URI.create(ch.param("realm"));
        } catch (IllegalArgumentException e) {
            throw new RegistryException("PROTOCOL", 401, false, "protocol: " + host + "/" + repo + ": the registry's token realm '"
                    + ch.param("realm") + "' is not a URL", e);
        }
        URI uri = withQuery(realm, q.toString());
        Optional<Credentials> creds = credentials(repo);
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET();
            creds.ifPresent(cr -> rb.header("Authorization", cr.basicHeader()));
            HttpResponse<byte[]> r;
            try {
                r = http(uri).send(rb.build(), BodyHandlers.ofByteArray());
            } catch (IOException e) {
                RegistryException re = connectionError(e, repo, uri.getHost());
                if (!re.isTemporary() || attempt >= options.maxAttempts) throw re;
                sleep(attempt);
                continue;
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
            int s = r.statusCode();
            if ((s == 429 || s >= 500) && attempt < options.maxAttempts) {
                sleep(attempt);
                continue;
            }
            if (s == 401 || s == 403) {
                throw new RegistryException("UNAUTHORIZED", s, false, "unauthorized: " + host + "/" + repo
                        + ": the token service refused " + (creds.isPresent() ? "the credentials of " + creds.get().username() : "anonymous access")
                        + "; " + authHint(repo));
            }
            if (s != 200) throw error(s, r.headers(), r.body(), repo, "cannot get a token from " + realm);
            try {
                JsonNode n = Jackson.MAPPER.readTree(r.body());
                String t = n.path("token").asText("");
                if (t.isEmpty()) t = n.path("access_token").asText("");
                if (t.isEmpty()) throw new IOException("no token in the answer");
                return t;
            } catch (IOException e) {
                throw new RegistryException("PROTOCOL", 200, false, "protocol: " + host + "/" + repo + ": the token service "
                        + realm + " gave no token (" + e.getMessage() + ")", e);
            }
        }
    }

    /**
     * What to do about a refusal: credentials that were sent and refused read differently from none at all.
     */
    private String authHint(String repo) {
        Optional<Credentials> sent = Optional.empty();
        try {
            if (repo != null) sent = credentials(repo);
        } catch (RegistryException e) {
            // the keychain could not be read: say there are none usable
        }
        if (sent.isPresent()) {
            return "the registry refused the credentials of " + sent.get().username() + " for " + host
                    + "; check the user and password (log in again: podman login " + host + ")";
        }
        return "no credentials for " + host + " in REGISTRY_AUTH_FILE, the containers auth.json or docker's config.json; "
                + "log in (podman login " + host + ") or set REGISTRY_AUTH_FILE to an auth file that has them";
    }

    private Optional<Credentials> credentials(String repo) throws RegistryException {
        Optional<Credentials> c = credentials.get(repo);
        if (c == null) {
            c = options.keychain.find(host, repo);
            credentials.put(repo, c);
        }
        return c;
    }

    /**
     * Learns the scheme (TLS, or plain HTTP where allowed) and the auth challenge from {@code GET /v2/}. A loopback
     * host not named insecure is first asked once over plain HTTP, briefly: an HTTP answer other than 400 (what TLS
     * servers say to plain HTTP) means plain HTTP. When that probe is inconclusive (a closed or silent connection)
     * TLS is tried, falling back to plain HTTP only when the answer is not TLS.
     */
    synchronized void ping() throws RegistryException {
        if (scheme != null) return;
        boolean insecure = options.insecure.contains(host) || options.insecure.contains(Reference.hostName(host));
        boolean mayBePlain = Reference.isLoopback(host) && !insecure;
        String s = insecure ? "http" : "https";
        if (mayBePlain) {
            int status = plainProbe();
            if (status == 200 || status == 401) return;
            if (status > 0 && status != 400) s = "http";
        }
        for (int attempt = 1; ; attempt++) {
            URI uri = URI.create(s + "://" + host + "/v2/");
            // A loopback server that does not speak TLS may sit silent on a TLS hello: probe it briefly.
            Duration timeout = mayBePlain && s.equals("https") ? Duration.ofSeconds(5) : Duration.ofMinutes(1);
            try {
                HttpResponse<byte[]> r = http(uri).send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                        BodyHandlers.ofByteArray());
                if ((r.statusCode() == 429 || r.statusCode() >= 500) && attempt < options.maxAttempts) {
                    sleep(attempt);
                    continue;
                }
                if (r.statusCode() == 401) challenge = Challenge.of(r.headers().allValues("WWW-Authenticate"));
                else if (r.statusCode() >= 500) throw error(r.statusCode(), r.headers(), r.body(), null, "the registry is not answering /v2/");
                scheme = s;
                return;
            } catch (RegistryException e) {
                throw e;
            } catch (java.net.http.HttpTimeoutException e) {
                if (mayBePlain && s.equals("https")) {
                    s = "http";
                    attempt--;
                    continue;
                }
                RegistryException re = connectionError(e, null, host);
                if (attempt >= options.maxAttempts) throw re;
                sleep(attempt);
            } catch (javax.net.ssl.SSLException e) {
                if (mayBePlain && s.equals("https") && speaksPlainHttp(e)) {
                    s = "http";
                    attempt--;
                    continue;
                }
                RegistryException re = connectionError(e, null, host);
                if (!re.isTemporary() || attempt >= options.maxAttempts) throw re;
                sleep(attempt);
            } catch (IOException e) {
                RegistryException re = connectionError(e, null, host);
                if (!re.isTemporary() || attempt >= options.maxAttempts) throw re;
                sleep(attempt);
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }
    }

    /**
     * One plain-HTTP {@code GET /v2/} to a loopback host: its status (on 200 or 401 the scheme and challenge are
     * set), or 0 when no HTTP answer came. Nothing secret is sent.
     */
    private int plainProbe() throws RegistryException {
        URI uri = URI.create("http://" + host + "/v2/");
        try {
            HttpResponse<byte[]> r = http(uri).send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    BodyHandlers.ofByteArray());
            if (r.statusCode() == 200 || r.statusCode() == 401) {
                if (r.statusCode() == 401) challenge = Challenge.of(r.headers().allValues("WWW-Authenticate"));
                scheme = "http";
            }
            return r.statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private static boolean speaksPlainHttp(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("unsupported or unrecognized ssl message") || m.contains("plaintext")) return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- helpers

    RegistryException connectionError(Throwable e, String repo, String target) {
        String where = repo == null ? host : host + "/" + repo;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return new RegistryException("CONNECTION", 0, false, "connection: " + where + ": unknown host "
                        + Reference.hostName(target) + "; check the name", e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException || t instanceof java.security.cert.CertPathValidatorException
                    || String.valueOf(t.getMessage()).contains("PKIX")) {
                return new RegistryException("TLS", 0, false, "tls: " + where + ": the registry's certificate is not trusted ("
                        + oneLine(t.getMessage()) + "); add its CA to the system trust store or pass the CA bundle", e);
            }
            if (t instanceof java.net.ConnectException) {
                return new RegistryException("CONNECTION", 0, true, "connection: " + where + ": cannot connect to " + target
                        + " (" + (t.getMessage() == null ? "refused" : oneLine(t.getMessage())) + "); check the host and port and that the registry is running", e);
            }
        }
        if (e instanceof javax.net.ssl.SSLHandshakeException && !String.valueOf(e.getMessage()).contains("terminated")) {
            return new RegistryException("TLS", 0, false, "tls: " + where + ": TLS handshake failed (" + oneLine(e.getMessage())
                    + "); check that the registry speaks TLS and that its certificate is trusted", e);
        }
        return new RegistryException("CONNECTION", 0, true, "connection: " + where + ": the connection to " + target
                + " broke (" + oneLine(String.valueOf(e.getMessage())) + "); try again", e);
    }

    RegistryException error(HttpResponse<byte[]> r, String repo, String what) {
        return error(r.statusCode(), r.headers(), r.body(), repo, what);
    }

    /** A typed error from a registry answer: its first error code and message, and a hint. */
    RegistryException error(int status, HttpHeaders headers, byte[] body, String repo, String what) {
        String code = null;
        String message = null;
        if (body != null && body.length > 0) {
            try {
                JsonNode n = Jackson.MAPPER.readTree(body);
                JsonNode first = n == null ? null : n.path("errors").path(0);
                if (first != null && first.isObject()) {
                    code = first.path("code").asText(null);
                    message = first.path("message").asText(null);
                }
            } catch (IOException e) {
                // not a JSON error body
            }
        }
        if (code == null) {
            code = switch (status) {
                case 401 -> "UNAUTHORIZED";
                case 403 -> "DENIED";
                case 404 -> "NOT_FOUND";
                case 416 -> "BLOB_UPLOAD_INVALID";
                case 429 -> "TOOMANYREQUESTS";
                default -> status >= 500 ? "UNAVAILABLE" : "UNKNOWN";
            };
        }
        if (message == null || message.isBlank()) message = what + " (HTTP " + status + ")";
        String hint = switch (code) {
            case "UNAUTHORIZED", "DENIED" -> authHint(repo);
            case "NAME_UNKNOWN", "MANIFEST_UNKNOWN", "NOT_FOUND", "BLOB_UNKNOWN" -> "check the repository, tag or digest";
            case "MANIFEST_BLOB_UNKNOWN" -> "push the manifest's blobs first";
            case "TOOMANYREQUESTS" -> "the registry is rate limiting; try again later";
            default -> status >= 500 ? "the registry failed; try again later" : what;
        };
        if (hint.equals(message)) hint = "HTTP " + status;
        boolean temporary = status == 429 || status >= 500;
        String where = repo == null ? host : host + "/" + repo;
        return new RegistryException(code, status, temporary,
                code.toLowerCase(Locale.ROOT) + ": " + where + ": " + oneLine(message) + "; " + hint);
    }

    boolean sameOrigin(URI uri) {
        return uri.getScheme() != null && uri.getScheme().equals(scheme) && host.equalsIgnoreCase(authority(uri));
    }

    private static String authority(URI u) {
        return u.getRawAuthority() == null ? "" : u.getRawAuthority();
    }

    URI location(HttpResponse<?> r) throws RegistryException {
        Optional<String> l = r.headers().firstValue("Location");
        if (l.isEmpty()) {
            throw new RegistryException("PROTOCOL", r.statusCode(), false, "protocol: " + host + ": answer " + r.statusCode()
                    + " to " + r.request().method() + " " + r.uri().getPath() + " has no Location header");
        }
        return r.uri().resolve(l.get());
    }

    static URI withQuery(URI u, String query) {
        if (query.isEmpty()) return u;
        String s = u.toString();
        return URI.create(s + (u.getRawQuery() == null ? "?" : "&") + query);
    }

    private static boolean isRedirect(int s) {
        return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String stripParams(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip();
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    static void close(HttpResponse<?> r) {
        if (r.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    private static byte[] readAll(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return in.readNBytes(64 << 10);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    void sleep(int attempt) throws RegistryException {
        long base = options.backoff.toMillis();
        long ms = Math.min(base * 32, base << Math.min(attempt - 1, 5));
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private RegistryException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new RegistryException("INTERRUPTED", 0, false, "interrupted: " + host + ": the operation was interrupted", e);
    }

    int chunkSize() {
        return options.chunkSize;
    }

}
