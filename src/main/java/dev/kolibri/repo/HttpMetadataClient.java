package dev.kolibri.repo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link MetadataClient} on {@code java.net.http}: follows redirects (never from https to http), retries
 * connection failures and 5xx answers with exponential backoff, bounds the size of a body. {@code file:} URIs
 * are read from disk.
 */
public final class HttpMetadataClient implements MetadataClient {
    /** Largest metadata file accepted (the biggest Debian Packages.xz is tens of MB). */
    static final long MAX_BYTES = 1L << 30;

    private final HttpClient http;
    private final int retries;
    private final Duration backoff;
    private final Duration requestTimeout;

    /** 15 s connect timeout, 3 retries starting at 500 ms, 10 min per request. */
    public HttpMetadataClient() {
        this(Duration.ofSeconds(15), 3, Duration.ofMillis(500), Duration.ofMinutes(10));
    }

    public HttpMetadataClient(Duration connectTimeout, int retries, Duration backoff, Duration requestTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.retries = retries;
        this.backoff = backoff;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public byte[] get(URI uri) throws RepositoryException {
        return getIfExists(uri).orElseThrow(() -> new RepositoryException("not found (404): " + uri));
    }

    @Override
    public Optional<byte[]> getIfExists(URI uri) throws RepositoryException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        return switch (scheme) {
            case "file" -> readFile(uri);
            case "http", "https" -> fetch(uri);
            default -> throw new RepositoryException("unsupported URL scheme '" + scheme + "' (want http, https or file): " + uri);
        };
    }

    private static Optional<byte[]> readFile(URI uri) throws RepositoryException {
        Path p = Path.of(uri);
        try {
            if (Files.size(p) > MAX_BYTES) throw new RepositoryException("file larger than " + MAX_BYTES + " bytes: " + uri);
            return Optional.of(Files.readAllBytes(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RepositoryException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    private Optional<byte[]> fetch(URI uri) throws RepositoryException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
        String last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) sleep(backoff.multipliedBy(1L << (attempt - 1)));
            try {
                HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
                int code = r.statusCode();
                try (InputStream body = r.body()) {
                    if (code == 200) {
                        byte[] data = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_BYTES + 1));
                        if (data.length > MAX_BYTES) throw new RepositoryException("answer larger than " + MAX_BYTES + " bytes: " + uri);
                        return Optional.of(data);
                    }
                    if (code == 404 || code == 410) return Optional.empty();
                    if (code < 500) throw new RepositoryException("HTTP " + code + " for " + uri);
                    last = "HTTP " + code;
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RepositoryException("interrupted while fetching " + uri, e);
            }
        }
        throw new RepositoryException("cannot fetch " + uri + " after " + (retries + 1) + " attempts: " + last);
    }

    private static void sleep(Duration d) throws RepositoryException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepositoryException("interrupted", e);
        }
    }
}
