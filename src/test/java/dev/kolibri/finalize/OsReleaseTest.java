package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OsReleaseTest {
    private final OsRelease step = new OsRelease();

    @Test
    void debianLayout_isKeptAndReadThroughTheSymlink() throws Exception {
        FileTree t = new FileTree();
        file(t, "usr/lib/os-release", """
                PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
                NAME="Debian GNU/Linux"
                VERSION_ID="12"
                ID=debian
                HOME_URL='https://example.org/'
                """, "base-files");
        link(t, "etc/os-release", "../usr/lib/os-release", "base-files");
        int before = t.size();
        step.apply(t, deb());
        assertThat(t.size()).isEqualTo(before);
        assertThat(OsRelease.read(t)).containsEntry("ID", "debian").containsEntry("VERSION_ID", "12")
                .containsEntry("PRETTY_NAME", "Debian GNU/Linux 12 (bookworm)").containsEntry("HOME_URL", "https://example.org/");
    }

    @Test
    void onlyUsrLib_getsTheEtcLink() throws Exception {
        FileTree t = new FileTree();
        file(t, "usr/lib/os-release", "ID=fedora\n", "fedora-release");
        step.apply(t, deb());
        FileEntry e = t.get("etc/os-release").orElseThrow();
        assertThat(e.type()).isEqualTo(EntryType.SYMLINK);
        assertThat(e.linkTarget()).isEqualTo("../usr/lib/os-release");
        assertThat(OsRelease.read(t)).containsExactly(Map.entry("ID", "fedora"));
    }

    @Test
    void absent_isWrittenFromDefaultsEscaped() throws Exception {
        FileTree t = new FileTree();
        step.apply(t, deb().withOsReleaseDefaults(Map.of("ID", "debian", "VERSION_ID", "12", "NAME", "Debian \"$x\"")));
        assertThat(text(t, "etc/os-release")).isEqualTo("""
                ID="debian"
                NAME="Debian \\"\\$x\\""
                PRETTY_NAME="Debian \\"\\$x\\""
                VERSION_ID="12"
                """);
        assertThat(OsRelease.read(t)).containsEntry("NAME", "Debian \"$x\"");
        assertThat(t.get("etc/os-release").orElseThrow().mtime()).isEqualTo(EPOCH);
    }

    @Test
    void absentWithoutDefaults_namesKolibri() throws Exception {
        FileTree t = new FileTree();
        step.apply(t, deb());
        assertThat(OsRelease.read(t)).containsEntry("NAME", "Kolibri").containsEntry("ID", "kolibri");
    }

    @Test
    void badDefaultKey_fails() {
        assertThatThrownBy(() -> step.apply(new FileTree(), deb().withOsReleaseDefaults(Map.of("BAD KEY", "x"))))
                .hasMessage("os-release: 'BAD KEY' is not a valid os-release key");
    }

    @Test
    void parse_handlesShellQuotingCommentsAndJunk() {
        Map<String, String> m = OsRelease.parse("# comment\n\nA=\"x \\\"y\\\" \\\\z\"\nB='a b'\nC=plain # trailing\n"
                + "not a line\nD=\"unterminated\n  E=spaced\nA=again\n");
        assertThat(m).containsExactly(Map.entry("A", "again"), Map.entry("B", "a b"), Map.entry("C", "plain"),
                Map.entry("E", "spaced"));
    }

    @Test
    void read_withoutAnyFile_isEmpty() {
        assertThat(OsRelease.read(new FileTree())).isEmpty();
    }
}
