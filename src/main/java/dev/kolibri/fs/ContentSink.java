package dev.kolibri.fs;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where an archive reader puts the content of each regular member as it streams by: the sink checks the
 * {@link Limits} (refusing before reading when the declared size already passes one) and keeps the bytes in memory
 * or on disk ({@link Unpacking}, the payload cache), so a reader never holds a large member whole.
 */
@FunctionalInterface
public interface ContentSink extends AutoCloseable {
    /**
     * Reads exactly {@code size} bytes of member {@code member} from {@code in} (which it must not close) and returns
     * them as content.
     *
     * @throws LimitExceededException when the member would pass a limit
     * @throws IOException            when {@code in} ends early or fails
     */
    Content take(String member, long size, InputStream in) throws IOException;

    /**
     * Checks the decompressed payload stream itself (headers and padding too): {@code streamed} bytes have come out
     * so far, while member {@code member} is read. The default checks nothing.
     */
    default void checkStream(String member, long streamed) {}

    /** Releases what the sink holds open; contents it returned stay readable. */
    @Override
    default void close() {}

    /** Every member in memory, within {@link Limits#DEFAULT} (tests and small tools; builds use {@link Unpacking}). */
    static ContentSink memory() {
        return Unpacking.inMemory(Limits.DEFAULT).sink("package", Long.MAX_VALUE);
    }
}
