package dev.kolibri.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Downloader} works.
 *
 * @param parallelism    at most this many downloads at once (at least 1)
 * @param attempts       tries per package on transient errors (IOException, 5xx, 408, 429), at least 1
 * @param initialBackoff wait before the second try; doubled before each further one
 * @param offline        never download: a package that is not in the store fails at once
 */
public record DownloadOptions(int parallelism, int attempts, Duration initialBackoff, boolean offline) {
    public DownloadOptions {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        if (initialBackoff.isNegative()) throw new IllegalArgumentException("initialBackoff must not be negative");
    }

    /** 6 at once, 4 attempts, 0.5 s first backoff (then 1 s, 2 s), online. */
    public static DownloadOptions defaults() {
        return new DownloadOptions(6, 4, Duration.ofMillis(500), false);
    }

    public DownloadOptions withParallelism(int n) {
        return new DownloadOptions(n, attempts, initialBackoff, offline);
    }

    public DownloadOptions withOffline(boolean off) {
        return new DownloadOptions(parallelism, attempts, initialBackoff, off);
    }

    public DownloadOptions withInitialBackoff(Duration d) {
        return new DownloadOptions(parallelism, attempts, d, offline);
    }

    public DownloadOptions withAttempts(int n) {
        return new DownloadOptions(parallelism, n, initialBackoff, offline);
    }
}
