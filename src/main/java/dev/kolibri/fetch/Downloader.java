package dev.kolibri.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts the files a lock names into the {@link ContentStore}: those already there (verified) are used as they are,
 * the others are downloaded in parallel (bounded), streamed into the store and checked for size and sha256 before
 * anyone can use them. Transient failures (I/O errors, 5xx, 408, 429) are retried with exponential backoff; 4xx
 * fail at once; a wrong digest is retried once from scratch. Every failure is collected and reported together in one
 * {@link FetchException} after all downloads have ended.
 */
public final class Downloader {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Time allowed until the response headers arrive. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** A Retry-After up to this long is honoured; a longer one is replaced by the normal backoff. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    /**
     * One file to fetch.
     *
     * @param name   for messages, e.g. {@code python3.11-minimal 3.11.2-6+deb12u6 (amd64)}
     * @param url    {@code http:}, {@code https:} or {@code file:}
     * @param size   exact size in bytes
     * @param sha256 lowercase hex sha256
     */
    public record Request(String name, URI url, long size, String sha256) {
        public Request {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(sha256, "sha256");
            sha256 = sha256.toLowerCase(Locale.ROOT);
            if (!sha256.matches("[0-9a-f]{64}"))
                throw new IllegalArgumentException(name + ": not a sha256 (64 hex digits): " + sha256);
            if (size < 0) throw new IllegalArgumentException(name + ": size must not be negative: " + size);
        }
    }

    /** The stored files, in request order, and what it took. */
    public record Fetched(Map<Request, Path> paths, FetchSummary summary) {
        public Fetched {
            paths = Collections.unmodifiableMap(new LinkedHashMap<>(paths));
        }
    }

    private final ContentStore store;
    private final DownloadOptions options;
    private final Progress progress;

    public Downloader(ContentStore store, DownloadOptions options, Progress progress) {
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** {@link #fetch} without the summary: each request's verified file in the store, in request order. */
    public Map<Request, Path> fetchAll(List<Request> requests) throws FetchException, InterruptedException {
        return fetch(requests).paths();
    }

    /**
     * Makes sure every request's file is in the store and returns the paths with a summary. Throws
     * {@link FetchException} naming every package that failed, after all downloads have ended.
     */
    public Fetched fetch(List<Request> requests) throws FetchException, InterruptedException {
        List<Request> unique = List.copyOf(new LinkedHashSet<>(requests));
        Counters counters = new Counters();
        progress.started(unique.size(), unique.stream().mapToLong(Request::size).sum());
        Map<Request, Future<Path>> futures = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(options.parallelism(), r -> {
            Thread t = new Thread(r, "kolibri-fetch");
            t.setDaemon(true);
            return t;
        });
        // Made on first use: with every package already cached, no HTTP client (and no TLS set-up) is needed.
        LazyClient client = new LazyClient();
        try {
            for (Request r : unique) futures.put(r, pool.submit(() -> fetchOne(r, client, counters)));
            Map<Request, Path> paths = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            for (var e : futures.entrySet()) {
                try {
                    paths.put(e.getKey(), e.getValue().get());
                } catch (ExecutionException ex) {
                    Throwable cause = ex.getCause();
                    if (cause instanceof InterruptedException) {
                        failures.add(e.getKey().name() + ": interrupted");
                        continue;
                    }
                    String name = e.getKey().name();
                    String msg = cause instanceof IOException && cause.getMessage() != null ? cause.getMessage()
                            : cause.toString();
                    failures.add(msg.startsWith(name) ? msg : name + ": " + msg);
                }
            }
            Collections.sort(failures);
            FetchSummary summary = counters.summary(failures.size());
            if (!failures.isEmpty()) throw new FetchException(failures, summary);
            Map<Request, Path> ordered = new LinkedHashMap<>();
            for (Request r : requests) ordered.put(r, paths.get(r));
            return new Fetched(ordered, summary);
        } finally {
            stop(pool);
            client.shutdown();
            progress.done();
        }
    }

    /** The HTTP client of one {@code fetchAll}, built when the first download needs it. */
    private static final class LazyClient {
        private HttpClient client;

        synchronized HttpClient get() {
            if (client == null) {
                client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(CONNECT_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
            }
            return client;
        }

        synchronized void shutdown() {
            if (client != null) client.shutdownNow();
        }
    }

    /** Stops the workers and waits for them, so that their temporary files are gone when fetch returns. */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!pool.isTerminated() && System.nanoTime() < deadline) {
            try {
                pool.awaitTermination(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private Path fetchOne(Request r, LazyClient client, Counters counters) throws IOException, InterruptedException {
        Optional<Path> cached = store.get(r.sha256());
        if (cached.isPresent()) {
            counters.fromCache.incrementAndGet();
            counters.bytesFromCache.addAndGet(r.size());
            progress.cached(r);
            return cached.get();
        }
        if (options.offline()) {
            throw new IOException(r.name() + " is not in the cache (" + store.blobPath(r.sha256())
                    + ") and --offline forbids downloading; run without --offline once");
        }
        String source = r.name() + " from " + r.url();
        int mismatches = 0;
        Duration backoff = options.initialBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                Path p = transfer(r, client, source, in -> new Counting(in, progress));
                counters.downloaded.incrementAndGet();
                counters.bytesDownloaded.addAndGet(r.size());
                progress.finished(r);
                return p;
            } catch (DigestMismatchException e) {
                // a wrong file: try once more from scratch (a mirror may have been mid-update), then give up
                if (++mismatches > 1) throw e;
                counters.retries.incrementAndGet();
                continue;
            } catch (Transient e) {
                if (attempt >= options.attempts()) {
                    throw new IOException(source + ": " + e.getMessage() + " (gave up after " + attempt
                            + (attempt == 1 ? " attempt)" : " attempts)"), e.getCause());
                }
                Duration wait = backoff;
                if (e.retryAfter != null && e.retryAfter.compareTo(MAX_RETRY_AFTER) <= 0
                        && e.retryAfter.compareTo(wait) > 0) wait = e.retryAfter;
                counters.retries.incrementAndGet();
                Thread.sleep(wait.toMillis());
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    @FunctionalInterface
    private interface Wrapper {
        Counting wrap(InputStream in);
    }

    /** One attempt: streams the body into the store. */
    private Path transfer(Request r, LazyClient client, String source, Wrapper wrapper)
            throws IOException, InterruptedException {
        String scheme = r.url().getScheme() == null ? "" : r.url().getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> fromFile(r, source, wrapper);
            case "http", "https" -> fromHttp(r, client, source, wrapper);
            default -> throw new Permanent(source + ": unsupported URL scheme '" + scheme
                    + "' (use http, https or file)", null);
        };
    }

    private Path fromFile(Request r, String source, Wrapper wrapper) throws IOException {
        Path file;
        try {
            file = Path.of(r.url());
        } catch (IllegalArgumentException e) {
            throw new Permanent(source + ": not a usable file URL: " + e.getMessage(), e);
        }
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new Permanent(source + ": no such file " + file, e);
        } catch (AccessDeniedException e) {
            throw new Permanent(source + ": cannot read " + file + " (permission denied)", e);
        } catch (IOException e) {
            throw new Permanent(source + ": cannot read " + file + ": " + describe(e), e);
        }
        Counting in = wrapper.wrap(raw);
        try (in) {
            return store.put(in, r.sha256(), r.size(), source);
        } catch (DigestMismatchException e) {
            in.rollBack();
            throw e;
        } catch (IOException e) {
            in.rollBack();
            throw new Permanent(source + ": " + describe(e), e);
        }
    }

    private Path fromHttp(Request r, LazyClient client, String source, Wrapper wrapper)
            throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(r.url()).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = client.get().send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Transient(describe(e), e, null);
        } catch (IllegalArgumentException e) {
            throw new Permanent(source + ": bad URL: " + e.getMessage(), e);
        }
        Counting in = wrapper.wrap(resp.body());
        try (in) {
            int status = resp.statusCode();
            if (status != 200) {
                if (status >= 500 || status == 408 || status == 429) {
                    throw new Transient("HTTP " + status, null, retryAfter(resp));
                }
                throw new Permanent(source + ": HTTP " + status + " (" + reason(status) + ")", null);
            }
            OptionalLong length = resp.headers().firstValueAsLong("Content-Length");
            if (length.isPresent() && length.getAsLong() != r.size()) {
                if (length.getAsLong() > r.size()) throw DigestMismatchException.tooLong(source, r.size());
                throw DigestMismatchException.size(source, r.size(), length.getAsLong());
            }
            return store.put(in, r.sha256(), r.size(), source);
        } catch (DigestMismatchException | Permanent | Transient e) {
            in.rollBack();
            throw e;
        } catch (IOException e) {
            in.rollBack();
            throw new Transient(describe(e), e, null);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.http.HttpConnectTimeoutException) return "connect timed out";
        if (e instanceof java.net.http.HttpTimeoutException) return "no response within " + REQUEST_TIMEOUT.toSeconds() + " s";
        if (e instanceof java.net.ConnectException) return "connection refused";
        if (e instanceof InterruptedIOException) return "interrupted";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String reason(int status) {
        return switch (status) {
            case 404 -> "not found: the mirror may have dropped this version; refresh the lock";
            case 403 -> "forbidden";
            case 401 -> "unauthorized";
            case 410 -> "gone: refresh the lock";
            default -> "not retried";
        };
    }

    private static Duration retryAfter(HttpResponse<?> resp) {
        return resp.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long s = Long.parseLong(v.trim());
                return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty(); // an HTTP date: use the normal backoff
            }
        }).orElse(null);
    }

    /** Fails this package at once. The message is complete. */
    private static final class Permanent extends IOException {
        Permanent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Worth another attempt. The message says what happened, without the source. */
    private static final class Transient extends IOException {
        final transient Duration retryAfter;

        Transient(String message, Throwable cause, Duration retryAfter) {
            super(message, cause);
            this.retryAfter = retryAfter;
        }
    }

    /** Reports bytes to the progress, and can take them back when the attempt fails. */
    private static final class Counting extends FilterInputStream {
        private final Progress progress;
        private long count;

        Counting(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) add(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) add(n);
            return n;
        }

        private void add(long n) {
            count += n;
            progress.advanced(n);
        }

        void rollBack() {
            if (count != 0) progress.advanced(-count);
            count = 0;
        }
    }

    private static final class Counters {
        final AtomicInteger fromCache = new AtomicInteger();
        final AtomicInteger downloaded = new AtomicInteger();
        final AtomicLong bytesFromCache = new AtomicLong();
        final AtomicLong bytesDownloaded = new AtomicLong();
        final AtomicInteger retries = new AtomicInteger();

        FetchSummary summary(int failed) {
            return new FetchSummary(fromCache.get(), downloaded.get(), failed, bytesFromCache.get(),
                    bytesDownloaded.get(), retries.get());
        }
    }
}
