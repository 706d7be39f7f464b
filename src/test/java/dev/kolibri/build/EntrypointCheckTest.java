package dev.kolibri.build;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The image's command resolves to an executable regular file, as runc would find it. */
class EntrypointCheckTest {
    static final List<String> ENV = List.of("PATH=/usr/local/bin:/usr/bin:/bin");

    static FileTree tree() {
        FileTree t = new FileTree();
        for (String d : List.of("usr", "usr/bin", "etc", "app")) t.put(FileEntry.directory(d, 0755, 0, 0, 0, "base"));
        t.put(FileEntry.file("usr/bin/python3.11", 0755, 0, 0, 0, "elf".getBytes(StandardCharsets.UTF_8), "python3.11"));
        t.put(FileEntry.symlink("usr/bin/python3", "python3.11", 0, 0, 0, "python3"));
        t.put(FileEntry.symlink("bin", "usr/bin", 0, 0, 0, "base"));
        t.put(FileEntry.symlink("usr/bin/dangling", "/opt/nothing", 0, 0, 0, "base"));
        t.put(FileEntry.file("etc/issue", 0644, 0, 0, 0, "hi".getBytes(StandardCharsets.UTF_8), "base"));
        t.put(FileEntry.file("app/run", 0755, 0, 0, 0, "x".getBytes(StandardCharsets.UTF_8), "app"));
        t.put(new FileEntry("usr/bin/py", dev.kolibri.fs.EntryType.HARDLINK, 0755, 0, 0, 0, "usr/bin/python3.11", null, "python3.11"));
        return t;
    }

    static void check(List<String> entrypoint, List<String> cmd, EntrypointCheck.Providers p) throws BuildException {
        EntrypointCheck.check("python", "amd64", entrypoint, cmd, "/app", ENV, tree(), p);
    }

    @Test
    void accepts_files_symlinks_hardlinks_pathLookups_andRelativePaths() {
        for (List<String> e : List.of(List.of("/usr/bin/python3.11"), List.of("/usr/bin/python3", "-c", "pass"),
                List.of("/bin/python3"), List.of("python3"), List.of("/usr/bin/py"), List.of("./run"))) {
            assertThatCode(() -> check(e, List.of(), EntrypointCheck.Providers.NONE)).as(e.toString()).doesNotThrowAnyException();
        }
        assertThatCode(() -> check(List.of(), List.of("/usr/bin/python3"), EntrypointCheck.Providers.NONE)).doesNotThrowAnyException();
        assertThatCode(() -> check(List.of(), List.of(), EntrypointCheck.Providers.NONE)).doesNotThrowAnyException();
        // a bare name is looked up in PATH only, as runc does, not in the working directory
        assertThatThrownBy(() -> check(List.of("run"), List.of(), EntrypointCheck.Providers.NONE))
                .hasMessageContaining("run is in no directory of the image's PATH");
    }

    @Test
    void aMissingEntrypoint_namesIt_andThePackageTheIndexKnows() {
        assertThatThrownBy(() -> check(List.of("/usr/bin/python3.13"), List.of(),
                (path, arch) -> path.equals("/usr/bin/python3.13") && arch.equals("amd64") ? List.of("python3.13-minimal") : List.of()))
                .isInstanceOf(BuildException.class)
                .hasMessage("the entrypoint of python (linux/amd64) cannot run: /usr/bin/python3.13 is not in the image; "
                        + "python3.13-minimal would provide it: add it to `packages:`, or change `entrypoint:`");
        assertThatThrownBy(() -> check(List.of("/usr/bin/dangling"), List.of(), EntrypointCheck.Providers.NONE))
                .hasMessageContaining("/usr/bin/dangling (-> /opt/nothing) is not in the image")
                .hasMessageContaining("add the package that provides it to `packages:`");
        assertThatThrownBy(() -> check(List.of(), List.of("node"), (path, arch) -> List.of("nodejs")))
                .hasMessageContaining("the cmd of python (linux/amd64) cannot run: node is in no directory of the image's PATH "
                        + "(/usr/local/bin:/usr/bin:/bin)").hasMessageContaining("nodejs would provide it");
        assertThatThrownBy(() -> check(List.of("/usr/bin/gone"), List.of(), (path, arch) -> { throw new Exception("offline"); }))
                .hasMessageContaining("/usr/bin/gone is not in the image; add the package");
    }

    @Test
    void aFileThatCannotBeExecuted_isRefused() {
        assertThatThrownBy(() -> check(List.of("/etc/issue"), List.of(), EntrypointCheck.Providers.NONE))
                .hasMessageContaining("/etc/issue is not executable (mode 0644)")
                .hasMessageContaining("change `entrypoint:` to an executable file of the image");
        assertThatThrownBy(() -> check(List.of("/usr/bin"), List.of(), EntrypointCheck.Providers.NONE))
                .hasMessageContaining("/usr/bin is a directory");
    }
}
