package dev.kolibri.fetch;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A one-line bar redrawn with {@code \r}: percent, MB done/total, packages done/total, rate. Redrawn at most ten
 * times a second (and always when a package finishes and at the end); ends with a newline.
 */
public final class TerminalProgress implements Progress {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private int count;
    private long totalBytes;
    private int packagesDone;
    private long bytesDone;
    private long downloaded;
    private long startNanos;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLength;

    /** @param nanoTime a monotonic clock (System::nanoTime), used for the rate and to limit redraws */
    public TerminalProgress(PrintStream out, LongSupplier nanoTime) {
        this.out = Objects.requireNonNull(out, "out");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public synchronized void started(int count, long bytes) {
        this.count = count;
        this.totalBytes = bytes;
        this.startNanos = nanoTime.getAsLong();
        draw(true);
    }

    @Override
    public synchronized void advanced(long bytes) {
        bytesDone += bytes;
        downloaded += bytes;
        draw(false);
    }

    @Override
    public synchronized void cached(Downloader.Request request) {
        packagesDone++;
        bytesDone += request.size();
        draw(false);
    }

    @Override
    public synchronized void finished(Downloader.Request request) {
        packagesDone++;
        draw(true);
    }

    @Override
    public synchronized void done() {
        draw(true);
        out.print('\n');
        out.flush();
    }

    /** The bar as it would be drawn now (without the leading carriage return). */
    synchronized String line() {
        int percent = totalBytes <= 0 ? (count == 0 ? 100 : 100 * packagesDone / count)
                : (int) Math.min(100, Math.max(0, bytesDone * 100 / totalBytes));
        int filled = percent * WIDTH / 100;
        double seconds = (nanoTime.getAsLong() - startNanos) / 1e9;
        double rate = seconds > 0 ? downloaded / 1e6 / seconds : 0;
        return "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%  %.1f/%.1f MB  %d/%d packages  %.1f MB/s",
                percent, bytesDone / 1e6, totalBytes / 1e6, packagesDone, count, rate);
    }

    private void draw(boolean force) {
        long now = nanoTime.getAsLong();
        if (!force && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        String l = line();
        int pad = Math.max(0, lastLength - l.length());
        out.print("\r" + l + " ".repeat(pad));
        out.flush();
        lastLength = l.length();
    }
}
