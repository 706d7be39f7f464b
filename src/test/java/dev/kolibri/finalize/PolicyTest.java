package dev.kolibri.finalize;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import org.junit.jupiter.api.Test;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTest {
    private final Policy step = new Policy();

    private static FileTree withDash() {
        FileTree t = new FileTree();
        file(t, "bin/dash", new byte[] {0x7f, 'E', 'L', 'F'}, 0755, "dash");
        link(t, "bin/sh", "dash", "dash");
        file(t, "usr/bin/python3", "elf", "python3-minimal");
        return t;
    }

    @Test
    void dash_failsNamingThePackage() {
        assertThatThrownBy(() -> step.apply(withDash(), deb())).isInstanceOf(FinalizeException.class)
                .hasMessage("policy: the runtime image would contain a shell: /bin/dash from package dash, "
                        + "/bin/sh from package dash; remove the package, or set allow-shell in a builder variant");
    }

    @Test
    void allowShell_passes() throws Exception {
        FinalizeContext ctx = deb().withAllowShell(true);
        step.apply(withDash(), ctx);
        assertThat(ctx.report().toResult().findings()).isEmpty();
    }

    @Test
    void packageManager_isFlaggedToo() {
        FileTree t = new FileTree();
        file(t, "usr/bin/dpkg", "elf", "dpkg");
        file(t, "sbin/apk", "elf", "apk-tools");
        assertThat(Policy.check(t, deb())).containsExactly(
                new PolicyFinding("package-manager", "/sbin/apk", "apk-tools", "error"),
                new PolicyFinding("package-manager", "/usr/bin/dpkg", "dpkg", "error"));
        assertThatThrownBy(() -> step.apply(t, deb()))
                .hasMessageContaining("a package manager: /sbin/apk from package apk-tools, /usr/bin/dpkg from package dpkg");
    }

    @Test
    void mergedUsr_isSeenThroughTheDirectorySymlinkOnce() {
        FileTree t = new FileTree();
        link(t, "bin", "usr/bin", "base-files");
        file(t, "usr/bin/bash", "elf", "bash");
        assertThat(Policy.check(t, deb())).containsExactly(new PolicyFinding("shell", "/usr/bin/bash", "bash", "error"));
    }

    @Test
    void danglingShellSymlink_isStillAShell() {
        FileTree t = new FileTree();
        link(t, "usr/sbin/sh", "/nowhere", "");
        assertThat(Policy.check(t, deb())).containsExactly(new PolicyFinding("shell", "/usr/sbin/sh", "", "error"));
    }

    @Test
    void directoryNamedLikeAShell_isNotAShell() {
        FileTree t = new FileTree();
        dir(t, "usr/bin/sh", 0755, "odd");
        assertThat(Policy.check(t, deb())).isEmpty();
    }

    @Test
    void setuidSetgidWorldWritableAndRoot_areWarnings() throws Exception {
        FileTree t = new FileTree();
        file(t, "usr/bin/su", "elf".getBytes(), 04755, "util-linux");
        file(t, "usr/bin/wall", "elf".getBytes(), 02755, "bsdutils");
        file(t, "etc/open", "x".getBytes(), 0666, "oops");
        dir(t, "var/spool", 0777, "oops");
        t.put(FileEntry.directory("tmp", 01777, 0, 0, 0, ""));
        FinalizeContext ctx = deb().withRunAsUser(0);
        step.apply(t, ctx);
        assertThat(ctx.report().toResult().findings()).containsExactly(
                new PolicyFinding("world-writable", "/etc/open", "oops", "warning"),
                new PolicyFinding("setuid", "/usr/bin/su", "util-linux", "warning"),
                new PolicyFinding("setgid", "/usr/bin/wall", "bsdutils", "warning"),
                new PolicyFinding("world-writable", "/var/spool", "oops", "warning"),
                new PolicyFinding("runs-as-root", "", "", "warning"));
    }

    @Test
    void finding_rejectsUnknownSeverity() {
        assertThatThrownBy(() -> new PolicyFinding("shell", "/bin/sh", "", "fatal")).hasMessageContaining("'fatal'");
    }
}
