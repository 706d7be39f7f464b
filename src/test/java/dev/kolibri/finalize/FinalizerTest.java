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
                .containsExactly("accounts", "tmp", "os-release", "ca-certificates", "java-alternatives", "java-cacerts", "compiler-alternatives", "php-config", "paths", "policy");
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

    @Test
    void standardDeb_withoutJre_makesNoJavaFiles() throws Exception {
        FileTree t = debianish();
        Finalizer.standardDeb().apply(t, deb());
        assertThat(t.contains("etc/alternatives")).isFalse();
        assertThat(t.contains("etc/ssl/certs/java")).isFalse();
        assertThat(t.contains("usr/bin/java")).isFalse();
    }

    @Test
    void standardDeb_withJreHeadless_linksJavaAndWritesItsKeystore() throws Exception {
        FileTree t = debianish();
        String jdk = "usr/lib/jvm/java-17-openjdk-amd64";
        file(t, "usr/lib/jvm/.java-1.17.0-openjdk-amd64.jinfo", "name=java-17-openjdk-amd64\npriority=1711\n\nhl java /" + jdk
                + "/bin/java\njdkhl javac /" + jdk + "/bin/javac\n", "openjdk-17-jre-headless");
        file(t, jdk + "/bin/java", new byte[] {1}, 0755, "openjdk-17-jre-headless");
        link(t, jdk + "/lib/security/cacerts", "/etc/ssl/certs/java/cacerts", "openjdk-17-jre-headless");
        FinalizeResult r = Finalizer.standardDeb().apply(t, deb());
        assertThat(t.resolve("usr/bin/java")).contains(jdk + "/bin/java");
        assertThat(r.warnings()).isEmpty();
        if (t.contains("usr/share/ca-certificates/mozilla")) {
            // The JRE's own cacerts path now leads to a keystore the JDK loads.
            java.security.KeyStore ks = JksWriterTest.load(
                    t.get(t.resolve(jdk + "/lib/security/cacerts").orElseThrow()).orElseThrow().content(), "changeit");
            assertThat(ks.size()).isEqualTo(Pem.read(t.get("etc/ssl/certs/ca-certificates.crt").orElseThrow().content()).certificates().size());
        }
    }

    /** What Fedora's setup, fedora-release-common and filesystem ship. */
    private static FileTree fedoraish() {
        FileTree t = new FileTree();
        String passwd = """
                root:x:0:0:Super User:/root:/bin/bash
                bin:x:1:1:bin:/bin:/usr/sbin/nologin
                daemon:x:2:2:daemon:/sbin:/usr/sbin/nologin
                adm:x:3:4:adm:/var/adm:/usr/sbin/nologin
                lp:x:4:7:lp:/var/spool/lpd:/usr/sbin/nologin
                sync:x:5:0:sync:/sbin:/bin/sync
                shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
                halt:x:7:0:halt:/sbin:/sbin/halt
                mail:x:8:12:mail:/var/spool/mail:/usr/sbin/nologin
                operator:x:11:0:operator:/root:/usr/sbin/nologin
                games:x:12:100:games:/usr/games:/usr/sbin/nologin
                ftp:x:14:50:FTP User:/var/ftp:/usr/sbin/nologin
                nobody:x:65534:65534:Kernel Overflow User:/:/usr/sbin/nologin
                """;
        String group = """
                root:x:0:
                bin:x:1:
                daemon:x:2:
                sys:x:3:
                adm:x:4:
                tty:x:5:
                disk:x:6:
                lp:x:7:
                mem:x:8:
                kmem:x:9:
                wheel:x:10:
                mail:x:12:
                users:x:100:
                nobody:x:65534:
                """;
        file(t, "etc/passwd", passwd, "setup");
        file(t, "etc/group", group, "setup");
        file(t, "etc/shadow", new byte[0], 0, "setup");
        file(t, "usr/lib/os-release", "NAME=\"Fedora Linux\"\nID=fedora\nVERSION_ID=40\n", "fedora-release-common");
        link(t, "etc/os-release", "../usr/lib/os-release", "fedora-release-common");
        link(t, "bin", "usr/bin", "filesystem");
        dir(t, "usr/bin", 0555, "filesystem");
        dir(t, "tmp", 01777, "filesystem");
        return t;
    }

    @Test
    void standardRpm_runsTheStepsInOrder() {
        assertThat(Finalizer.standardRpm().steps()).extracting(Step::name)
                .containsExactly("accounts", "tmp", "os-release", "ca-trust", "paths", "policy");
    }

    @Test
    void standardRpm_keepsSetupsAccounts_andExtractsTheTrustStore() throws Exception {
        FileTree t = fedoraish();
        String setupPasswd = text(t, "etc/passwd");
        String setupGroup = text(t, "etc/group");
        boolean certs = Files.isDirectory(Path.of("/usr/share/ca-certificates/mozilla"));
        if (certs) {
            StringBuilder p11 = new StringBuilder();
            for (X509 c : RpmCaTrustTest.hostCerts(5)) {
                p11.append("[p11-kit-object-v1]\ntrusted: true\n").append(RpmCaTrustTest.pem("CERTIFICATE", c.der())).append('\n');
            }
            file(t, "usr/share/pki/ca-trust-source/ca-bundle.trust.p11-kit", p11.toString(), "ca-certificates");
            link(t, "etc/pki/tls/certs/ca-bundle.crt", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "ca-certificates");
        }
        FinalizeResult r = Finalizer.standardRpm().apply(t, FinalizeContext.of("rpm", EPOCH));
        assertThat(text(t, "etc/passwd")).isEqualTo(setupPasswd + "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
        assertThat(text(t, "etc/group")).isEqualTo(setupGroup + "nonroot:x:65532:\n");
        assertThat(text(t, "etc/shadow")).isEqualTo("nonroot:*:::::::\n");
        assertThat(t.get("etc/passwd").orElseThrow().owner()).isEqualTo("setup");
        assertThat(OsRelease.read(t)).containsEntry("ID", "fedora");
        assertThat(r.warnings()).isEmpty();
        if (certs) {
            assertThat(r.envAdditions()).containsEntry("SSL_CERT_FILE", "/etc/pki/tls/certs/ca-bundle.crt");
            assertThat(Pem.read(t.get("etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem").orElseThrow().content()).certificates()).hasSize(5);
        }
        List<FileEntry> once = snapshot(t);
        Finalizer.standardRpm().apply(t, FinalizeContext.of("rpm", EPOCH));
        assertThat(snapshot(t)).isEqualTo(once);
    }

    @Test
    void standardRpm_rejectsRpmPackageManagers() {
        for (String pm : List.of("rpm", "dnf", "dnf5", "microdnf", "yum")) {
            FileTree t = fedoraish();
            file(t, "usr/bin/" + pm, "elf", pm);
            assertThatThrownBy(() -> Finalizer.standardRpm().apply(t, FinalizeContext.of("rpm", EPOCH)))
                    .as(pm).isInstanceOf(FinalizeException.class)
                    .hasMessageContaining("a package manager: /usr/bin/" + pm + " from package " + pm);
        }
    }
}
