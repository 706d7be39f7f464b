package dev.kolibri.finalize;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FinalizerTest {
    /** A Debian-shaped tree: base-files' os-release, base-passwd's masters, ca-certificates when on this machine. */
    private static FileTree debianish() {
        FileTree t = new FileTree();
        file(t, "usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n", "base-files");
        link(t, "etc/os-release", "../usr/lib/os-release", "base-files");
        dir(t, "tmp", 01777, "base-files");
        file(t, "usr/share/base-passwd/passwd.master", "root:*:0:0:root:/root:/bin/bash\nnobody:*:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", "base-passwd");
        file(t, "usr/share/base-passwd/group.master", "root:*:0:\nnogroup:*:65534:\n", "base-passwd");
        if (Files.isDirectory(Path.of("/usr/share/ca-certificates/mozilla"))) {
            copyHostDir(t, Path.of("/usr/share/ca-certificates"), "usr/share/ca-certificates", "ca-certificates");
        }
        return t;
    }

    @Test
    void standardDeb_runsTheStepsInOrder() {
        assertThat(Finalizer.standardDeb().steps()).extracting(Step::name)
                .containsExactly("accounts", "tmp", "os-release", "ca-certificates", "java-alternatives", "java-cacerts", "policy");
    }

    @Test
    void standardDeb_producesAFinishedImage() throws Exception {
        FileTree t = debianish();
        FinalizeResult r = Finalizer.standardDeb().apply(t, deb());
        assertThat(text(t, "etc/passwd")).contains("nonroot:x:65532:65532:");
        assertThat(t.get("home/nonroot").orElseThrow().uid()).isEqualTo(65532);
        assertThat(OsRelease.read(t)).containsEntry("ID", "debian");
        assertThat(r.warnings()).isEmpty();
        assertThat(r.findings()).isEmpty();
        if (t.contains("usr/share/ca-certificates/mozilla")) {
            assertThat(r.envAdditions()).containsEntry("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt");
            assertThat(text(t, "etc/ssl/certs/ca-certificates.crt")).startsWith("-----BEGIN CERTIFICATE-----");
        }
        // Every entry the steps wrote carries the epoch; no entry is newer.
        assertThat(t.entries()).allSatisfy(e -> assertThat(e.mtime()).isIn(1000L, EPOCH));
    }

    @Test
    void applyingTwice_givesTheSameTree() throws Exception {
        FileTree t = debianish();
        Finalizer.standardDeb().apply(t, deb());
        List<FileEntry> once = snapshot(t);
        FinalizeResult second = Finalizer.standardDeb().apply(t, deb());
        assertThat(snapshot(t)).isEqualTo(once);
        assertThat(second.warnings()).isEmpty();
    }

    @Test
    void twoRuns_giveIdenticalBytes() throws Exception {
        FileTree a = debianish();
        FileTree b = debianish();
        Finalizer.standardDeb().apply(a, deb());
        Finalizer.standardDeb().apply(b, deb());
        assertThat(snapshot(a)).isEqualTo(snapshot(b));
    }

    @Test
    void reportIsFreshPerRun() throws Exception {
        FinalizeContext ctx = deb().withRunAsUser(4242);
        FinalizeResult first = Finalizer.standardDeb().apply(new FileTree(), ctx);
        FinalizeResult second = Finalizer.standardDeb().apply(new FileTree(), ctx);
        assertThat(first.warnings()).hasSize(1);
        assertThat(second.warnings()).isEqualTo(first.warnings());
    }

    @Test
    void policyFailure_carriesTheStepName() {
        FileTree t = debianish();
        file(t, "bin/dash", "elf", "dash");
        assertThatThrownBy(() -> Finalizer.standardDeb().apply(t, deb())).isInstanceOf(FinalizeException.class)
                .hasMessageStartingWith("policy: the runtime image would contain a shell: /bin/dash from package dash")
                .extracting(e -> ((FinalizeException) e).step()).isEqualTo("policy");
    }

    @Test
    void builderVariant_keepsItsShell() throws Exception {
        FileTree t = debianish();
        file(t, "bin/bash", "elf", "bash");
        FinalizeResult r = Finalizer.standardDeb().apply(t, deb().withAllowShell(true).withRunAsUser(0));
        assertThat(r.findings()).isEmpty();
        assertThat(t.contains("bin/bash")).isTrue();
    }

    @Test
    void unexpectedStepFailure_isWrappedWithTheStepName() {
        Step broken = new Step() {
            public String name() {
                return "broken";
            }

            public void apply(FileTree tree, FinalizeContext ctx) {
                throw new IllegalStateException("boom");
            }
        };
        assertThatThrownBy(() -> new Finalizer(List.of(broken)).apply(new FileTree(), deb()))
                .isInstanceOf(FinalizeException.class).hasMessageStartingWith("broken: unexpected failure")
                .hasMessageContaining("boom");
    }

    @Test
    void duplicateStepNames_areRejected() {
        assertThatThrownBy(() -> new Finalizer(List.of(new TmpDir(), new TmpDir()))).hasMessageContaining("'tmp'");
    }

    @Test
    void context_rejectsUnknownEcosystem() {
        assertThatThrownBy(() -> FinalizeContext.of("apk", 0)).hasMessageContaining("'apk'");
    }
}
