package dev.kolibri.finalize;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JavaCacertsTest {
    private static final Path SHARE = Path.of("/usr/share/ca-certificates");
    private static final String JRE_LINK = "usr/lib/jvm/java-17-openjdk-amd64/lib/security/cacerts";

    private static FileTree treeWithCerts() {
        assumeTrue(Files.isDirectory(SHARE.resolve("mozilla")), "skipped: no /usr/share/ca-certificates (install ca-certificates)");
        FileTree t = new FileTree();
        copyHostDir(t, SHARE, "usr/share/ca-certificates", "ca-certificates");
        return t;
    }

    private static void jre(FileTree t) {
        link(t, JRE_LINK, "/etc/ssl/certs/java/cacerts", "openjdk-17-jre-headless");
        dir(t, "etc/ssl/certs/java", 0755, "ca-certificates-java");
    }

    private static void run(FileTree t, FinalizeContext ctx) throws FinalizeException {
        new CaCertificates().apply(t, ctx);
        new JavaCacerts().apply(t, ctx);
    }

    private static KeyStore keystore(FileTree t) throws Exception {
        return JksWriterTest.load(t.get("etc/ssl/certs/java/cacerts").orElseThrow().content(), "changeit");
    }

    private static Set<String> hex(List<byte[]> ders) {
        return ders.stream().map(HexFormat.of()::formatHex).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void withJre_writesEveryBundleCertificate_aliasedAsCaCertificatesJava() throws Exception {
        FileTree t = treeWithCerts();
        jre(t);
        FinalizeContext ctx = deb();
        run(t, ctx);
        KeyStore ks = keystore(t);
        List<byte[]> bundle = Pem.read(t.get("etc/ssl/certs/ca-certificates.crt").orElseThrow().content()).certificates();
        assertThat(ks.size()).isEqualTo(bundle.size());
        List<byte[]> inStore = new ArrayList<>();
        for (String a : Collections.list(ks.aliases())) inStore.add(ks.getCertificate(a).getEncoded());
        assertThat(hex(inStore)).isEqualTo(hex(bundle));

        Set<String> pemLinks = t.under("etc/ssl/certs").stream().map(FileEntry::path)
                .filter(p -> p.endsWith(".pem") && p.lastIndexOf('/') == "etc/ssl/certs".length())
                .map(p -> "debian:" + p.substring("etc/ssl/certs/".length()).toLowerCase())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(Collections.list(ks.aliases()))).isEqualTo(pemLinks);
        if (t.contains("etc/ssl/certs/ISRG_Root_X1.pem")) assertThat(ks.containsAlias("debian:isrg_root_x1.pem")).isTrue();
        FileEntry f = t.get("etc/ssl/certs/java/cacerts").orElseThrow();
        assertThat(f.mode()).isEqualTo(0644);
        assertThat(f.mtime()).isEqualTo(EPOCH);
        assertThat(ks.getCreationDate(ks.aliases().nextElement()).getTime()).isEqualTo(EPOCH * 1000);
        assertThat(ctx.report().toResult().warnings()).isEmpty();
    }

    @Test
    void twoRuns_areByteIdentical_andIdempotent() throws Exception {
        FileTree a = treeWithCerts();
        jre(a);
        run(a, deb());
        List<FileEntry> once = snapshot(a);
        run(a, deb());
        assertThat(snapshot(a)).isEqualTo(once);
        FileTree b = treeWithCerts();
        jre(b);
        run(b, deb());
        assertThat(b.get("etc/ssl/certs/java/cacerts").orElseThrow().content())
                .isEqualTo(a.get("etc/ssl/certs/java/cacerts").orElseThrow().content());
    }

    @Test
    void withoutJre_isANoOp() throws Exception {
        FileTree t = treeWithCerts();
        new CaCertificates().apply(t, deb());
        List<FileEntry> before = snapshot(t);
        FinalizeContext ctx = deb();
        new JavaCacerts().apply(t, ctx);
        assertThat(snapshot(t)).isEqualTo(before);
        assertThat(ctx.report().toResult().warnings()).isEmpty();
    }

    @Test
    void caCertificatesJavaInstalled_withoutJreLink_stillWritesTheStore() throws Exception {
        FileTree t = treeWithCerts();
        run(t, deb().withInstalledPackages(Set.of("ca-certificates-java")));
        assertThat(keystore(t).size()).isPositive();
    }

    @Test
    void jreWithoutBundle_warnsAndWritesNothing() throws Exception {
        FileTree t = new FileTree();
        jre(t);
        FinalizeContext ctx = deb();
        run(t, ctx);
        assertThat(t.contains("etc/ssl/certs/java/cacerts")).isFalse();
        assertThat(ctx.report().toResult().warnings()).singleElement().asString()
                .startsWith("java-cacerts: a JRE reads /etc/ssl/certs/java/cacerts, but there is no CA bundle");
    }

    @Test
    void bundleWithoutLinks_putsItsCertificatesInTheStore() throws Exception {
        FileTree t = new FileTree();
        jre(t);
        byte[] cert = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encode(JksWriterTest.sampleCert());
        file(t, "etc/ssl/certs/ca-certificates.crt", "-----BEGIN CERTIFICATE-----\n" + new String(cert) + "\n-----END CERTIFICATE-----\n", "x");
        new JavaCacerts().apply(t, deb());
        KeyStore ks = keystore(t);
        assertThat(Collections.list(ks.aliases())).containsExactly("debian:ca-certificates.crt-1");
        assertThat(ks.getCertificate("debian:ca-certificates.crt-1").getEncoded()).isEqualTo(JksWriterTest.sampleCert());
    }

    @Test
    void unreadableLinkedCertificate_isLeftOutWithAWarning() throws Exception {
        FileTree t = new FileTree();
        jre(t);
        file(t, "usr/share/ca-certificates/local/broken.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "x");
        link(t, "etc/ssl/certs/broken.pem", "/usr/share/ca-certificates/local/broken.crt", "");
        file(t, "etc/ssl/certs/ca-certificates.crt", "", "x");
        FinalizeContext ctx = deb();
        new JavaCacerts().apply(t, ctx);
        assertThat(keystore(t).size()).isZero();
        assertThat(ctx.report().toResult().warnings()).singleElement().asString()
                .startsWith("java-cacerts: /etc/ssl/certs/broken.pem is left out of the Java keystore");
    }

    /** The machine's own keystore, made by the real ca-certificates-java from the same certificates, has the same aliases. */
    @Test
    void aliases_matchTheMachinesRealKeystore() throws Exception {
        Path real = Path.of("/etc/ssl/certs/java/cacerts");
        boolean jdk = Tools.run(null, java.util.Map.of(), List.of("dpkg-query", "-W", "-f=${Status}", "openjdk-17-jre-headless"))
                .out().contains("ok installed");
        assumeTrue(jdk && Files.isRegularFile(real) && Files.isRegularFile(Path.of("/etc/ca-certificates.conf")),
                "skipped: openjdk-17-jre-headless (and its /etc/ssl/certs/java/cacerts) is not installed on this machine");
        FileTree t = treeWithCerts();
        jre(t);
        file(t, "etc/ca-certificates.conf", Files.readString(Path.of("/etc/ca-certificates.conf")), "");
        run(t, deb());
        Set<String> ours = new TreeSet<>(Collections.list(keystore(t).aliases()));

        KeyStore host = KeyStore.getInstance("JKS");
        try (InputStream in = new FileInputStream(real.toFile())) {
            host.load(in, "changeit".toCharArray());
        }
        // Certificates the machine added locally (usr/local/share/ca-certificates, keytool) are not in our tree.
        Set<String> local;
        Path localDir = Path.of("/usr/local/share/ca-certificates");
        try (Stream<Path> s = Files.isDirectory(localDir) ? Files.walk(localDir) : Stream.empty()) {
            local = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".crt"))
                    .map(n -> "debian:" + n.substring(0, n.length() - 4).toLowerCase() + ".pem").collect(Collectors.toSet());
        }
        Set<String> theirs = Collections.list(host.aliases()).stream()
                .filter(a -> a.startsWith("debian:") && !local.contains(a)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(ours).isNotEmpty().isEqualTo(theirs);
        for (String a : ours) {
            assertThat(keystore(t).getCertificate(a).getEncoded()).as(a).isEqualTo(host.getCertificate(a).getEncoded());
        }
    }
}
