package dev.kolibri.finalize;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import org.junit.jupiter.api.Test;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TmpDirTest {
    private final TmpDir step = new TmpDir();

    @Test
    void missing_isCreatedSticky() throws Exception {
        FileTree t = new FileTree();
        step.apply(t, deb());
        FileEntry tmp = t.get("tmp").orElseThrow();
        assertThat(tmp.mode()).isEqualTo(01777);
        assertThat(tmp.uid()).isZero();
        assertThat(tmp.mtime()).isEqualTo(EPOCH);
    }

    @Test
    void wrongMode_isFixedKeepingOwnerPackage() throws Exception {
        FileTree t = new FileTree();
        t.put(FileEntry.directory("tmp", 0755, 5, 5, 1000, "base-files"));
        step.apply(t, deb());
        FileEntry tmp = t.get("tmp").orElseThrow();
        assertThat(tmp.mode()).isEqualTo(01777);
        assertThat(tmp.uid()).isZero();
        assertThat(tmp.owner()).isEqualTo("base-files");
    }

    @Test
    void correct_isUntouched() throws Exception {
        FileTree t = new FileTree();
        FileEntry ok = FileEntry.directory("tmp", 01777, 0, 0, 1000, "base-files");
        t.put(ok);
        step.apply(t, deb());
        assertThat(t.get("tmp").orElseThrow()).isEqualTo(ok);
    }

    @Test
    void symlink_isFollowed() throws Exception {
        FileTree t = new FileTree();
        dir(t, "var/tmp", 0755, "base-files");
        link(t, "tmp", "var/tmp", "base-files");
        step.apply(t, deb());
        assertThat(t.get("var/tmp").orElseThrow().mode()).isEqualTo(01777);
        assertThat(t.get("tmp").orElseThrow().linkTarget()).isEqualTo("var/tmp");
    }

    @Test
    void aFile_fails() {
        FileTree t = new FileTree();
        file(t, "tmp", "x", "junk");
        assertThatThrownBy(() -> step.apply(t, deb())).isInstanceOf(FinalizeException.class)
                .hasMessageStartingWith("tmp: /tmp must be a directory but is a file (from package junk)");
    }
}
