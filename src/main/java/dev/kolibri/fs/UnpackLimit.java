package dev.kolibri.fs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;

/**
 * Passes a decompressed package payload through and fails once more than {@code max} bytes have come out: the
 * decompression-bomb guard of every package reader ({@code .deb}, {@code .rpm}). Skipped bytes count too.
 */
public final class UnpackLimit extends FilterInputStream {
    private final long max;
    private final LongFunction<RuntimeException> onExceed;
    private final java.util.function.LongConsumer watcher;
    private long count;

    /** @param onExceed makes the reader's own exception, given the limit, once it is passed */
    public UnpackLimit(InputStream in, long max, LongFunction<RuntimeException> onExceed) {
        this(in, max, onExceed, n -> { });
    }

    /**
     * @param watcher told the running count after every read (a {@link ContentSink#checkStream}, which may throw to
     *                stop the read)
     */
    public UnpackLimit(InputStream in, long max, LongFunction<RuntimeException> onExceed,
                       java.util.function.LongConsumer watcher) {
        super(in);
        this.max = max;
        this.onExceed = onExceed;
        this.watcher = watcher;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count += n;
            if (count > max) throw onExceed.apply(max);
            watcher.accept(count);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
