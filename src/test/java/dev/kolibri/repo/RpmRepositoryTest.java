package dev.kolibri.repo;

import dev.kolibri.testing.GpgFixture;
import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Op;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.testing.StaticHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.kolibri.testing.Tools;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpmRepositoryTest {
    static GpgFixture key;

    @BeforeAll
    static void keys() throws Exception {
        key = GpgFixture.create("ed25519");
    }

    @AfterAll
    static void stop() {
        if (key != null) key.close();
    }

    static Map<String, Package> byId(RpmSnapshot s) {
        return s.snapshot().packages().stream().collect(Collectors.toMap(Package::id, Function.identity()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gz", "xz", "zst", "bz2"})
    void load_signedRepository_everyCompression(String compression, @TempDir Path dir) throws Exception {
        Path repo = RpmFixture.repo(dir.resolve("repo"), compression);
        RpmFixture.sign(repo, key);
        try (StaticHttpServer http = StaticHttpServer.serve(repo)) {
            RpmSnapshot s = RpmRepository.load(RpmSource.signed(http.base(), key.keyring()), "x86_64", new HttpMetadataClient());
            Map<String, Package> p = byId(s);
            assertThat(s.warnings()).isEmpty();
            assertThat(s.snapshot().id()).isEqualTo(http.base().toString());
            assertThat(p.keySet()).contains("app=1.0-3/noarch", "shell=1.0-3/x86_64", "ep=1:1.0-1/noarch", "ep=2.0-1/noarch",
                    "tl=1.0~rc1-1/noarch", "cr=1.0^git1-1/noarch", "libfoo=1.5-1/x86_64", "libfoo=2.0-1/x86_64");
            assertThat(p.keySet()).noneMatch(id -> id.endsWith("/i686") || id.endsWith("/src"));
            Package app = p.get("app=1.0-3/noarch");
            assertThat(app.sourceName()).isEqualTo("suite");
            assertThat(app.sourceVersion()).isEqualTo("1.0-3");
            assertThat(app.depends()).contains(
                    Requirement.of("/usr/libexec/helpr/run"),
                    Requirement.of("/bin/sh"),
                    new Requirement.AnyOf(List.of(Requirement.of(new Constraint("libfoo", Op.GE, "2.0")), Requirement.of("libbar"))),
                    new Requirement.IfThen(Requirement.of("gui"), Requirement.of("plugin"), null));
            assertThat(app.recommends()).containsExactly(Requirement.of("extra"));
            assertThat(app.conflicts()).containsExactly(Constraint.any("oldlib"));
            assertThat(app.provides()).contains(new Capability("app", "1.0-3"), Capability.of("/etc/app.conf"));
            assertThat(app.location()).isEqualTo(http.base() + "app-1.0-3.noarch.rpm");
            assertThat(app.sha256()).isEqualTo(dev.kolibri.oci.Digest.sha256(repo.resolve("app-1.0-3.noarch.rpm")).hex());
            assertThat(app.size()).isEqualTo(java.nio.file.Files.size(repo.resolve("app-1.0-3.noarch.rpm")));
            assertThat(app.fields()).containsEntry("License", "MIT").containsEntry("URL", "https://kolibri.invalid/suite")
                    .containsEntry("Sourcerpm", "suite-1.0-3.src.rpm").containsKey("Buildtime");
            // primary lists *bin/ files; the helper's /usr/libexec file came from filelists, and only because app needs it
            assertThat(p.get("shell=1.0-3/x86_64").provides()).contains(Capability.of("/bin/sh"), new Capability("sh-compat", "1.0"));
            assertThat(p.get("helper=1.0-3/noarch").provides()).contains(Capability.of("/usr/libexec/helpr/run"));
            assertThat(p.get("libbar=1.0-3/noarch").provides()).doesNotContain(Capability.of("/usr/share/suite/libbar"));
            assertThat(http.requests()).anyMatch(r -> r.contains("filelists"));
            assertThat(p.get("newname=2.0-1/noarch").obsoletes()).containsExactly(new Constraint("oldname", Op.LT, "2.0"));
            assertThat(p.get("ep=1:1.0-1/noarch").sourceVersion()).isEqualTo("1:1.0-1");
            assertThat(p.get("cr=1.0^git1-1/noarch").location()).isEqualTo(http.base() + "cr-1.0%5Egit1-1.noarch.rpm");
        }
    }

    static RpmSnapshot load(Path repo, RpmSource src) throws Exception {
        try (StaticHttpServer http = StaticHttpServer.serve(repo)) {
            return RpmRepository.load(new RpmSource(http.base(), src.keyring(), src.requireSignature()), "x86_64", new HttpMetadataClient());
        }
    }

    @Test
    void unsigned_refused(@TempDir Path dir) throws Exception {
        Path repo = RpmFixture.repo(dir.resolve("repo"), "gz");
        assertThatThrownBy(() -> load(repo, RpmSource.signed(java.net.URI.create("http://x/"), key.keyring())))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("unsigned repository metadata refused").hasMessageContaining("repomd.xml.asc");
    }

    @Test
    void unsigned_acceptedWhenNotRequired_withWarning(@TempDir Path dir) throws Exception {
        Path repo = RpmFixture.repo(dir.resolve("repo"), "gz");
        RpmSnapshot s = load(repo, new RpmSource(java.net.URI.create("http://x/"), null, false));
        assertThat(s.snapshot().packages()).isNotEmpty();
        assertThat(s.warnings()).singleElement().asString().contains("signature not checked");
        assertThat(s.snapshot().releaseDigest().hex()).isEqualTo(dev.kolibri.oci.Digest.sha256(repo.resolve("repodata/repomd.xml")).hex());
    }

    @Test
    void tamperedRepomd_refused(@TempDir Path dir) throws Exception {
        Path repo = RpmFixture.repo(dir.resolve("repo"), "gz");
        RpmFixture.sign(repo, key);
        Path repomd = repo.resolve("repodata/repomd.xml");
        Files.writeString(repomd, Files.readString(repomd).replace("<revision>", "<revision>1"));
        assertThatThrownBy(() -> load(repo, RpmSource.signed(java.net.URI.create("http://x/"), key.keyring())))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("repomd.xml.asc");
    }

    @Test
    void otherKey_refused(@TempDir Path dir) throws Exception {
        Path repo = RpmFixture.repo(dir.resolve("repo"), "gz");
        RpmFixture.sign(repo, key);
        try (GpgFixture other = GpgFixture.create("ed25519")) {
            assertThatThrownBy(() -> load(repo, RpmSource.signed(java.net.URI.create("http://x/"), other.keyring())))
                    .isInstanceOf(RepositoryException.class).hasMessageContaining("repomd.xml.asc");
        }
    }

    @Test
    void wrongPrimaryChecksum_refusedBeforeParsing(@TempDir Path dir) throws Exception {
        Path repo = RpmFixture.repo(dir.resolve("repo"), "xz");
        Path primary;
        try (var s = Files.list(repo.resolve("repodata"))) {
            primary = s.filter(f -> f.getFileName().toString().endsWith("primary.xml.xz")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(primary);
        b[b.length / 2] ^= 1;
        Files.write(primary, b);
        RpmFixture.sign(repo, key);
        assertThatThrownBy(() -> load(repo, RpmSource.signed(java.net.URI.create("http://x/"), key.keyring())))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("primary.xml.xz has sha256").hasMessageContaining("the repomd.xml says").hasMessageContaining("refused");
    }

    @Test
    void wrongPrimarySize_refused(@TempDir Path dir) throws Exception {
        Path repo = RpmFixture.repo(dir.resolve("repo"), "gz");
        Path repomd = repo.resolve("repodata/repomd.xml");
        Files.writeString(repomd, Files.readString(repomd).replaceFirst("<size>([0-9]+)</size>", "<size>1$1</size>"));
        assertThatThrownBy(() -> load(repo, new RpmSource(java.net.URI.create("http://x/"), null, false)))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("bytes, the repomd.xml says");
    }

    @Test
    void modules_ignoredWithWarning(@TempDir Path dir) throws Exception {
        Path repo = RpmFixture.repo(dir.resolve("repo"), "gz");
        RpmFixture.addModules(repo);
        RpmFixture.sign(repo, key);
        RpmSnapshot s = load(repo, RpmSource.signed(java.net.URI.create("http://x/"), key.keyring()));
        assertThat(s.warnings()).singleElement().asString().contains("modular metadata (modules): ignored");
    }

    @Test
    void missingRepository_clearError(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> load(dir, new RpmSource(java.net.URI.create("http://x/"), null, false)))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("no rpm repository at").hasMessageContaining("repomd.xml does not exist");
    }

    @Test
    void filelists_notFetchedWhenPrimaryMeetsEveryFileDependency(@TempDir Path dir) throws Exception {
        Path repo = RpmFixture.repo(dir.resolve("repo"), "gz");
        try (var s = Files.list(repo)) {
            for (Path f : s.filter(f -> f.getFileName().toString().startsWith("app-")).toList()) Files.delete(f);
        }
        Tools.ok(repo, "createrepo_c", "--no-database", "--update", ".");
        try (StaticHttpServer http = StaticHttpServer.serve(repo)) {
            RpmSnapshot s = RpmRepository.load(new RpmSource(http.base(), null, false), "x86_64", new HttpMetadataClient());
            assertThat(s.snapshot().packages()).extracting(Package::name).doesNotContain("app").contains("helper");
            assertThat(http.requests()).noneMatch(r -> r.contains("filelists"));
            assertThat(byId(s).get("helper=1.0-3/noarch").provides()).doesNotContain(Capability.of("/usr/libexec/helpr/run"));
        }
    }
}
