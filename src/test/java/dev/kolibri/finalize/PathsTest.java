package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.spec.PathSpec;
import dev.kolibri.spec.PathSpec.Type;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathsTest {
    private static PathSpec p(String path, Type type, int uid, Integer mode, String target, int line) {
        return new PathSpec(path, type, uid, uid, mode, target, line);
    }

    private static FileTree apply(FileTree t, PathSpec... paths) throws FinalizeException {
        new Paths(List.of(paths)).apply(t, deb());
        return t;
    }

    private static FileEntry at(FileTree t, String path) {
        return t.get(path).orElseThrow(() -> new AssertionError("missing /" + path));
    }

    @Test
    void directory_isMadeWithRootParentsAndTheGivenOwner() throws Exception {
        FileTree t = apply(new FileTree(), p("/var/lib/postgresql/data", Type.DIRECTORY, 65532, 0700, null, 7));
        assertThat(at(t, "var/lib/postgresql/data")).extracting(FileEntry::type, FileEntry::mode, FileEntry::uid,
                FileEntry::gid, FileEntry::owner, FileEntry::mtime).containsExactly(EntryType.DIRECTORY, 0700, 65532, 65532, "", EPOCH);
        for (String parent : List.of("var", "var/lib", "var/lib/postgresql")) {
            assertThat(at(t, parent)).extracting(FileEntry::mode, FileEntry::uid).containsExactly(0755, 0);
        }
    }

    @Test
    void directory_existing_getsOwnerAndMode_throughSymlinks() throws Exception {
        FileTree t = new FileTree();
        link(t, "var/run", "/run", "base-files");
        dir(t, "run/nginx", 0755, "nginx-common");
        apply(t, p("/var/run/nginx", Type.DIRECTORY, 65532, null, null, 3));
        assertThat(at(t, "run/nginx")).extracting(FileEntry::mode, FileEntry::uid, FileEntry::owner)
                .containsExactly(0755, 65532, "nginx-common");
        assertThat(at(t, "var/run").type()).isEqualTo(EntryType.SYMLINK);
    }

    @Test
    void directory_overAFile_failsNamingTheLine() {
        FileTree t = new FileTree();
        file(t, "var/lib/x", "data", "pkg");
        assertThatThrownBy(() -> apply(t, p("/var/lib/x", Type.DIRECTORY, 0, null, null, 12)))
                .isInstanceOf(FinalizeException.class)
                .hasMessageStartingWith("paths: `paths:` entry at line 12 (directory /var/lib/x)")
                .hasMessageContaining("from package pkg");
    }

    @Test
    void emptyFile_isMade_orKeepsItsContent() throws Exception {
        FileTree t = new FileTree();
        file(t, "etc/app.conf", "keep me", "app");
        apply(t, p("/var/log/app/app.log", Type.EMPTY_FILE, 65532, null, null, 1),
                p("/etc/app.conf", Type.EMPTY_FILE, 65532, 0640, null, 2));
        assertThat(at(t, "var/log/app/app.log")).extracting(FileEntry::size, FileEntry::mode, FileEntry::uid)
                .containsExactly(0L, 0644, 65532);
        assertThat(text(t, "etc/app.conf")).isEqualTo("keep me");
        assertThat(at(t, "etc/app.conf")).extracting(FileEntry::mode, FileEntry::uid).containsExactly(0640, 65532);
    }

    @Test
    void symlink_replacesAFile_butNeverADirectory() throws Exception {
        FileTree t = new FileTree();
        file(t, "var/log/nginx/access.log", "old", "nginx");
        dir(t, "var/log/nginx/dir", 0755, "nginx");
        apply(t, p("/var/log/nginx/access.log", Type.SYMLINK, 0, null, "/dev/stdout", 4),
                p("/var/log/nginx/error.log", Type.SYMLINK, 0, null, "/dev/stderr", 5));
        assertThat(at(t, "var/log/nginx/access.log")).extracting(FileEntry::type, FileEntry::linkTarget, FileEntry::owner)
                .containsExactly(EntryType.SYMLINK, "/dev/stdout", "");
        assertThat(at(t, "var/log/nginx/error.log").linkTarget()).isEqualTo("/dev/stderr");
        assertThatThrownBy(() -> apply(t, p("/var/log/nginx/dir", Type.SYMLINK, 0, null, "/dev/null", 9)))
                .hasMessageContaining("line 9").hasMessageContaining("is a directory");
    }

    @Test
    void symlink_refusesAFileOtherPathsHardLinkTo() {
        FileTree t = new FileTree();
        file(t, "usr/bin/a", "x", "pkg");
        t.put(new FileEntry("usr/bin/b", EntryType.HARDLINK, 0755, 0, 0, 0, "usr/bin/a", null, "pkg"));
        assertThatThrownBy(() -> apply(t, p("/usr/bin/a", Type.SYMLINK, 0, null, "b", 2)))
                .hasMessageContaining("hard link at /usr/bin/b");
    }

    @Test
    void permissions_goDownADirectory_keepingFilesUnexecutable() throws Exception {
        FileTree t = new FileTree();
        dir(t, "var/lib/app", 0755, "app");
        dir(t, "var/lib/app/sub", 0755, "app");
        file(t, "var/lib/app/sub/data", "d".getBytes(), 0644, "app");
        file(t, "var/lib/app/run.sh", "r".getBytes(), 0755, "app");
        link(t, "var/lib/app/link", "sub", "app");
        apply(t, p("/var/lib/app", Type.PERMISSIONS, 65532, 0750, null, 1));
        assertThat(at(t, "var/lib/app")).extracting(FileEntry::mode, FileEntry::uid).containsExactly(0750, 65532);
        assertThat(at(t, "var/lib/app/sub")).extracting(FileEntry::mode, FileEntry::uid).containsExactly(0750, 65532);
        assertThat(at(t, "var/lib/app/sub/data")).extracting(FileEntry::mode, FileEntry::gid).containsExactly(0640, 65532);
        assertThat(at(t, "var/lib/app/run.sh").mode()).isEqualTo(0750);
        assertThat(at(t, "var/lib/app/link").uid()).isEqualTo(65532);
        assertThat(at(t, "var/lib/app/sub/data").owner()).isEqualTo("app");
    }

    @Test
    void permissions_withoutMode_keepModes_andAMissingPathFails() throws Exception {
        FileTree t = new FileTree();
        file(t, "etc/secret", "s".getBytes(), 0600, "app");
        apply(t, p("/etc/secret", Type.PERMISSIONS, 65532, null, null, 1));
        assertThat(at(t, "etc/secret")).extracting(FileEntry::mode, FileEntry::uid).containsExactly(0600, 65532);
        assertThatThrownBy(() -> apply(t, p("/etc/missing", Type.PERMISSIONS, 65532, null, null, 21)))
                .hasMessageContaining("line 21").hasMessageContaining("/etc/missing is not in the image");
    }

    @Test
    void aFileInTheWay_ofAParent_fails() {
        FileTree t = new FileTree();
        file(t, "var/lib", "not a dir", "pkg");
        assertThatThrownBy(() -> apply(t, p("/var/lib/x/y", Type.DIRECTORY, 0, null, null, 6)))
                .hasMessageContaining("line 6").hasMessageContaining("/var/lib is a file (from package pkg)");
    }

    @Test
    void applyingTwice_givesTheSameTree() throws Exception {
        PathSpec[] all = {p("/var/lib/pg", Type.DIRECTORY, 65532, 0700, null, 1),
                p("/var/log/x.log", Type.SYMLINK, 0, null, "/dev/stdout", 2),
                p("/run/x.pid", Type.EMPTY_FILE, 65532, null, null, 3),
                p("/var/lib", Type.PERMISSIONS, 0, null, null, 4)};
        FileTree t = apply(new FileTree(), all);
        List<FileEntry> first = snapshot(t);
        apply(t, all);
        assertThat(snapshot(t)).isEqualTo(first);
    }

    @Test
    void standardFinalizers_runPathsBeforeThePolicy() throws Exception {
        FileTree t = new FileTree();
        Finalizer.standardDeb(List.of(p("/var/lib/app", Type.DIRECTORY, 65532, 0700, null, 1))).apply(t, deb());
        assertThat(at(t, "var/lib/app").uid()).isEqualTo(65532);
    }
}
