package dev.kolibri.finalize;

import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectHashTest {
    @Test
    void everyHostCaCertificate_matchesOpensslSubjectHash() throws Exception {
        Tools.require("openssl");
        Path share = Path.of("/usr/share/ca-certificates");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(share), "skipped: ca-certificates is not installed");
        List<Path> certs;
        try (Stream<Path> s = Files.walk(share)) {
            certs = s.filter(p -> p.toString().endsWith(".crt")).sorted().toList();
        }
        assertThat(certs).hasSizeGreaterThan(50);
        List<String> ours = new ArrayList<>();
        List<String> theirs = new ArrayList<>();
        for (Path p : certs) {
            ours.add(p.getFileName() + " " + SubjectHash.ofCertificate(Pem.read(Files.readAllBytes(p)).certificates().get(0)));
            theirs.add(p.getFileName() + " " + Tools.ok(null, "openssl", "x509", "-noout", "-subject_hash", "-in", p.toString()).out().strip());
        }
        assertThat(ours).isEqualTo(theirs);
    }

    @Test
    void oddSubjects_matchOpenssl(@TempDir Path dir) throws Exception {
        Tools.require("openssl");
        String[][] subjects = {
                {"/CN=  Mixed   CASE\tName  /O=ACME, Inc.", ""},
                {"/O=Foo+OU=Bar+CN=zed/C=DE", "-multivalue-rdn"},
                {"/CN=Grüße Ünïcode  ROOT/O=Éxample", "-utf8"},
                {"/DC=com/DC=Example/CN=x", ""},
        };
        for (int i = 0; i < subjects.length; i++) {
            Path cert = makeCert(dir, "c" + i, subjects[i][0], subjects[i][1], "utf8only");
            assertHashMatches(cert);
        }
        // The default string mask picks PrintableString, T61String or BMPString: all must canonicalize alike.
        assertHashMatches(makeCert(dir, "bmp", "/CN=Ω Omega  Root/O=Ümlaut", "-utf8", "default"));
        assertHashMatches(makeCert(dir, "t61", "/CN=Plain  ASCII/O=x_Y  z", "", "nombstr"));
    }

    @Test
    void fold_stripsFoldsAndLowercasesAsciiOnly() {
        assertThat(new String(SubjectHash.fold(" \t A  b\n\nC ".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("a b c");
        assertThat(new String(SubjectHash.fold("ÄB".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)).isEqualTo("Äb");
        assertThat(SubjectHash.fold("   ".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void garbage_isRejectedClearly() {
        assertThatThrownBy(() -> SubjectHash.ofCertificate(new byte[] {0x30, 0x05, 0x01})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs past");
        assertThatThrownBy(() -> SubjectHash.ofCertificate(new byte[] {0x04, 0x00})).hasMessageContaining("not a certificate");
    }

    private static Path makeCert(Path dir, String name, String subject, String flag, String mask) throws Exception {
        Path cnf = dir.resolve(name + ".cnf");
        Files.writeString(cnf, "[req]\ndistinguished_name=dn\nstring_mask=" + mask + "\n[dn]\n");
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-config", cnf.toString(), "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", subject,
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString()));
        if (!flag.isEmpty()) cmd.add(flag);
        Tools.run(dir, java.util.Map.of(), cmd).orFail(cmd);
        return dir.resolve(name + ".crt");
    }

    private static void assertHashMatches(Path cert) throws Exception {
        String expected = Tools.ok(null, "openssl", "x509", "-noout", "-subject_hash", "-in", cert.toString()).out().strip();
        String subject = Tools.ok(null, "openssl", "x509", "-noout", "-subject", "-in", cert.toString()).out().strip();
        assertThat(SubjectHash.ofCertificate(Pem.read(Files.readAllBytes(cert)).certificates().get(0)))
                .as(subject).isEqualTo(expected);
    }
}
