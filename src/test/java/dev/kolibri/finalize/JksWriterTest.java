package dev.kolibri.finalize;

import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JksWriterTest {
    private static final long CREATED = Fixtures.EPOCH * 1000;

    /** Every certificate under /usr/share/ca-certificates, aliased by file name. */
    static Map<String, byte[]> hostCertificates() throws IOException {
        Path share = Path.of("/usr/share/ca-certificates");
        assumeTrue(Files.isDirectory(share), "skipped: no /usr/share/ca-certificates (install ca-certificates)");
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(share)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".crt")).sorted().toList()) {
                out.put("debian:" + p.getFileName().toString().toLowerCase(), Pem.read(Files.readAllBytes(p)).certificates().get(0));
            }
        }
        assumeTrue(!out.isEmpty(), "skipped: no certificates on this machine");
        return out;
    }

    static KeyStore load(byte[] jks, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("JKS");
        ks.load(new ByteArrayInputStream(jks), password.toCharArray());
        return ks;
    }

    @Test
    void jdkLoadsIt_withIntegrityCheck_andEveryCertificate() throws Exception {
        Map<String, byte[]> certs = hostCertificates();
        byte[] jks = JksWriter.trustStore(certs, CREATED);
        KeyStore ks = load(jks, "changeit");
        assertThat(ks.getType()).isEqualTo("JKS");
        assertThat(Collections.list(ks.aliases())).containsExactlyInAnyOrderElementsOf(certs.keySet());
        for (Map.Entry<String, byte[]> e : certs.entrySet()) {
            assertThat(ks.isCertificateEntry(e.getKey())).isTrue();
            assertThat(ks.getCertificate(e.getKey()).getEncoded()).isEqualTo(e.getValue());
            assertThat(ks.getCreationDate(e.getKey()).getTime()).isEqualTo(CREATED);
        }
    }

    @Test
    void wrongPassword_failsTheIntegrityCheck() {
        byte[] jks = JksWriter.trustStore(Map.of("a", sampleCert()), "changeit", CREATED);
        assertThatThrownBy(() -> load(jks, "not-it")).isInstanceOf(IOException.class).hasMessageContaining("password");
    }

    @Test
    void corruptedByte_failsTheIntegrityCheck() {
        byte[] jks = JksWriter.trustStore(Map.of("a", sampleCert()), CREATED);
        jks[20] ^= 1;
        assertThatThrownBy(() -> load(jks, "changeit")).isInstanceOf(IOException.class);
    }

    @Test
    void keytoolListsTheSameCount(@TempDir Path dir) throws Exception {
        Map<String, byte[]> certs = hostCertificates();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        assumeTrue(Files.isExecutable(keytool), "skipped: no keytool in " + keytool.getParent());
        Path f = dir.resolve("cacerts");
        Files.write(f, JksWriter.trustStore(certs, CREATED));
        Tools.Result r = Tools.ok(dir, keytool.toString(), "-list", "-keystore", f.toString(), "-storepass", "changeit");
        assertThat(r.out()).contains("Keystore type: JKS").contains("Your keystore contains " + certs.size() + " entries");
        assertThat(r.out().lines().filter(l -> l.contains("trustedCertEntry")).count()).isEqualTo(certs.size());
    }

    @Test
    void twoWrites_areByteIdentical_whateverTheInsertionOrder() throws Exception {
        Map<String, byte[]> certs = hostCertificates();
        List<String> reversed = new ArrayList<>(certs.keySet());
        Collections.reverse(reversed);
        Map<String, byte[]> other = new LinkedHashMap<>();
        for (String a : reversed) other.put(a, certs.get(a));
        assertThat(JksWriter.trustStore(other, CREATED)).isEqualTo(JksWriter.trustStore(certs, CREATED));
    }

    @Test
    void sameContentAsTheJdkWould_exceptOrderAndDates() throws Exception {
        // The JDK re-storing our file keeps entries and certificates: nothing we wrote is lost in its reading.
        Map<String, byte[]> certs = Map.of("b", sampleCert(), "a", sampleCert());
        KeyStore ks = load(JksWriter.trustStore(certs, CREATED), "changeit");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ks.store(out, "changeit".toCharArray());
        KeyStore again = load(out.toByteArray(), "changeit");
        for (String a : List.of("a", "b")) {
            Certificate c = again.getCertificate(a);
            assertThat(c.getEncoded()).isEqualTo(sampleCert());
        }
        assertThat(out.size()).isEqualTo(JksWriter.trustStore(certs, CREATED).length);
    }

    @Test
    void upperCaseOrEmptyAlias_isRejected() {
        assertThatThrownBy(() -> JksWriter.trustStore(Map.of("Debian:X", sampleCert()), CREATED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower case");
        assertThatThrownBy(() -> JksWriter.trustStore(Map.of("", sampleCert()), CREATED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyStore_isValid() throws Exception {
        assertThat(load(JksWriter.trustStore(Map.of(), CREATED), "changeit").size()).isZero();
    }

    @Test
    void unique_appendsCounters() {
        Map<String, byte[]> taken = new TreeMap<>(Map.of("globalsign", new byte[0], "globalsign-1", new byte[0]));
        assertThat(JksWriter.unique(taken, "GlobalSign")).isEqualTo("globalsign-2");
        assertThat(JksWriter.unique(taken, "Other")).isEqualTo("other");
    }

    /** A real certificate (ISRG Root X1 if the machine has it, else any host certificate). */
    static byte[] sampleCert() {
        try {
            Path isrg = Path.of("/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt");
            if (Files.isRegularFile(isrg)) return Pem.read(Files.readAllBytes(isrg)).certificates().get(0);
            return hostCertificates().values().iterator().next();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
