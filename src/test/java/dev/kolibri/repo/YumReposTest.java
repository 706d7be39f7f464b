package dev.kolibri.repo;

import dev.kolibri.testing.GpgFixture;
import dev.kolibri.testing.StaticHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YumReposTest {
    static Path root(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("etc/yum.repos.d"));
        Files.writeString(dir.resolve("etc/os-release"), "NAME=\"Fedora Linux\"\nVERSION_ID=40\n");
        Files.writeString(dir.resolve("etc/yum.repos.d/fedora.repo"), """
                [fedora]
                name=Fedora $releasever - $basearch
                #baseurl=http://example.invalid/releases/$releasever/Everything/$basearch/os/
                metalink=https://example.invalid/metalink?repo=fedora-$releasever&arch=$basearch
                enabled=1
                repo_gpgcheck=0
                gpgcheck=1
                gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-$releasever-${basearch}
                """);
        return dir;
    }

    @Test
    void parse_substitutesAndReadsEveryField(@TempDir Path dir) throws Exception {
        root(dir);
        Files.writeString(dir.resolve("etc/yum.repos.d/local.repo"), """
                # a comment
                [local]
                name = Local mirror
                baseurl = http://mirror.invalid/$releasever/$basearch/
                  http://second.invalid/$releasever/
                enabled = 0
                gpgcheck = no
                repo_gpgcheck = yes
                gpgkey = file:///etc/pki/a.asc,file:///etc/pki/b.asc
                """);
        YumRepos r = YumRepos.load(dir, "aarch64", null);
        assertThat(r.all()).extracting(YumRepos.YumRepo::id).containsExactly("fedora", "local");
        YumRepos.YumRepo f = r.forId("fedora");
        assertThat(f.name()).isEqualTo("Fedora 40 - aarch64");
        assertThat(f.baseurls()).isEmpty();
        assertThat(f.metalink()).isEqualTo("https://example.invalid/metalink?repo=fedora-40&arch=aarch64");
        assertThat(f.gpgkeys()).containsExactly("file:///etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-40-aarch64");
        assertThat(f.enabled()).isTrue();
        assertThat(f.gpgcheck()).isTrue();
        assertThat(f.repoGpgcheck()).isFalse();
        YumRepos.YumRepo l = r.forId("local");
        assertThat(l.baseurls()).containsExactly(URI.create("http://mirror.invalid/40/aarch64/"), URI.create("http://second.invalid/40/"));
        assertThat(l.enabled()).isFalse();
        assertThat(l.gpgcheck()).isFalse();
        assertThat(l.repoGpgcheck()).isTrue();
        assertThat(l.gpgkeys()).containsExactly("file:///etc/pki/a.asc", "file:///etc/pki/b.asc");
        assertThat(r.firstEnabled("Fedora 40 - aarch64").id()).isEqualTo("fedora");
        assertThatThrownBy(() -> r.firstEnabled("local")).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("no enabled yum repository with id or name 'local'").hasMessageContaining("enabled ids: fedora");
    }

    @Test
    void releasever_givenOrFromDnfVars(@TempDir Path dir) throws Exception {
        root(dir);
        assertThat(YumRepos.load(dir, "x86_64", "41").forId("fedora").name()).isEqualTo("Fedora 41 - x86_64");
        Files.createDirectories(dir.resolve("etc/dnf/vars"));
        Files.writeString(dir.resolve("etc/dnf/vars/releasever"), "39\n");
        assertThat(YumRepos.load(dir, "x86_64", "41").forId("fedora").name()).isEqualTo("Fedora 39 - x86_64");
    }

    @Test
    void metalinkOnly_notSupportedYet(@TempDir Path dir) throws Exception {
        YumRepos r = YumRepos.load(root(dir), "x86_64", null);
        assertThatThrownBy(() -> r.source(r.forId("fedora"))).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("has only a metalink: not supported yet: give it a baseurl");
    }

    @Test
    void unknownId_listsKnown(@TempDir Path dir) throws Exception {
        YumRepos r = YumRepos.load(root(dir), "x86_64", null);
        assertThatThrownBy(() -> r.forId("updates")).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("no yum repository with id 'updates'").hasMessageContaining("ids: fedora");
    }

    @Test
    void malformed_clearErrors(@TempDir Path dir) throws Exception {
        root(dir);
        Path bad = dir.resolve("etc/yum.repos.d/bad.repo");
        Files.writeString(bad, "[x]\nenabled=maybe\nbaseurl=http://a.invalid/\n");
        assertThatThrownBy(() -> YumRepos.load(dir, "x86_64", null)).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("bad.repo").hasMessageContaining("'maybe' is not a boolean");
        Files.writeString(bad, "[x]\njunk\n");
        assertThatThrownBy(() -> YumRepos.load(dir, "x86_64", null)).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("bad.repo:2: expected 'key=value'");
        Files.writeString(bad, "[fedora]\nbaseurl=http://a.invalid/\n");
        assertThatThrownBy(() -> YumRepos.load(dir, "x86_64", null)).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("repository id 'fedora' is already defined");
    }

    @Test
    void source_loadsASignedFixtureRepository(@TempDir Path dir) throws Exception {
        Path root = root(dir.resolve("root"));
        Path repo = RpmFixture.repo(dir.resolve("repo"), "gz");
        try (GpgFixture key = GpgFixture.create("ed25519"); StaticHttpServer http = StaticHttpServer.serve(repo)) {
            RpmFixture.sign(repo, key);
            Files.createDirectories(root.resolve("etc/pki/rpm-gpg"));
            Files.write(root.resolve("etc/pki/rpm-gpg/KEY-local"), key.publicArmored());
            Files.writeString(root.resolve("etc/yum.repos.d/local.repo"), "[local]\nname=Local\nbaseurl=" + http.base()
                    + "\nrepo_gpgcheck=1\ngpgcheck=1\ngpgkey=file:///etc/pki/rpm-gpg/KEY-local\n");
            YumRepos r = YumRepos.load(root, "x86_64", null);
            RpmSource src = r.source(r.forId("local"));
            assertThat(src.requireSignature()).isTrue();
            RpmSnapshot s = RpmRepository.load(src, "x86_64", new HttpMetadataClient());
            assertThat(s.warnings()).isEmpty();
            assertThat(s.snapshot().packages()).isNotEmpty();
        }
    }
}
