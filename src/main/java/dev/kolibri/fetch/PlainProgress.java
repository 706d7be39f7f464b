package dev.kolibri.fetch;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * One line per downloaded package ({@code fetched NAME (SIZE)}) and a summary at the end
 * ({@code N packages, X MB from cache, Y MB downloaded}). For logs and pipes.
 */
public final class PlainProgress implements Progress {
    private final PrintStream out;
    private int count;
    private long cachedBytes;
    private long downloadedBytes;

    public PlainProgress(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public synchronized void started(int count, long bytes) {
        this.count = count;
    }

    @Override
    public void advanced(long bytes) {
    }

    @Override
    public synchronized void cached(Downloader.Request request) {
        cachedBytes += request.size();
    }

    @Override
    public synchronized void finished(Downloader.Request request) {
        downloadedBytes += request.size();
        out.println("fetched " + request.name() + " (" + Progress.humanSize(request.size()) + ")");
    }

    @Override
    public synchronized void done() {
        out.println(String.format(Locale.ROOT, "%d packages, %.1f MB from cache, %.1f MB downloaded",
                count, cachedBytes / 1e6, downloadedBytes / 1e6));
        out.flush();
    }
}
