package dev.kolibri.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The output-directory rule: refuse what is not ours, stage beside, one rename, clean what killed runs left. */
class OutputDirTest {
    static final OutputDir.Kind MARKED = new OutputDir.Kind() {
        @Override
        public String what() {
            return "a marked directory";
        }

        @Override
        public boolean recognizes(Path dir) {
            return Files.exists(dir.resolve("MARK"));
        }
    };

    @TempDir Path tmp;

    private java.util.List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void whileOpen_aLockFileWithThePidGuardsTheStaging_andCommitLeavesOnlyTheTarget() throws IOException {
        Path out = tmp.resolve("out");
        try (OutputDir d = OutputDir.open(out, MARKED)) {
            String staging = d.staging().getFileName().toString();
            assertThat(staging).matches("out\\.tmp-[0-9a-f]{12}");
            assertThat(Files.readString(tmp.resolve(staging + ".lock")).strip())
                    .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
            // a second writer of the same target in this process leaves the live staging alone
            try (OutputDir second = OutputDir.open(out, MARKED)) {
                assertThat(d.staging()).isDirectory();
            }
            Files.writeString(d.staging().resolve("MARK"), "1");
            d.commit();
        }
        assertThat(names()).containsExactly("out");
        try (OutputDir d = OutputDir.open(out, MARKED)) {
            assertThat(d.existing()).contains(out);
            Files.writeString(d.staging().resolve("MARK"), "2");
        }
        assertThat(Files.readString(out.resolve("MARK"))).isEqualTo("1");
        assertThat(names()).containsExactly("out");
    }

    @Test
    void open_removesWhatAKilledRunLeft() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("MARK"), "current");
        // killed while staging: an unlocked lock file naming a process that is gone, and its staging directory
        Files.writeString(tmp.resolve("out.tmp-0123456789ab.lock"), "2147483646\n");
        Files.createDirectories(tmp.resolve("out.tmp-0123456789ab/blobs/sha256"));
        Files.writeString(tmp.resolve("out.tmp-0123456789ab/blobs/sha256/part"), "x");
        // killed while deleting the replaced target after the swap
        Files.writeString(tmp.resolve("out.tmp-abcdefabcdef.lock"), "2147483646\n");
        Files.createDirectories(tmp.resolve("out.old-abcdefabcdef/blobs"));
        // not ours: another output's staging, a user's file with a similar name
        Files.writeString(tmp.resolve("other.tmp-0123456789ab.lock"), "2147483646\n");
        Files.createDirectories(tmp.resolve("other.tmp-0123456789ab"));
        Files.writeString(tmp.resolve("out.tmp-notes"), "mine");
        try (OutputDir d = OutputDir.open(out, MARKED)) {
            assertThat(names()).containsExactlyInAnyOrder("out", "out.tmp-notes", "other.tmp-0123456789ab",
                    "other.tmp-0123456789ab.lock", d.staging().getFileName().toString(),
                    d.staging().getFileName() + ".lock");
        }
        assertThat(names()).containsExactly("other.tmp-0123456789ab", "other.tmp-0123456789ab.lock", "out", "out.tmp-notes");
        assertThat(Files.readString(out.resolve("MARK"))).isEqualTo("current");
    }

    @Test
    void open_putsTheOldTargetBack_whenAKillCameBetweenTheTwoRenames() throws IOException {
        Path out = tmp.resolve("out");
        Files.writeString(tmp.resolve("out.tmp-0123456789ab.lock"), "2147483646\n");
        Files.createDirectories(tmp.resolve("out.old-0123456789ab"));
        Files.writeString(tmp.resolve("out.old-0123456789ab/MARK"), "previous");
        Files.createDirectories(tmp.resolve("out.tmp-0123456789ab"));
        Files.writeString(tmp.resolve("out.tmp-0123456789ab/MARK"), "new");
        try (OutputDir d = OutputDir.open(out, MARKED)) {
            assertThat(d.existing()).isEmpty(); // checked before the clean-up; the old one is back all the same
        }
        assertThat(names()).containsExactly("out");
        assertThat(Files.readString(out.resolve("MARK"))).isEqualTo("previous");
    }

    @Test
    void refusals_nameThePathTheReasonAndWhatToDo() throws IOException {
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("todo.txt"), "mine");
        assertThatThrownBy(() -> OutputDir.open(notes, MARKED)).hasMessageContaining("refusing to write " + notes)
                .hasMessageContaining("not a marked directory").hasMessageContaining("nothing was changed");
        assertThatThrownBy(() -> OutputDir.check(notes, MARKED)).hasMessageContaining("refusing to write " + notes);
        assertThat(Files.readString(notes.resolve("todo.txt"))).isEqualTo("mine");

        Path file = Files.writeString(tmp.resolve("afile"), "x");
        Path below = file.resolve("out");
        assertThatThrownBy(() -> OutputDir.check(below, MARKED)).hasMessageContaining(file + " is a file, not a directory");
        assertThatThrownBy(() -> OutputDir.open(below, MARKED)).hasMessageContaining("cannot write " + below)
                .hasMessageContaining(file.toString()).hasMessageContaining("is not writable")
                .hasMessageContaining("choose another output directory");
        assertThatThrownBy(() -> OutputDir.open(Path.of("/"), MARKED)).hasMessageContaining("file system root");
        assertThat(names()).containsExactly("afile", "notes");
    }
}
