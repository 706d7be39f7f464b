package dev.kolibri.fs;

import dev.kolibri.pkg.deb.DpkgFilters;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The glob semantics of {@code trim:}/{@code keep:}, and their translation into dpkg's fnmatch lines. */
class TrimGlobsTest {
    @Test
    void star_staysInASegment_doubleStar_crossesThem() {
        PathGlob doc = PathGlob.of("/usr/share/doc/*/copyright");
        assertThat(doc.matches("usr/share/doc/libc6/copyright")).isTrue();
        assertThat(doc.matches("usr/share/doc/libc6/examples/copyright")).isFalse();
        PathGlob below = PathGlob.of("/usr/share/man/**");
        assertThat(below.matches("usr/share/man/man1/ls.1.gz")).isTrue();
        assertThat(below.matches("usr/share/man")).as("the directory itself").isFalse();
        PathGlob middle = PathGlob.of("/usr/**/gconv/*.so");
        assertThat(middle.matches("usr/gconv/UTF-7.so")).isTrue();
        assertThat(middle.matches("usr/lib/x86_64-linux-gnu/gconv/UTF-7.so")).isTrue();
        assertThat(middle.matches("usr/lib/x86_64-linux-gnu/gconv/sub/UTF-7.so")).isFalse();
        assertThat(PathGlob.of("/usr/lib/[x]?").matches("usr/lib/[x]?")).as("no other wildcards").isTrue();
    }

    @Test
    void dpkgLines_decideEveryFileAsKolibri_evenWhereGlobsOverlap() {
        List<String> trim = List.of("/usr/share/**", "/usr/*/z");
        List<String> keep = List.of("/usr/share/doc/*/copyright");
        List<String> trimmed = List.of("/usr/share/a/z", "/usr/share/doc/p/README", "/usr/share/doc/p/x/copyright", "/usr/q/z");
        List<String> kept = List.of("/usr/share/doc/p/copyright", "/usr/a/b/z", "/usr/bin/y");
        for (String p : trimmed) assertThat(Trim.apply(tree(p), trim, keep).removed()).as(p).hasSize(1);
        for (String p : kept) assertThat(Trim.apply(tree(p), trim, keep).removed()).as(p).isEmpty();

        String cfg = DpkgFilters.config(trim, keep, trimmed, kept);
        List<DpkgFilters.Line> lines = DpkgFilters.parse(cfg);
        for (String p : trimmed) assertThat(DpkgFilters.included(lines, p)).as(p).isFalse();
        for (String p : kept) assertThat(DpkgFilters.included(lines, p)).as(p).isTrue();
        // /usr/*/z's correction (/usr/*/*/z) re-includes what /usr/share/** excluded: one exact line puts it right
        assertThat(cfg).contains("path-include=/usr/*/*/z\n").endsWith("path-exclude=/usr/share/a/z\n");
    }

    private static FileTree tree(String file) {
        FileTree t = new FileTree();
        t.put(FileEntry.file(file.substring(1), 0644, 0, 0, 0, new byte[0], "p"));
        return t;
    }
}
