package dev.kolibri.build;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecException;
import dev.kolibri.spec.SpecLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Placing {@code contents:} into an installed tree: through the image's symlinks, and what is refused there. */
class ContentsPlaceTest {
    static final long EPOCH = 1_700_000_000L;
    @TempDir Path dir;

    ImageSpec spec(String contents) throws Exception {
        Path f = dir.resolve("app.yaml");
        Files.writeString(f, "name: app\nrepositories: [{type: rpm, url: system}]\npackages: [p]\ncontents:\n" + contents);
        return SpecLoader.load(f);
    }

    static FileTree mergedUsr() {
        FileTree t = new FileTree();
        t.put(FileEntry.directory("usr", 0755, 0, 0, 1, "base"));
        t.put(FileEntry.directory("usr/bin", 0755, 0, 0, 1, "base"));
        t.put(FileEntry.symlink("bin", "usr/bin", 0, 0, 1, "base"));
        t.put(FileEntry.directory("etc", 0755, 0, 0, 1, "base"));
        t.put(FileEntry.file("etc/motd", 0644, 0, 0, 1, new byte[] {1}, "base"));
        t.put(FileEntry.directory("var", 0755, 0, 0, 1, "base"));
        t.put(FileEntry.symlink("var/shm", "/dev/shm", 0, 0, 1, "base"));
        return t;
    }

    @Test
    void throughTheImagesSymlinks_intoTheRealDirectory() throws Exception {
        Files.writeString(dir.resolve("tool"), "t\n");
        FileTree t = mergedUsr();
        List<String> owners = Contents.place(spec("  - {from: tool, to: /bin/tool}\n  - {from: tool, to: /bin/tool2}\n"), t, EPOCH);
        assertThat(owners).containsExactly("contents:/bin/tool", "contents:/bin/tool2");
        assertThat(t.get("usr/bin/tool")).get().extracting(FileEntry::owner, FileEntry::mtime, FileEntry::mode)
                .containsExactly("contents:/bin/tool", EPOCH, 0644);
        assertThat(t.get("bin").get().type()).isEqualTo(EntryType.SYMLINK);
        assertThat(t.get("usr/bin").get().owner()).isEqualTo("base");
    }

    @Test
    void repeatedDestination_ownersNumbered_andTheSecondCollidesUnlessReplace() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("a/x"), "a\n");
        Files.writeString(dir.resolve("b/x"), "b\n");
        assertThatThrownBy(() -> Contents.place(spec("  - {from: a/, to: /opt}\n  - {from: b/, to: /opt}\n"), mergedUsr(), EPOCH))
                .isInstanceOf(SpecException.class)
                .hasMessage(dir.resolve("app.yaml") + ":6: contents `from: b/`: /opt/x collides with the file of the contents "
                        + "entry for /opt; set `replace: true` on the entry to replace it, or choose another `to`");
        FileTree t = mergedUsr();
        List<String> owners = Contents.place(spec("  - {from: a/, to: /opt}\n  - {from: b/, to: /opt, replace: true}\n"), t, EPOCH);
        assertThat(owners).containsExactly("contents:/opt", "contents:/opt#2");
        assertThat(t.get("opt/x").get().content()).isEqualTo("b\n".getBytes());
        assertThat(t.get("opt").get().owner()).isEqualTo("contents:/opt");
    }

    @Test
    void destinationThroughAnImageSymlinkIntoDev_refused() throws Exception {
        Files.createDirectories(dir.resolve("d"));
        Files.writeString(dir.resolve("d/f"), "f\n");
        assertThatThrownBy(() -> Contents.place(spec("  - {from: d/, to: /var/shm/app}\n"), mergedUsr(), EPOCH))
                .isInstanceOf(SpecException.class)
                .hasMessage(dir.resolve("app.yaml") + ":5: contents `from: d/`: /var/shm/app resolves to /dev/shm/app, "
                        + "under /dev, which the container runtime mounts; choose another `to`");
    }

    @Test
    void belowAnImageFile_refused() throws Exception {
        Files.writeString(dir.resolve("f"), "f\n");
        assertThatThrownBy(() -> Contents.place(spec("  - {from: f, to: /etc/motd/f}\n"), mergedUsr(), EPOCH))
                .isInstanceOf(SpecException.class)
                .hasMessage(dir.resolve("app.yaml") + ":5: contents `from: f`: /etc/motd/f would be below /etc/motd, a file "
                        + "of package base, not a directory; choose another `to`");
    }

    @Test
    void existingDirectoriesKeepTheirMetadata_newOnesGetTheOwner_parentsAreRoots() throws Exception {
        Files.createDirectories(dir.resolve("tree/etc/app"));
        Files.writeString(dir.resolve("tree/etc/app/conf"), "c\n");
        FileTree t = mergedUsr();
        Contents.place(spec("  - {from: tree/, to: /, owner: \"7:8\", mode: \"0600\"}\n"
                + "  - {from: tree/etc/app/conf, to: /srv/deep/conf}\n"), t, EPOCH);
        assertThat(t.get("etc").get()).extracting(FileEntry::owner, FileEntry::uid).containsExactly("base", 0);
        assertThat(t.get("etc/app").get()).extracting(FileEntry::uid, FileEntry::gid, FileEntry::mode).containsExactly(7, 8, 0755);
        assertThat(t.get("etc/app/conf").get()).extracting(FileEntry::uid, FileEntry::mode).containsExactly(7, 0600);
        assertThat(t.get("srv").get()).extracting(FileEntry::uid, FileEntry::mode, FileEntry::owner)
                .containsExactly(0, 0755, "contents:/srv/deep/conf");
        assertThat(t.get("srv/deep").get().uid()).isZero();
    }
}
