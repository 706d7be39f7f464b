package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Compares the step with the real update-ca-certificates (and openssl rehash) run on this machine's certificates. */
class CaCertificatesTest {
    private static final Path SHARE = Path.of("/usr/share/ca-certificates");
    private final CaCertificates step = new CaCertificates();

    @Test
    void withConf_matchesRealUpdateCaCertificates(@TempDir Path dir) throws Exception {
        requireReal();
        List<String> all = hostCerts();
        // Deselect one certificate, list one that does not exist, keep the rest in reverse order.
        StringBuilder conf = new StringBuilder("# test\n\n!" + all.get(0) + "\nmozilla/Does_Not_Exist.crt\n");
        for (int i = all.size() - 1; i >= 1; i--) conf.append(i == 3 ? "  " + all.get(i) + " \n" : all.get(i) + "\n");
        Path local = localCerts(dir.resolve("local"));

        FileTree tree = hostTree(local);
        file(tree, "etc/ca-certificates.conf", conf.toString(), "");
        FinalizeContext ctx = deb();
        step.apply(tree, ctx);

        Path etc = runReal(dir, conf.toString(), local, false);
        assertSameCertsDir(tree, etc, local);
        assertThat(ctx.report().toResult().warnings())
                .containsExactly("ca-certificates: /usr/share/ca-certificates/mozilla/Does_Not_Exist.crt not found, but listed in /etc/ca-certificates.conf");
        assertThat(ctx.report().toResult().envAdditions()).containsEntry("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt");
        assertThat(text(tree, "etc/ssl/certs/ca-certificates.crt")).doesNotContain(Files.readString(SHARE.resolve(all.get(0))));
    }

    @Test
    void withoutConf_writesThePostinstConfAndMatchesRealDefault(@TempDir Path dir) throws Exception {
        requireReal();
        Path local = localCerts(dir.resolve("local"));
        FileTree tree = hostTree(local);
        step.apply(tree, deb());
        String conf = text(tree, "etc/ca-certificates.conf");
        assertThat(conf.lines().filter(l -> !l.startsWith("#")).toList()).isEqualTo(hostCerts());

        // The real script reading our conf, and the real script's --default, both give the same directory.
        assertSameCertsDir(tree, runReal(dir.resolve("a"), conf, local, false), local);
        assertSameCertsDir(tree, runReal(dir.resolve("b"), "", local, true), local);
    }

    @Test
    void applyingTwice_changesNothing() throws Exception {
        requireReal();
        FileTree tree = hostTree(null);
        step.apply(tree, deb());
        List<FileEntry> once = snapshot(tree);
        step.apply(tree, deb());
        assertThat(snapshot(tree)).isEqualTo(once);
        FileTree again = hostTree(null);
        step.apply(again, deb());
        assertThat(snapshot(again)).isEqualTo(once);
    }

    @Test
    void staleLinks_areReplacedAndOtherFilesKept() throws Exception {
        FileTree tree = new FileTree();
        dir(tree, "usr/share/ca-certificates/mozilla", 0755, "ca-certificates");
        file(tree, "etc/ca-certificates.conf", "", "");
        link(tree, "etc/ssl/certs/Old.pem", "/usr/share/ca-certificates/mozilla/Old.crt", "");
        link(tree, "etc/ssl/certs/deadbeef.0", "Old.pem", "");
        file(tree, "etc/ssl/certs/README", "kept", "other");
        FinalizeContext ctx = deb();
        step.apply(tree, ctx);
        assertThat(tree.under("etc/ssl/certs")).extracting(FileEntry::path).containsExactly("etc/ssl/certs/README");
        assertThat(ctx.report().toResult().warnings()).containsExactly(
                "ca-certificates: no certificate is selected; /etc/ssl/certs/ca-certificates.crt is not written");
        assertThat(ctx.report().toResult().envAdditions()).isEmpty();
    }

    @Test
    void noCaCertificatesPackage_doesNothing() throws Exception {
        FileTree tree = new FileTree();
        dir(tree, "etc", 0755, "");
        step.apply(tree, deb());
        assertThat(tree.size()).isEqualTo(1);
    }

    @Test
    void pemName_followsTheScriptsSedRules() {
        assertThat(CaCertificates.pemName("usr/share/ca-certificates/mozilla/A (b), c.crt")).isEqualTo("A_=b=__c.pem");
        assertThat(CaCertificates.pemName("x/.crt")).isEqualTo(".crt.pem");
    }

    @Test
    void unreadableCertificate_isAWarningNotAFailure() throws Exception {
        FileTree tree = new FileTree();
        file(tree, "usr/share/ca-certificates/mozilla/Bad.crt",
                "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----", "ca-certificates");
        step.apply(tree, deb());
        FinalizeContext ctx = deb();
        step.apply(tree, ctx);
        assertThat(text(tree, "etc/ssl/certs/ca-certificates.crt")).endsWith("-----END CERTIFICATE-----\n");
        assertThat(tree.get("etc/ssl/certs/Bad.pem").orElseThrow().linkTarget()).isEqualTo("/usr/share/ca-certificates/mozilla/Bad.crt");
        assertThat(ctx.report().toResult().warnings()).singleElement().asString().contains("Bad.pem is not a readable certificate");
    }

    // ---- helpers ----

    private static void requireReal() {
        Tools.require("update-ca-certificates", "openssl");
        Assumptions.assumeTrue(Files.isDirectory(SHARE.resolve("mozilla")), "skipped: ca-certificates is not installed");
    }

    private static List<String> hostCerts() throws IOException {
        try (Stream<Path> s = Files.walk(SHARE)) {
            List<String> out = new ArrayList<>(s.filter(p -> p.toString().endsWith(".crt") && Files.isRegularFile(p))
                    .map(p -> SHARE.relativize(p).toString()).toList());
            out.sort((a, b) -> java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            return out;
        }
    }

    private static FileTree hostTree(Path local) {
        FileTree t = new FileTree();
        copyHostDir(t, SHARE, "usr/share/ca-certificates", "ca-certificates");
        dir(t, "etc/ssl/certs", 0755, "ca-certificates");
        if (local != null) copyHostDir(t, local, "usr/local/share/ca-certificates", "");
        return t;
    }

    /**
     * Local certificates that exercise the corners: two subjects that collide (hash .0 and .1), a byte-identical
     * duplicate without its final newline (skipped by rehash, newline added in the bundle), CRLF line ends, a name
     * with spaces and parentheses, a subdirectory, and a file that is not a certificate.
     */
    private static Path localCerts(Path local) throws IOException {
        Files.createDirectories(local.resolve("sub"));
        Path work = Files.createDirectories(local.getParent().resolve("work"));
        byte[] a = cert(work, "a", "/CN=Same Subject");
        Files.write(local.resolve("a.crt"), a);
        Files.write(local.resolve("sub/b.crt"), cert(work, "b", "/CN=same   subject"));
        Files.write(local.resolve("c.crt"), java.util.Arrays.copyOf(a, a.length - 1));
        Files.writeString(local.resolve("My CA (test), v1.crt"),
                new String(cert(work, "d", "/O=Test/CN=Local"), StandardCharsets.US_ASCII).replace("\n", "\r\n"));
        Files.writeString(local.resolve("notes.txt"), "not a certificate\n");
        return local;
    }

    private static byte[] cert(Path work, String name, String subject) throws IOException {
        Path cnf = work.resolve("req.cnf");
        Files.writeString(cnf, "[req]\ndistinguished_name=dn\n[dn]\n");
        Tools.ok(work, "openssl", "req", "-x509", "-config", cnf.toString(), "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", subject,
                "-keyout", name + ".key", "-out", name + ".crt");
        return Files.readAllBytes(work.resolve(name + ".crt"));
    }

    /** Runs the real script into DIR/etc with the given conf; returns that directory. */
    private static Path runReal(Path dir, String conf, Path local, boolean useDefault) throws IOException {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path confFile = Files.writeString(dir.resolve("ca-certificates.conf"), conf);
        List<String> cmd = new ArrayList<>(List.of("update-ca-certificates", "--certsconf", confFile.toString(),
                "--certsdir", SHARE.toString(), "--localcertsdir", local.toString(), "--etccertsdir", etc.toString(),
                "--hooksdir", dir.resolve("no-hooks").toString()));
        if (useDefault) cmd.add("--default");
        Tools.run(dir, Map.of("LC_ALL", "C", "TMPDIR", tmp.toString()), cmd).orFail(cmd);
        return etc;
    }

    /** Same names, same link targets (local certificate paths mapped), same bundle bytes. */
    private static void assertSameCertsDir(FileTree tree, Path etc, Path local) throws IOException {
        Map<String, String> real = new TreeMap<>();
        try (Stream<Path> s = Files.list(etc)) {
            for (Path p : s.toList()) {
                String v = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p).toString()
                        .replace(local.toString(), "/usr/local/share/ca-certificates") : "file";
                real.put(p.getFileName().toString(), v);
            }
        }
        Map<String, String> ours = new TreeMap<>();
        for (FileEntry e : tree.under("etc/ssl/certs")) {
            ours.put(e.path().substring("etc/ssl/certs/".length()), e.type() == EntryType.SYMLINK ? "-> " + e.linkTarget() : "file");
        }
        assertThat(ours).isEqualTo(real);
        assertThat(ours.keySet()).anyMatch(n -> n.endsWith(".1"));
        byte[] bundle = tree.get("etc/ssl/certs/ca-certificates.crt").orElseThrow().content();
        assertThat(bundle).isEqualTo(Files.readAllBytes(etc.resolve("ca-certificates.crt")));
    }
}
