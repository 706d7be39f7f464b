package dev.kolibri.finalize;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountsTest {
    private final Accounts step = new Accounts();

    @Test
    void emptyTree_getsDistrolessAccountsAndHomes() throws Exception {
        FileTree t = new FileTree();
        step.apply(t, deb());
        assertThat(text(t, "etc/passwd")).isEqualTo("""
                root:x:0:0:root:/root:/sbin/nologin
                nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
                nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
                """);
        assertThat(text(t, "etc/group")).isEqualTo("root:x:0:\nnogroup:x:65534:\nnonroot:x:65532:\n");
        FileEntry passwd = t.get("etc/passwd").orElseThrow();
        assertThat(passwd.mode()).isEqualTo(0644);
        assertThat(passwd.uid()).isZero();
        assertThat(passwd.mtime()).isEqualTo(EPOCH);
        assertThat(passwd.owner()).isEmpty();
        FileEntry home = t.get("home/nonroot").orElseThrow();
        assertThat(home.mode()).isEqualTo(0700);
        assertThat(home.uid()).isEqualTo(65532);
        assertThat(home.gid()).isEqualTo(65532);
        assertThat(t.get("root").orElseThrow().mode()).isEqualTo(0700);
        assertThat(t.get("home").orElseThrow().mode()).isEqualTo(0755);
        assertThat(t.contains("etc/shadow")).isFalse();
    }

    @Test
    void rpm_namesTheNobodyGroupNobody() throws Exception {
        FileTree t = new FileTree();
        step.apply(t, FinalizeContext.of("rpm", EPOCH));
        assertThat(text(t, "etc/group")).contains("nobody:x:65534:\n").doesNotContain("nogroup");
    }

    @Test
    void existingPasswd_keepsLinesAndOwnerAndAppendsMissing() throws Exception {
        FileTree t = new FileTree();
        file(t, "etc/passwd", "root:x:0:0:Super User:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\n"
                + "nobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin\n", "setup");
        file(t, "etc/group", "root:x:0:\nbin:x:1:\nnobody:x:65534:\n", "setup");
        step.apply(t, FinalizeContext.of("rpm", EPOCH));
        assertThat(text(t, "etc/passwd")).isEqualTo("root:x:0:0:Super User:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\n"
                + "nobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin\n"
                + "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
        assertThat(text(t, "etc/group")).isEqualTo("root:x:0:\nbin:x:1:\nnobody:x:65534:\nnonroot:x:65532:\n");
        assertThat(t.get("etc/passwd").orElseThrow().owner()).isEqualTo("setup");
        assertThat(t.get("etc/passwd").orElseThrow().mtime()).isEqualTo(EPOCH);
    }

    @Test
    void unchangedPasswd_isLeftUntouched() throws Exception {
        FileTree t = new FileTree();
        String full = "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
                + "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n";
        file(t, "etc/passwd", full, "pkg");
        FileEntry before = t.get("etc/passwd").orElseThrow();
        step.apply(t, deb());
        assertThat(t.get("etc/passwd").orElseThrow()).isEqualTo(before);
    }

    @Test
    void basePasswdMaster_seedsTheFilesAsItsPostinstWould() throws Exception {
        FileTree t = new FileTree();
        file(t, "usr/share/base-passwd/passwd.master", "root:*:0:0:root:/root:/bin/bash\ndaemon:*:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                + "nobody:*:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", "base-passwd");
        file(t, "usr/share/base-passwd/group.master", "root:*:0:\ndaemon:*:1:\nnogroup:*:65534:\n", "base-passwd");
        step.apply(t, deb());
        assertThat(text(t, "etc/passwd")).startsWith("root:*:0:0:root:/root:/bin/bash\ndaemon:*:1:1:")
                .endsWith("nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
        assertThat(text(t, "etc/group")).isEqualTo("root:*:0:\ndaemon:*:1:\nnogroup:*:65534:\nnonroot:x:65532:\n");
        assertThat(t.get("etc/passwd").orElseThrow().owner()).isEmpty();
    }

    @Test
    void existingShadow_getsLockedEntriesForAddedAccounts() throws Exception {
        FileTree t = new FileTree();
        file(t, "etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n", "setup");
        file(t, "etc/shadow", "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::", "setup");
        step.apply(t, deb());
        assertThat(text(t, "etc/shadow")).isEqualTo("root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\nnonroot:*:::::::\n");
    }

    @Test
    void nameWithAnotherId_failsNamingTheFile() {
        FileTree t = new FileTree();
        file(t, "etc/passwd", "nonroot:x:1000:1000::/home/nonroot:/bin/sh\n", "evil");
        assertThatThrownBy(() -> step.apply(t, deb())).isInstanceOf(FinalizeException.class)
                .hasMessageStartingWith("accounts: /etc/passwd gives 'nonroot' id 1000, but images expect 65532");
    }

    @Test
    void idTakenByAnotherName_fails() {
        FileTree t = new FileTree();
        file(t, "etc/passwd", "app:x:65532:65532::/app:/sbin/nologin\n", "app");
        assertThatThrownBy(() -> step.apply(t, deb()))
                .hasMessageContaining("already uses id 65532 for 'app', so 'nonroot' cannot be added");
    }

    @Test
    void malformedOrDuplicateLines_failWithLineNumbers() {
        FileTree t1 = new FileTree();
        file(t1, "etc/passwd", "root:x:0:0:root:/root\n", "x");
        assertThatThrownBy(() -> step.apply(t1, deb())).hasMessageContaining("/etc/passwd line 1 has 6 fields, not 7");
        FileTree t2 = new FileTree();
        file(t2, "etc/passwd", "root:x:0:0::/root:/bin/sh\nroot:x:0:0::/root:/bin/sh\n", "x");
        assertThatThrownBy(() -> step.apply(t2, deb())).hasMessageContaining("line 2: account 'root' is defined twice");
        FileTree t3 = new FileTree();
        file(t3, "etc/group", "root:x:zero:\n", "x");
        assertThatThrownBy(() -> step.apply(t3, deb())).hasMessageContaining("/etc/group line 1: 'root' has a non-numeric");
    }

    @Test
    void homeOwnedByRoot_isHandedToNonroot() throws Exception {
        FileTree t = new FileTree();
        dir(t, "home/nonroot", 0755, "app");
        step.apply(t, deb());
        FileEntry home = t.get("home/nonroot").orElseThrow();
        assertThat(home.uid()).isEqualTo(65532);
        assertThat(home.mode()).isEqualTo(0700);
        assertThat(home.owner()).isEqualTo("app");
    }

    @Test
    void symlinkedHome_isFollowedAndItsParentsMade() throws Exception {
        FileTree t = new FileTree();
        link(t, "home", "var/home", "ostree");
        step.apply(t, deb());
        assertThat(t.get("var").orElseThrow().mode()).isEqualTo(0755);
        assertThat(t.get("var/home").orElseThrow().mode()).isEqualTo(0755);
        assertThat(t.get("var/home/nonroot").orElseThrow().uid()).isEqualTo(65532);
        assertThat(t.get("home").orElseThrow().linkTarget()).isEqualTo("var/home");
    }

    @Test
    void homeThatIsAFile_failsNamingThePackage() {
        FileTree t = new FileTree();
        file(t, "home/nonroot", "x", "junk");
        assertThatThrownBy(() -> step.apply(t, deb()))
                .hasMessage("accounts: /home/nonroot must be a directory but is a file (from package junk); remove the package that ships it");
    }

    @Test
    void unknownRunAsUser_isAWarning() throws Exception {
        FileTree t = new FileTree();
        FinalizeContext ctx = deb().withRunAsUser(1234);
        step.apply(t, ctx);
        assertThat(ctx.report().toResult().warnings()).containsExactly(
                "accounts: the image runs as uid 1234, which has no account in /etc/passwd");
    }

    @Test
    void generatedFiles_passPwckAndGrpck(@TempDir Path dir) throws Exception {
        Tools.require("pwck", "grpck");
        FileTree t = new FileTree();
        step.apply(t, deb());
        Path passwd = write(dir, "passwd", text(t, "etc/passwd"));
        Path group = write(dir, "group", text(t, "etc/group"));
        Path shadow = write(dir, "shadow", text(t, "etc/passwd").lines().map(l -> l.split(":")[0] + ":*:::::::\n").collect(Collectors.joining()));
        Path gshadow = write(dir, "gshadow", text(t, "etc/group").lines().map(l -> l.split(":")[0] + ":!::\n").collect(Collectors.joining()));
        Tools.ok(dir, "pwck", "-r", "-q", passwd.toString(), shadow.toString());
        Tools.ok(dir, "grpck", "-r", group.toString(), gshadow.toString());
    }

    @Test
    void appendedShadow_passesPwck(@TempDir Path dir) throws Exception {
        Tools.require("pwck");
        FileTree t = new FileTree();
        file(t, "etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\n", "setup");
        file(t, "etc/shadow", "root:*:19000:0:99999:7:::\n", "setup");
        step.apply(t, deb());
        Tools.ok(dir, "pwck", "-r", "-q", write(dir, "passwd", text(t, "etc/passwd")).toString(),
                write(dir, "shadow", text(t, "etc/shadow")).toString());
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
