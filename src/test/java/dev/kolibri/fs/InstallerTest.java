package dev.kolibri.fs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstallerTest {
    private static final long T = 1_700_000_000L;
    private final Installer installer = new Installer();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private InstallReport install(FileTree tree, String owner, PayloadEntry... entries) {
        List<PayloadEntry> list = List.of(entries);
        return installer.install(tree, owner, list::forEach);
    }

    @Test
    void install_debianStyleNames_normalizedAndParentsKept() {
        FileTree tree = new FileTree();
        InstallReport r = install(tree, "a",
                PayloadEntry.directory("./", 0755, T),
                PayloadEntry.directory("./usr/", 0755, T),
                PayloadEntry.directory("./usr/bin/", 0755, T),
                PayloadEntry.file("./usr/bin/x", 0755, T, b("x")),
                PayloadEntry.file("/usr//bin/./y", 0644, T, b("yy")),
                PayloadEntry.symlink("./usr/bin/z", "x", T));
        assertThat(tree.entries()).extracting(FileEntry::path)
                .containsExactly("usr", "usr/bin", "usr/bin/x", "usr/bin/y", "usr/bin/z");
        assertThat(r.paths()).containsExactly("usr", "usr/bin", "usr/bin/x", "usr/bin/y", "usr/bin/z");
        assertThat(r.files()).isEqualTo(2);
        assertThat(r.bytes()).isEqualTo(3);
        assertThat(r.createdDirectories()).isEmpty();
        assertThat(tree.get("usr/bin/x").orElseThrow().owner()).isEqualTo("a");
        assertThat(tree.get("usr/bin/z").orElseThrow().linkTarget()).isEqualTo("x");
    }

    @Test
    void install_missingParents_createdAsRootDirectoriesAndRecorded() {
        FileTree tree = new FileTree();
        InstallReport r = install(tree, "a", PayloadEntry.file("./usr/share/doc/a/copyright", 0644, 42, b("c")));
        assertThat(r.createdDirectories()).containsExactly("usr", "usr/share", "usr/share/doc", "usr/share/doc/a");
        FileEntry d = tree.get("usr/share").orElseThrow();
        assertThat(d.type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(d.mode()).isEqualTo(0755);
        assertThat(d.uid()).isZero();
        assertThat(d.mtime()).isEqualTo(42);
        assertThat(r.paths()).containsExactly("usr", "usr/share", "usr/share/doc", "usr/share/doc/a",
                "usr/share/doc/a/copyright");
    }

    @Test
    void install_dotDotClimbingOut_refusedNamingPackageAndMember() {
        FileTree tree = new FileTree();
        assertThatThrownBy(() -> install(tree, "evil", PayloadEntry.file("./../../etc/evil", 0644, T, b("x"))))
                .isInstanceOf(UnsafePayloadException.class)
                .hasMessageContaining("'evil'").hasMessageContaining("'./../../etc/evil'").hasMessageContaining("..");
        assertThat(tree.size()).isZero();
    }

    @Test
    void install_innerDotDotStayingInside_normalized() {
        FileTree tree = new FileTree();
        install(tree, "a", PayloadEntry.file("./usr/lib/../share/x", 0644, T, b("x")));
        assertThat(tree.contains("usr/share/x")).isTrue();
        assertThat(tree.contains("usr/lib/x")).isFalse();
    }

    @Test
    void install_absoluteName_landsInsideTheTree() {
        FileTree tree = new FileTree();
        install(tree, "a", PayloadEntry.file("/etc/evil", 0644, T, b("x")));
        assertThat(tree.get("etc/evil")).isPresent();
    }

    @Test
    void install_writeThroughSymlinkedParentOfOtherPackage_refused() {
        FileTree tree = new FileTree();
        install(tree, "a", PayloadEntry.symlink("./etc", "/tmp/x", T));
        assertThatThrownBy(() -> install(tree, "b", PayloadEntry.file("./etc/passwd", 0644, T, b("root"))))
                .isInstanceOf(UnsafePayloadException.class)
                .hasMessageContaining("'b'").hasMessageContaining("./etc/passwd").hasMessageContaining("symlink")
                .hasMessageContaining("'a'");
        assertThat(tree.contains("tmp/x/passwd")).isFalse();
        assertThat(tree.contains("etc/passwd")).isFalse();
    }

    @Test
    void install_writeThroughOwnSymlinkToInsideDirectory_refusedToo() {
        FileTree tree = new FileTree();
        assertThatThrownBy(() -> install(tree, "a",
                PayloadEntry.directory("./usr/lib/", 0755, T),
                PayloadEntry.symlink("./lib", "usr/lib", T),
                PayloadEntry.file("./lib/libc.so", 0644, T, b("elf"))))
                .isInstanceOf(UnsafePayloadException.class).hasMessageContaining("'/lib' is a symlink");
    }

    @Test
    void install_failure_rollsTheTreeBack() {
        FileTree tree = new FileTree();
        install(tree, "a", PayloadEntry.file("./etc/a.conf", 0644, T, b("a")));
        List<FileEntry> before = new ArrayList<>(tree.entries());
        assertThatThrownBy(() -> install(tree, "b",
                PayloadEntry.file("./etc/b.conf", 0644, T, b("b")),
                PayloadEntry.file("./usr/share/b", 0644, T, b("b")),
                PayloadEntry.file("./etc/a.conf", 0644, T, b("not a"))))
                .isInstanceOf(FileConflictException.class);
        assertThat(tree.entries()).containsExactlyElementsOf(before);
    }

    @Test
    void install_sourceFailsMidStream_rollsBackAndRethrows() {
        FileTree tree = new FileTree();
        PayloadSource broken = sink -> {
            sink.accept(PayloadEntry.file("./x", 0644, T, b("x")));
            throw new IllegalStateException("disk on fire");
        };
        assertThatThrownBy(() -> installer.install(tree, "a", broken)).hasMessage("disk on fire");
        assertThat(tree.size()).isZero();
    }

    @Test
    void install_differentContentFromTwoPackages_conflictNamesBoth() {
        FileTree tree = new FileTree();
        install(tree, "libfoo", PayloadEntry.file("./usr/share/doc/x", 0644, T, b("one")));
        assertThatThrownBy(() -> install(tree, "libbar", PayloadEntry.file("./usr/share/doc/x", 0644, T, b("two"))))
                .isInstanceOf(FileConflictException.class)
                .hasMessageContaining("/usr/share/doc/x").hasMessageContaining("'libfoo'").hasMessageContaining("'libbar'")
                .satisfies(e -> {
                    FileConflictException c = (FileConflictException) e;
                    assertThat(c.firstOwner()).isEqualTo("libfoo");
                    assertThat(c.secondOwner()).isEqualTo("libbar");
                    assertThat(c.path()).isEqualTo("usr/share/doc/x");
                });
    }

    @Test
    void install_symlinkVersusFile_conflict() {
        FileTree tree = new FileTree();
        install(tree, "a", PayloadEntry.file("./bin/sh", 0755, T, b("sh")));
        assertThatThrownBy(() -> install(tree, "b", PayloadEntry.symlink("./bin/sh", "dash", T)))
                .isInstanceOf(FileConflictException.class);
    }

    @Test
    void install_identicalContentFromTwoPackages_allowedFirstKept() {
        FileTree tree = new FileTree();
        install(tree, "libfoo", PayloadEntry.file("./usr/share/doc/same", 0644, T, b("same")));
        InstallReport r = install(tree, "libfoo-other", PayloadEntry.file("./usr/share/doc/same", 0644, T + 5, b("same")));
        assertThat(tree.get("usr/share/doc/same").orElseThrow().owner()).isEqualTo("libfoo");
        assertThat(r.paths()).contains("usr/share/doc/same");
    }

    @Test
    void install_directoryTwice_firstMetadataKept() {
        FileTree tree = new FileTree();
        install(tree, "a", PayloadEntry.directory("./opt/", 0755, T));
        InstallReport r = install(tree, "b", PayloadEntry.directory("./opt/", 0700, T + 1));
        FileEntry d = tree.get("opt").orElseThrow();
        assertThat(d.mode()).isEqualTo(0755);
        assertThat(d.owner()).isEqualTo("a");
        assertThat(r.paths()).containsExactly("opt");
    }

    @Test
    void install_fileWhereDirectoryIs_conflict() {
        FileTree tree = new FileTree();
        install(tree, "a", PayloadEntry.directory("./opt/", 0755, T));
        assertThatThrownBy(() -> install(tree, "b", PayloadEntry.file("./opt", 0644, T, b("x"))))
                .isInstanceOf(FileConflictException.class).hasMessageContaining("'a'").hasMessageContaining("'b'");
    }

    @Test
    void install_childOfAnotherPackagesFile_conflict() {
        FileTree tree = new FileTree();
        install(tree, "a", PayloadEntry.file("./opt", 0644, T, b("x")));
        assertThatThrownBy(() -> install(tree, "b", PayloadEntry.file("./opt/y", 0644, T, b("y"))))
                .isInstanceOf(FileConflictException.class).hasMessageContaining("needs a directory");
    }

    @Test
    void install_directoryOverSymlinkToDirectory_symlinkKeptWithWarning() {
        FileTree tree = new FileTree();
        install(tree, "base", PayloadEntry.directory("./usr/lib64/", 0755, T), PayloadEntry.symlink("./lib64", "usr/lib64", T));
        InstallReport r = install(tree, "libc", PayloadEntry.directory("./lib64/", 0755, T));
        assertThat(tree.get("lib64").orElseThrow().type()).isEqualTo(EntryType.SYMLINK);
        assertThat(r.warnings()).singleElement().asString().contains("kept symlink '/lib64'");
    }

    @Test
    void install_laterMemberOfSamePackage_replacesEarlier() {
        FileTree tree = new FileTree();
        InstallReport r = install(tree, "a", PayloadEntry.file("./x", 0644, T, b("one")),
                PayloadEntry.file("./x", 0644, T, b("three")));
        assertThat(tree.get("x").orElseThrow().content()).isEqualTo(b("three"));
        assertThat(r.files()).isEqualTo(1);
        assertThat(r.bytes()).isEqualTo(5);
    }

    @Test
    void install_devicesAndFifos_droppedWithWarnings() {
        FileTree tree = new FileTree();
        InstallReport r = install(tree, "udev",
                PayloadEntry.special("./dev/null", PayloadEntry.Kind.CHAR_DEVICE, 0666, T),
                PayloadEntry.special("./dev/sda", PayloadEntry.Kind.BLOCK_DEVICE, 0660, T),
                PayloadEntry.special("./run/initctl", PayloadEntry.Kind.FIFO, 0600, T));
        assertThat(tree.size()).isZero();
        assertThat(r.droppedPaths()).containsExactly("dev/null", "dev/sda", "run/initctl");
        assertThat(r.warnings()).hasSize(3).allSatisfy(w -> assertThat(w).startsWith("udev: dropped"));
        assertThat(r.warnings().get(0)).contains("character device").contains("./dev/null");
    }

    @Test
    void install_setuidAndSetgid_reported() {
        FileTree tree = new FileTree();
        InstallReport r = install(tree, "passwd",
                PayloadEntry.file("./usr/bin/passwd", 04755, T, b("p")),
                PayloadEntry.file("./usr/bin/chage", 02755, T, b("c")),
                PayloadEntry.file("./usr/bin/plain", 0755, T, b("n")));
        assertThat(r.setuidPaths()).containsExactly("usr/bin/chage", "usr/bin/passwd");
        assertThat(tree.get("usr/bin/passwd").orElseThrow().mode()).isEqualTo(04755);
    }

    @Test
    void install_hardlinkToEarlierFile_keptWithNormalizedTarget() {
        FileTree tree = new FileTree();
        InstallReport r = install(tree, "perl",
                PayloadEntry.file("./usr/bin/perl", 0755, T, b("elf")),
                PayloadEntry.hardlink("./usr/bin/perl5.36.0", "/usr/bin/perl", T));
        FileEntry h = tree.get("usr/bin/perl5.36.0").orElseThrow();
        assertThat(h.type()).isEqualTo(EntryType.HARDLINK);
        assertThat(h.linkTarget()).isEqualTo("usr/bin/perl");
        assertThat(h.mode()).isEqualTo(0755);
        assertThat(r.files()).isEqualTo(1);
    }

    @Test
    void install_hardlinkOutOfTheRoot_refused() {
        FileTree tree = new FileTree();
        assertThatThrownBy(() -> install(tree, "evil", PayloadEntry.hardlink("./x", "../outside", T)))
                .isInstanceOf(UnsafePayloadException.class).hasMessageContaining("climbs out");
    }

    @Test
    void install_hardlinkToOtherPackagesFileOrMissing_refused() {
        FileTree tree = new FileTree();
        install(tree, "base", PayloadEntry.file("./etc/shadow", 0640, T, b("secret")));
        assertThatThrownBy(() -> install(tree, "evil", PayloadEntry.hardlink("./tmp/s", "./etc/shadow", T)))
                .isInstanceOf(UnsafePayloadException.class).hasMessageContaining("installed earlier by the same package");
        assertThatThrownBy(() -> install(tree, "evil", PayloadEntry.hardlink("./tmp/s", "./nothing", T)))
                .isInstanceOf(UnsafePayloadException.class);
    }

    @Test
    void install_memberReplacingRoot_refused() {
        assertThatThrownBy(() -> install(new FileTree(), "evil", PayloadEntry.symlink("./", "/tmp", T)))
                .isInstanceOf(UnsafePayloadException.class).hasMessageContaining("root directory");
    }

    @Test
    void install_numericIdsFromArchiveKept() {
        FileTree tree = new FileTree();
        install(tree, "a", new PayloadEntry("./var/mail", PayloadEntry.Kind.DIRECTORY, 02775, 0, 8, "root", "mail", T, null, null));
        FileEntry d = tree.get("var/mail").orElseThrow();
        assertThat(d.gid()).isEqualTo(8);
        assertThat(d.mode()).isEqualTo(02775);
    }
}
