package dev.kolibri.repo;

import dev.kolibri.testing.FixtureRepo;
import dev.kolibri.testing.GpgFixture;
import dev.kolibri.oci.Digest;
import dev.kolibri.pkg.Package;
import dev.kolibri.testing.DebBuilder;
import dev.kolibri.testing.StaticHttpServer;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DebRepositoryTest {
    static GpgFixture key;
    static GpgFixture otherKey;
    final MetadataClient client = new HttpMetadataClient(Duration.ofSeconds(5), 1, Duration.ofMillis(10), Duration.ofSeconds(30));

    @BeforeAll
    static void keys() throws Exception {
        Tools.require("gpg", "dpkg-deb", "apt-ftparchive");
        key = GpgFixture.create("ed25519");
        otherKey = GpgFixture.create("ed25519");
    }

    @AfterAll
    static void stop() {
        if (key != null) key.close();
        if (otherKey != null) otherKey.close();
    }

    static FixtureRepo repo(Path dir) {
        return new FixtureRepo(dir, "stable", "kolibri")
                .add("main", DebBuilder.deb("hello", "2.10-3", "amd64").field("Depends", "libc6 (>= 2.34)").file("/usr/bin/hello", "hi"))
                .add("main", DebBuilder.deb("data", "1.0", "all").file("/usr/share/data", "d"))
                .add("main", DebBuilder.deb("armonly", "1.0", "arm64").file("/x", "x"))
                .add("extra", DebBuilder.deb("tool", "1:3.0", "amd64").field("Multi-Arch", "allowed").file("/usr/bin/tool", "t"));
    }

    private DebSource source(StaticHttpServer s, String suite, List<String> comps, Keyring k) {
        return new DebSource(s.base(), suite, comps, k);
    }

    @Test
    void signedInRelease_binaryKeyring_multipleComponents(@TempDir Path dir) throws Exception {
        FixtureRepo r = repo(dir);
        r.build();
        r.signInRelease(key);
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            RepoSnapshot snap = DebRepository.load(source(s, "stable", List.of("main", "extra"), key.keyring()), "amd64", client);
            assertThat(snap.id()).isEqualTo(s.base() + " stable");
            assertThat(snap.releaseDigest()).isEqualTo(Digest.sha256(r.dists().resolve("InRelease")));
            assertThat(snap.packages()).extracting(Package::name).containsExactlyInAnyOrder("hello", "data", "tool");
            Package hello = snap.packages().stream().filter(p -> p.name().equals("hello")).findFirst().orElseThrow();
            assertThat(hello.repository()).isEqualTo(snap.id());
            assertThat(hello.location()).isEqualTo(s.base() + "pool/main/hello_2.10-3_amd64.deb");
            assertThat(hello.sha256()).isEqualTo(Digest.sha256(dir.resolve("pool/main/hello_2.10-3_amd64.deb")).hex());
            assertThat(s.requests()).contains("dists/stable/main/binary-amd64/Packages.xz", "dists/stable/extra/binary-amd64/Packages.xz")
                    .doesNotContain("dists/stable/Release", "dists/stable/main/binary-amd64/Packages.gz");
        }
    }

    @Test
    void codenameWorksAsSuite_armoredKeyring(@TempDir Path dir) throws Exception {
        FixtureRepo r = new FixtureRepo(dir, "kolibri", "kolibri").add("main", DebBuilder.deb("a", "1", "all").file("/a", "a"));
        r.build();
        r.signInRelease(key);
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            Keyring armored = Keyring.of(key.publicArmored(), "armored");
            assertThat(DebRepository.load(source(s, "kolibri", List.of("main"), armored), "amd64", client).packages()).hasSize(1);
        }
    }

    @Test
    void releaseWithDetachedSignature(@TempDir Path dir) throws Exception {
        FixtureRepo r = repo(dir);
        r.build();
        r.signDetached(key);
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            RepoSnapshot snap = DebRepository.load(source(s, "stable", List.of("main"), key.keyring()), "amd64", client);
            assertThat(snap.packages()).extracting(Package::name).containsExactlyInAnyOrder("hello", "data");
            assertThat(snap.releaseDigest()).isEqualTo(Digest.sha256(r.dists().resolve("Release")));
            assertThat(s.requests()).contains("dists/stable/InRelease", "dists/stable/Release", "dists/stable/Release.gpg");
        }
    }

    @Test
    void unsignedRepository_isRefused(@TempDir Path dir) throws Exception {
        repo(dir).build();
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            assertThatThrownBy(() -> DebRepository.load(source(s, "stable", List.of("main"), key.keyring()), "amd64", client))
                    .isInstanceOf(RepositoryException.class)
                    .hasMessage("unsigned repository metadata refused: " + s.base() + "dists/stable/Release has no InRelease and no Release.gpg signature");
        }
    }

    @Test
    void signedByAnotherKey_isRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        FixtureRepo r = repo(dir);
        r.build();
        r.signInRelease(otherKey);
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            assertThatThrownBy(() -> DebRepository.load(source(s, "stable", List.of("main"), key.keyring()), "amd64", client))
                    .hasMessageStartingWith(s.base() + "dists/stable/InRelease: signed by unknown key " + otherKey.fingerprint);
        }
    }

    @Test
    void tamperedInRelease_isRefused(@TempDir Path dir) throws Exception {
        FixtureRepo r = repo(dir);
        r.build();
        r.signInRelease(key);
        Path ir = r.dists().resolve("InRelease");
        Files.writeString(ir, Files.readString(ir).replace("Origin: Kolibri", "Origin: Kolibrj"));
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            assertThatThrownBy(() -> DebRepository.load(source(s, "stable", List.of("main"), key.keyring()), "amd64", client))
                    .hasMessageContaining("InRelease: bad signature by key " + key.fingerprint);
        }
    }

    @Test
    void indexNotMatchingRelease_isRefusedNamingBothDigests(@TempDir Path dir) throws Exception {
        FixtureRepo r = repo(dir);
        r.build();
        r.signInRelease(key);
        Path xz = r.dists().resolve("main/binary-amd64/Packages.xz");
        String signedHex = Digest.sha256(xz).hex();
        byte[] other = Files.readAllBytes(xz);
        other[other.length / 2] ^= 0x55;
        Files.write(xz, other);
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            assertThatThrownBy(() -> DebRepository.load(source(s, "stable", List.of("main"), key.keyring()), "amd64", client))
                    .hasMessage("main/binary-amd64/Packages.xz from " + s.base() + "dists/stable/main/binary-amd64/Packages.xz has sha256 "
                            + Digest.sha256(other).hex() + ", the signed Release says " + signedHex + ": refused");
        }
    }

    @Test
    void byHash_isUsedWhenAdvertised_andFallsBackToThePlainPath(@TempDir Path dir) throws Exception {
        FixtureRepo r = repo(dir).byHash();
        r.build();
        r.signInRelease(key);
        Path xz = r.dists().resolve("main/binary-amd64/Packages.xz");
        String hex = Digest.sha256(xz).hex();
        Files.delete(xz); // only the by-hash copy is left
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            RepoSnapshot snap = DebRepository.load(source(s, "stable", List.of("main", "extra"), key.keyring()), "amd64", client);
            assertThat(snap.packages()).hasSize(3);
            assertThat(s.requests()).contains("dists/stable/main/binary-amd64/by-hash/SHA256/" + hex)
                    .doesNotContain("dists/stable/main/binary-amd64/Packages.xz");
        }
        // a mirror that lacks the by-hash file: the plain path is used
        Files.delete(r.dists().resolve("main/binary-amd64/by-hash/SHA256/" + hex));
        Tools.ok(r.dists().resolve("main/binary-amd64"), "xz", "-k", "-f", "Packages");
        assertThat(Digest.sha256(xz).hex()).isEqualTo(hex);
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            assertThat(DebRepository.load(source(s, "stable", List.of("main"), key.keyring()), "amd64", client).packages()).hasSize(2);
            assertThat(s.requests()).contains("dists/stable/main/binary-amd64/Packages.xz");
        }
    }

    @Test
    void gzipAndPlainIndexes(@TempDir Path dir) throws Exception {
        FixtureRepo gz = repo(dir.resolve("gz")).compressions("gz");
        gz.build();
        gz.signInRelease(key);
        FixtureRepo plain = repo(dir.resolve("plain")).compressions();
        plain.build();
        plain.signInRelease(key);
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            DebSource g = new DebSource(s.base().resolve("gz/"), "stable", List.of("main"), key.keyring());
            assertThat(DebRepository.load(g, "amd64", client).packages()).hasSize(2);
            DebSource p = new DebSource(s.base().resolve("plain/"), "stable", List.of("main"), key.keyring());
            assertThat(DebRepository.load(p, "amd64", client).packages()).hasSize(2);
            assertThat(s.requests()).contains("gz/dists/stable/main/binary-amd64/Packages.gz", "plain/dists/stable/main/binary-amd64/Packages");
        }
    }

    @Test
    void fileUriRepository(@TempDir Path dir) throws Exception {
        FixtureRepo r = repo(dir);
        r.build();
        r.signInRelease(key);
        RepoSnapshot snap = DebRepository.load(new DebSource(dir.toUri(), "stable", List.of("main"), key.keyring()), "amd64", client);
        assertThat(snap.packages()).hasSize(2);
        assertThat(snap.packages().get(0).location()).startsWith("file:");
    }

    @Test
    void wrongSuiteMissingComponentAndExpiry(@TempDir Path dir) throws Exception {
        FixtureRepo r = new FixtureRepo(dir, "stable", "kolibri").releaseField("Valid-Until: Sat, 01 Jan 2000 00:00:00 UTC")
                .add("main", DebBuilder.deb("a", "1", "all").file("/a", "a"));
        r.build();
        r.signInRelease(key);
        // a mirror serving another suite's Release under this name
        Path wrong = Files.createDirectories(dir.resolve("dists/testing"));
        Files.copy(r.dists().resolve("InRelease"), wrong.resolve("InRelease"));
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            assertThatThrownBy(() -> DebRepository.load(source(s, "stable", List.of("main"), key.keyring()), "amd64", client))
                    .hasMessageContaining("dists/stable/InRelease expired on 2000-01-01T00:00:00Z (Valid-Until)");
            assertThat(DebRepository.load(source(s, "stable", List.of("main"), key.keyring()), "amd64", client, true).packages()).hasSize(1);
            assertThatThrownBy(() -> DebRepository.load(source(s, "testing", List.of("main"), key.keyring()), "amd64", client, true))
                    .hasMessageContaining("is for suite 'stable' (codename 'kolibri'), not 'testing'");
            assertThatThrownBy(() -> DebRepository.load(source(s, "stable", List.of("contrib"), key.keyring()), "amd64", client, true))
                    .hasMessageContaining("lists no contrib/binary-amd64/Packages");
            assertThatThrownBy(() -> DebRepository.load(source(s, "sid", List.of("main"), key.keyring()), "amd64", client, true))
                    .hasMessageContaining("no repository metadata for suite 'sid'");
        }
    }
}
