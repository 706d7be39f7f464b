package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** RPM's ca-trust extraction, checked against the real {@code p11-kit extract} on a hand-made trust source. */
class RpmCaTrustTest {
    private static final String SHARE = "usr/share/pki/ca-trust-source";
    private static final String ETC = "etc/pki/ca-trust/source";
    private static final String BUNDLE = "etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem";
    private static final String JAVA = "etc/pki/ca-trust/extracted/java/cacerts";
    private static final byte[] OID_EKU = HexFormat.of().parseHex("0603551d25");
    private static final byte[] OID_SERVER = HexFormat.of().parseHex("06082b06010505070301");
    private static final byte[] OID_EMAIL = HexFormat.of().parseHex("06082b06010505070304");
    private final RpmCaTrust step = new RpmCaTrust();

    private static FinalizeContext rpm() {
        return FinalizeContext.of("rpm", EPOCH);
    }

    /** The first {@code n} certificates of this machine's /usr/share/ca-certificates, in name order. */
    static List<X509> hostCerts(int n) throws IOException {
        Path share = Path.of("/usr/share/ca-certificates/mozilla");
        assumeTrue(Files.isDirectory(share), "skipped: no /usr/share/ca-certificates (install ca-certificates)");
        try (Stream<Path> s = Files.list(share)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".crt")).sorted().toList();
            assumeTrue(files.size() >= n, "skipped: fewer than " + n + " host certificates");
            List<X509> out = new ArrayList<>();
            for (Path p : files.subList(0, n)) out.add(X509.parse(Pem.read(Files.readAllBytes(p)).certificates().get(0)));
            return out;
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String percent(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : b) sb.append('%').append(String.format("%02x", x & 0xff));
        return sb.append('"').toString();
    }

    private static String label(X509 c) {
        return c.displayName().orElseThrow();
    }

    private static String object(X509 c, String... attrs) {
        return "[p11-kit-object-v1]\nlabel: " + percent(label(c).getBytes(StandardCharsets.UTF_8)) + "\n"
                + String.join("\n", attrs) + (attrs.length > 0 ? "\n" : "") + pem("CERTIFICATE", c.der()) + "\n";
    }

    /** A stapled extended key usage extension for {@code c}'s public key, as Fedora's bundle has them. */
    private static String stapledEku(X509 c, byte[]... purposes) {
        java.io.ByteArrayOutputStream seq = new java.io.ByteArrayOutputStream();
        for (byte[] p : purposes) seq.writeBytes(p);
        byte[] value = Der.encode(0x04, Der.encode(0x30, seq.toByteArray()));
        java.io.ByteArrayOutputStream ext = new java.io.ByteArrayOutputStream();
        ext.writeBytes(OID_EKU);
        ext.writeBytes(value);
        return "[p11-kit-object-v1]\nlabel: \"" + label(c).replace("\"", "") + "\"\nclass: x-certificate-extension\n"
                + "object-id: 2.5.29.37\nvalue: " + percent(Der.encode(0x30, ext.toByteArray())) + "\nmodifiable: false\n"
                + pem("PUBLIC KEY", c.publicKeyInfo()) + "\n";
    }

    /** A self-signed end-entity certificate (CA:FALSE), made by openssl. */
    private static X509 leaf(Path dir) throws IOException {
        Tools.require("openssl");
        Tools.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=Kolibri Test Leaf", "-addext", "basicConstraints=critical,CA:FALSE", "-days", "3650",
                "-keyout", "leaf.key", "-out", "leaf.pem");
        return X509.parse(Pem.read(Files.readAllBytes(dir.resolve("leaf.pem"))).certificates().get(0));
    }

    /** What each certificate of the fixture is for. */
    record Fixture(FileTree tree, List<X509> kept, List<X509> dropped) {}

    static Fixture fedoraLike(Path dir) throws IOException {
        List<X509> c = hostCerts(11);
        X509 leaf = leaf(dir);
        StringBuilder p11 = new StringBuilder("# This is a bundle of X.509 certificates of public Certificate Authorities\n\n");
        p11.append(object(c.get(0), "trusted: true", "nss-mozilla-ca-policy: true", "modifiable: false"));
        p11.append(object(c.get(1), "trusted: true", "certificate-category: authority",
                "nss-server-distrust-after: \"%32%30%32%30%30%36%33%30%30%30%30%30%30%30%5A\""));
        p11.append(object(c.get(2), "trusted: true"));
        p11.append(object(c.get(3), "trusted: true"));
        p11.append(object(c.get(3), "x-distrusted: true"));                       // distrust wins
        p11.append(object(c.get(4), "x-distrusted: true"));                       // only distrusted
        p11.append(object(c.get(5), "trusted: true")).append(stapledEku(c.get(5), OID_EMAIL)); // email only
        p11.append(object(c.get(6), "trusted: true")).append(stapledEku(c.get(6), OID_EMAIL, OID_SERVER));
        p11.append(object(c.get(7), "trusted: false"));
        p11.append(object(leaf, "trusted: true"));                                // not a CA
        p11.append(object(c.get(10), "trusted: true"));                           // blocklisted below
        FileTree t = new FileTree();
        file(t, SHARE + "/ca-bundle.trust.p11-kit", p11.toString(), "ca-certificates");
        dir(t, SHARE + "/blocklist", 0755, "ca-certificates");
        file(t, SHARE + "/anchors/extra.pem", pem("CERTIFICATE", c.get(8).der()), "site-ca");
        file(t, ETC + "/anchors/local.crt", pem("CERTIFICATE", c.get(9).der()), "");
        file(t, ETC + "/blocklist/bad.crt", pem("CERTIFICATE", c.get(10).der()), "");
        dir(t, "etc/pki/ca-trust/extracted/pem", 0755, "ca-certificates");
        dir(t, "etc/pki/ca-trust/extracted/java", 0755, "ca-certificates");
        link(t, "etc/pki/tls/certs/ca-bundle.crt", "/" + BUNDLE, "ca-certificates");
        link(t, "etc/ssl/certs", "../pki/tls/certs", "ca-certificates");
        return new Fixture(t, List.of(c.get(0), c.get(1), c.get(2), c.get(6), c.get(8), c.get(9)),
                List.of(c.get(3), c.get(4), c.get(5), c.get(7), leaf, c.get(10)));
    }

    private static Set<String> hex(List<byte[]> ders) {
        return ders.stream().map(HexFormat.of()::formatHex).collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code # label} and certificate of each entry of a p11-kit style bundle. */
    private static Set<String> labelled(String bundle) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("# (.*)\\n(-----BEGIN CERTIFICATE-----\\n[^-]*-----END CERTIFICATE-----\\n)").matcher(bundle);
        while (m.find()) out.add(m.group(1) + " " + HexFormat.of().formatHex(Pem.read(m.group(2).getBytes(StandardCharsets.US_ASCII)).certificates().get(0)));
        return out;
    }

    @Test
    void extractsTrustedServerAuthCas_inSourceOrder() throws Exception {
        Fixture f = fedoraLike(Files.createTempDirectory("leaf"));
        FinalizeContext ctx = rpm();
        step.apply(f.tree(), ctx);
        List<byte[]> got = Pem.read(f.tree().get(BUNDLE).orElseThrow().content()).certificates();
        // /etc's anchors come first, then /usr/share's p11-kit file, then its anchors.
        List<byte[]> expected = List.of(f.kept().get(5).der(), f.kept().get(0).der(), f.kept().get(1).der(),
                f.kept().get(2).der(), f.kept().get(3).der(), f.kept().get(4).der());
        assertThat(got).hasSize(6);
        for (int i = 0; i < 6; i++) assertThat(got.get(i)).as("entry " + i).isEqualTo(expected.get(i));
        assertThat(hex(got)).doesNotContainAnyElementsOf(hex(f.dropped().stream().map(X509::der).toList()));
        String text = new String(f.tree().get(BUNDLE).orElseThrow().content(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("# " + label(f.kept().get(5)) + "\n-----BEGIN CERTIFICATE-----\n");
        assertThat(f.tree().get(BUNDLE).orElseThrow().mode()).isEqualTo(0444);

        KeyStore ks = JksWriterTest.load(f.tree().get(JAVA).orElseThrow().content(), "changeit");
        List<byte[]> inStore = new ArrayList<>();
        for (String a : Collections.list(ks.aliases())) inStore.add(ks.getCertificate(a).getEncoded());
        assertThat(hex(inStore)).isEqualTo(hex(got));
        assertThat(ctx.report().toResult().envAdditions()).containsEntry("SSL_CERT_FILE", "/etc/pki/tls/certs/ca-bundle.crt");
        assertThat(f.tree().resolve("etc/ssl/certs/ca-bundle.crt")).contains(BUNDLE);
        assertThat(ctx.report().toResult().warnings()).isEmpty();
    }

    @Test
    void sameCertificatesAndLabelsAsP11KitExtract() throws Exception {
        Tools.require("p11-kit", "setpriv");
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-trust.so"))
                        || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/pkcs11/p11-kit-trust.so")),
                "skipped: p11-kit-modules is not installed (run .ci/install-deps)");
        Path dir = Files.createTempDirectory("p11kit-oracle");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Fixture f = fedoraLike(dir);
            Path etc = dir.resolve("etc-source");
            Path share = dir.resolve("share-source");
            materialize(f.tree(), ETC, etc);
            materialize(f.tree(), SHARE, share);
            Path out = dir.resolve("out");
            Files.createDirectories(out);
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path home = dir.resolve("home");
            Files.createDirectories(home.resolve(".config/pkcs11/modules"));
            Files.writeString(home.resolve(".config/pkcs11/modules/p11-kit-trust.module"),
                    "module: p11-kit-trust.so\nx-init-reserved: paths=" + etc + ":" + share + "\n");
            materialize(new FileTree(), "none", home); // makes the config readable for uid 65534 whatever the umask
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
            p11kit(dir, home, "--format=pem-bundle", "--comment", out.resolve("tls-ca-bundle.pem"));
            p11kit(dir, home, "--format=java-cacerts", null, out.resolve("cacerts"));

            step.apply(f.tree(), rpm());
            String ours = new String(f.tree().get(BUNDLE).orElseThrow().content(), StandardCharsets.UTF_8);
            String theirs = Files.readString(out.resolve("tls-ca-bundle.pem"));
            assertThat(labelled(ours)).hasSize(6).isEqualTo(labelled(theirs));

            KeyStore real = KeyStore.getInstance("JKS");
            real.load(new java.io.ByteArrayInputStream(Files.readAllBytes(out.resolve("cacerts"))), "changeit".toCharArray());
            KeyStore mine = JksWriterTest.load(f.tree().get(JAVA).orElseThrow().content(), "changeit");
            assertThat(new TreeSet<>(Collections.list(mine.aliases()))).isEqualTo(new TreeSet<>(Collections.list(real.aliases())));
            for (String a : Collections.list(real.aliases())) {
                assertThat(mine.getCertificate(a).getEncoded()).as(a).isEqualTo(real.getCertificate(a).getEncoded());
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** Runs {@code p11-kit extract} with the module config in {@code home}; as root, p11-kit ignores user config, so drop to nobody. */
    private static void p11kit(Path dir, Path home, String format, String extra, Path dest) {
        List<String> cmd = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) cmd.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        cmd.addAll(List.of("env", "HOME=" + home, "p11-kit", "extract", format, "--filter=ca-anchors", "--purpose=server-auth", "--overwrite"));
        if (extra != null) cmd.add(extra);
        cmd.add(dest.toString());
        Tools.run(dir, Map.of(), cmd).orFail(cmd);
    }

    private static void materialize(FileTree t, String treeDir, Path host) throws IOException {
        Files.createDirectories(host);
        for (FileEntry e : t.under(treeDir)) {
            Path p = host.resolve(e.path().substring(treeDir.length() + 1));
            if (e.type() == EntryType.DIRECTORY) Files.createDirectories(p);
            else if (e.type() == EntryType.FILE) {
                Files.createDirectories(p.getParent());
                Files.write(p, e.content());
            }
        }
        try (Stream<Path> s = Files.walk(host)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    @Test
    void twoRuns_areByteIdentical_andIdempotent(@TempDir Path dir) throws Exception {
        Fixture f = fedoraLike(dir);
        step.apply(f.tree(), rpm());
        List<FileEntry> once = snapshot(f.tree());
        step.apply(f.tree(), rpm());
        assertThat(snapshot(f.tree())).isEqualTo(once);
    }

    @Test
    void missingCaBundleLink_isCreated(@TempDir Path dir) throws Exception {
        Fixture f = fedoraLike(dir);
        f.tree().remove("etc/pki/tls/certs/ca-bundle.crt");
        step.apply(f.tree(), rpm());
        FileEntry l = f.tree().get("etc/pki/tls/certs/ca-bundle.crt").orElseThrow();
        assertThat(l.type()).isEqualTo(EntryType.SYMLINK);
        assertThat(l.linkTarget()).isEqualTo("/" + BUNDLE);
        assertThat(l.owner()).isEmpty();
    }

    @Test
    void caBundleAsAnotherFile_warnsAndPointsTheEnvironmentAtTheBundle(@TempDir Path dir) throws Exception {
        Fixture f = fedoraLike(dir);
        f.tree().remove("etc/pki/tls/certs/ca-bundle.crt");
        file(f.tree(), "etc/pki/tls/certs/ca-bundle.crt", "old\n", "legacy");
        FinalizeContext ctx = rpm();
        step.apply(f.tree(), ctx);
        assertThat(text(f.tree(), "etc/pki/tls/certs/ca-bundle.crt")).isEqualTo("old\n");
        assertThat(ctx.report().toResult().envAdditions()).containsEntry("SSL_CERT_FILE", "/" + BUNDLE);
        assertThat(ctx.report().toResult().warnings()).singleElement().asString().contains("does not lead to");
    }

    @Test
    void noTrustSource_isANoOp() throws Exception {
        FileTree t = new FileTree();
        dir(t, "etc/pki/tls/certs", 0755, "openssl-libs");
        List<FileEntry> before = snapshot(t);
        FinalizeContext ctx = rpm();
        step.apply(t, ctx);
        assertThat(snapshot(t)).isEqualTo(before);
        assertThat(ctx.report().toResult().envAdditions()).isEmpty();
    }

    @Test
    void nothingTrusted_warnsAndWritesNoBundle() throws Exception {
        FileTree t = new FileTree();
        file(t, SHARE + "/ca-bundle.trust.p11-kit", "[p11-kit-object-v1]\nx-distrusted: true\n"
                + pem("CERTIFICATE", JksWriterTest.sampleCert()), "ca-certificates");
        FinalizeContext ctx = rpm();
        step.apply(t, ctx);
        assertThat(t.contains(BUNDLE)).isFalse();
        assertThat(ctx.report().toResult().warnings()).singleElement().asString().startsWith("ca-trust: no trusted server-auth CA");
    }

    @Test
    void corruptTrustFile_failsNamingTheFileAndLine() {
        FileTree t = new FileTree();
        file(t, SHARE + "/ca-bundle.trust.p11-kit", "[p11-kit-object-v1]\ntrusted: true\nthis is not an attribute\n", "ca-certificates");
        assertThatThrownBy(() -> step.apply(t, rpm())).isInstanceOf(FinalizeException.class)
                .hasMessageStartingWith("ca-trust: /" + SHARE + "/ca-bundle.trust.p11-kit is not a valid p11-kit trust file (line 3:");
        FileTree t2 = new FileTree();
        file(t2, SHARE + "/x.p11-kit", "[p11-kit-object-v1]\n-----BEGIN CERTIFICATE-----\nAAAA\n", "ca-certificates");
        assertThatThrownBy(() -> step.apply(t2, rpm())).isInstanceOf(FinalizeException.class).hasMessageContaining("has no END line");
        FileTree t3 = new FileTree();
        file(t3, SHARE + "/x.p11-kit", "[p11-kit-object-v1]\nlabel: \"bad %zz\"\n", "ca-certificates");
        assertThatThrownBy(() -> step.apply(t3, rpm())).isInstanceOf(FinalizeException.class).hasMessageContaining("%-escape");
    }

    @Test
    void unreadableCertificate_isAWarning() throws Exception {
        FileTree t = new FileTree();
        file(t, SHARE + "/anchors/junk.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "x");
        file(t, SHARE + "/anchors/ok.pem", pem("CERTIFICATE", JksWriterTest.sampleCert()), "x");
        FinalizeContext ctx = rpm();
        step.apply(t, ctx);
        assertThat(Pem.read(t.get(BUNDLE).orElseThrow().content()).certificates()).hasSize(1);
        assertThat(ctx.report().toResult().warnings()).singleElement().asString().contains("/" + SHARE + "/anchors/junk.pem");
    }

    @Test
    void javaAlias_isTheLabelsPrintableAsciiInLowerCase() {
        assertThat(RpmCaTrust.javaAlias("NetLock Arany (Class Gold) Főtanúsítvány")).isEqualTo("netlockarany(classgold)ftanstvny");
        assertThat(RpmCaTrust.javaAlias("Entrust.net Certification Authority (2048)")).isEqualTo("entrust.netcertificationauthority(2048)");
        assertThat(RpmCaTrust.javaAlias("   ")).isEqualTo("certificate");
    }
}
