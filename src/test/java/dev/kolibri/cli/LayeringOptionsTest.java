package dev.kolibri.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class LayeringOptionsTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void gzipLevel_outOfRangeOrWithZstd_isAUsageError() {
        String[] r = run("build", "nope.yaml", "--gzip-level", "12");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--gzip-level must be 1 to 9, not 12");
        r = run("build", "nope.yaml", "--compression", "zstd", "--gzip-level", "3");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--gzip-level needs --compression gzip, not zstd");
    }

    @Test
    void diff_ofMissingLayouts_isOneErrorLine() {
        String[] r = run("diff", "/nonexistent/a", "/nonexistent/b");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).startsWith("error: ").contains("/nonexistent/a");
    }
}
