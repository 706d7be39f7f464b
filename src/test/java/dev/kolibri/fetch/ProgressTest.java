package dev.kolibri.fetch;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {
    static final Downloader.Request A = new Downloader.Request("libc6 2.36-9 (amd64)", URI.create("file:///a"),
            2_500_000, "a".repeat(64));
    static final Downloader.Request B = new Downloader.Request("tzdata 2024a-0 (all)", URI.create("file:///b"),
            512, "b".repeat(64));
    static final Downloader.Request C = new Downloader.Request("zlib1g 1.2.13 (amd64)", URI.create("file:///c"),
            1_500_000, "c".repeat(64));

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plain_linePerFetchedPackage_andSummary() {
        Progress p = new PlainProgress(out);
        p.started(3, A.size() + B.size() + C.size());
        p.cached(C);
        p.advanced(512);
        p.finished(B);
        p.advanced(A.size());
        p.finished(A);
        p.done();
        assertThat(text()).isEqualTo("""
                fetched tzdata 2024a-0 (all) (512 B)
                fetched libc6 2.36-9 (amd64) (2.5 MB)
                3 packages, 1.5 MB from cache, 2.5 MB downloaded
                """);
    }

    @Test
    void terminal_redrawsOneLineWithPercentSizesCountsAndRate() {
        AtomicLong clock = new AtomicLong(0);
        TerminalProgress p = new TerminalProgress(out, clock::get);
        p.started(2, 4_000_000);
        clock.set(1_000_000_000L);
        p.cached(C); // 1.5 MB of 4 from cache
        clock.set(2_000_000_000L);
        p.advanced(1_000_000);
        assertThat(p.line()).isEqualTo("[##############          ]  62%  2.5/4.0 MB  1/2 packages  0.5 MB/s");
        p.advanced(1_500_000);
        p.finished(A);
        p.done();
        String t = text();
        assertThat(t).doesNotContain("\n\r").endsWith("\n");
        assertThat(t.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        String last = t.substring(t.lastIndexOf('\r') + 1).strip();
        assertThat(last).startsWith("[########################] 100%  4.0/4.0 MB  2/2 packages");
    }

    @Test
    void terminal_rollBackNeverShowsMoreThanHundredPercent() {
        AtomicLong clock = new AtomicLong(0);
        TerminalProgress p = new TerminalProgress(out, clock::get);
        p.started(1, 100);
        p.advanced(150);
        assertThat(p.line()).contains("100%");
        p.advanced(-150);
        assertThat(p.line()).contains("  0%");
    }

    @Test
    void forStderr_choosesBarOnlyOnATerminalWithCapableTerm() {
        assertThat(Progress.forStderr(Map.of("TERM", "xterm-256color"), true, out)).isInstanceOf(TerminalProgress.class);
        assertThat(Progress.forStderr(Map.of("TERM", "dumb"), true, out)).isInstanceOf(PlainProgress.class);
        assertThat(Progress.forStderr(Map.of(), true, out)).isInstanceOf(PlainProgress.class);
        assertThat(Progress.forStderr(Map.of("TERM", "xterm"), false, out)).isInstanceOf(PlainProgress.class);
    }

    @Test
    void humanSize_decimalUnits() {
        assertThat(Progress.humanSize(999)).isEqualTo("999 B");
        assertThat(Progress.humanSize(1500)).isEqualTo("1.5 kB");
        assertThat(Progress.humanSize(12_345_678)).isEqualTo("12.3 MB");
        assertThat(Progress.humanSize(2_000_000_000L)).isEqualTo("2.00 GB");
    }
}
