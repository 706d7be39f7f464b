package dev.kolibri.fetch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Hears what a {@link Downloader} does. Implementations must be thread-safe: downloads run in parallel.
 */
public interface Progress {
    /** Before anything else: the number of packages and their total size (cached ones included). */
    void started(int count, long bytes);

    /**
     * Bytes arrived (or were copied). Negative when a failed attempt is rolled back before a retry, so the sum of
     * all advances is what was really stored.
     */
    void advanced(long bytes);

    /** A package was found, verified, in the store; no bytes were transferred for it. */
    default void cached(Downloader.Request request) {
    }

    /** A package was downloaded and verified. */
    void finished(Downloader.Request request);

    /** Once at the end, after success or failure. */
    void done();

    /** Hears nothing. */
    Progress SILENT = new Progress() {
        @Override
        public void started(int count, long bytes) {
        }

        @Override
        public void advanced(long bytes) {
        }

        @Override
        public void finished(Downloader.Request request) {
        }

        @Override
        public void done() {
        }
    };

    /**
     * A redrawn bar ({@link TerminalProgress}) when stderr is a terminal and TERM is not {@code dumb}, else plain
     * lines ({@link PlainProgress}), both on {@code System.err}.
     */
    static Progress forStderr() {
        return forStderr(System.getenv(), System.console() != null && stderrIsTerminal(), System.err);
    }

    /** The choice of {@link #forStderr()}, with its inputs given. */
    static Progress forStderr(Map<String, String> env, boolean terminal, PrintStream err) {
        String term = env.get("TERM");
        boolean fancy = terminal && term != null && !term.isEmpty() && !term.equals("dumb");
        return fancy ? new TerminalProgress(err, System::nanoTime) : new PlainProgress(err);
    }

    /**
     * Since JDK 22 {@code System.console()} is not null when the streams are redirected, so stderr is also looked
     * at: on Linux {@code /proc/self/fd/2} names the terminal device. Where /proc is missing, the console decides.
     */
    private static boolean stderrIsTerminal() {
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            if (!Files.exists(Path.of("/proc/self/fd"))) return true;
            String target = Files.readSymbolicLink(fd2).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** {@code 512 B}, {@code 1.5 kB}, {@code 12.3 MB}, {@code 1.02 GB} (decimal units, always one locale). */
    static String humanSize(long bytes) {
        if (bytes < 1000) return bytes + " B";
        if (bytes < 1000_000) return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        if (bytes < 1000_000_000) return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
