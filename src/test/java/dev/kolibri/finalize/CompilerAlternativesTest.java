package dev.kolibri.finalize;

import dev.kolibri.fs.FileTree;
import org.junit.jupiter.api.Test;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class CompilerAlternativesTest {
    private final CompilerAlternatives step = new CompilerAlternatives();

    @Test
    void gcc_getsCc_throughEtcAlternatives_andNothingElseIsMade() throws Exception {
        FileTree t = new FileTree();
        link(t, "usr/bin/gcc", "gcc-14", "gcc");
        file(t, "usr/bin/gcc-14", new byte[] {1}, 0755, "gcc-14");
        file(t, "usr/bin/c99-gcc", new byte[] {1}, 0755, "gcc");
        step.apply(t, deb());
        assertThat(t.get("usr/bin/cc").orElseThrow().linkTarget()).isEqualTo("/etc/alternatives/cc");
        assertThat(t.get("etc/alternatives/cc").orElseThrow().linkTarget()).isEqualTo("/usr/bin/gcc");
        assertThat(t.resolve("usr/bin/cc").orElseThrow()).isEqualTo("usr/bin/gcc-14");
        assertThat(t.get("usr/bin/c99").orElseThrow().linkTarget()).isEqualTo("/etc/alternatives/c99");
        assertThat(t.contains("usr/bin/c++")).as("no g++").isFalse();
        assertThat(t.contains("usr/bin/c89")).isFalse();
        assertThat(t.get("usr/bin/cc").orElseThrow().mtime()).isEqualTo(EPOCH);
        int size = t.size();
        step.apply(t, deb());
        assertThat(t.size()).isEqualTo(size);
    }

    @Test
    void anExistingCc_isKept_andNoCompilerIsANoOp() throws Exception {
        FileTree t = new FileTree();
        file(t, "usr/bin/gcc", new byte[] {1}, 0755, "gcc");
        file(t, "usr/bin/cc", new byte[] {2}, 0755, "mine");
        step.apply(t, deb());
        assertThat(t.get("usr/bin/cc").orElseThrow().owner()).isEqualTo("mine");
        assertThat(t.contains("etc/alternatives/cc")).isFalse();

        FileTree none = new FileTree();
        dir(none, "usr/bin", 0755, "coreutils");
        step.apply(none, deb());
        assertThat(none.size()).isEqualTo(2);
    }
}
