package dev.kolibri.repo;

import dev.kolibri.testing.GpgFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AptSourcesTest {

    @Test
    void oneLineAndDeb822_inAptOrder(@TempDir Path apt) throws Exception {
        Files.writeString(apt.resolve("sources.list"), """
                # comment
                deb-src http://src.invalid/debian bookworm main
                deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/k.gpg check-valid-until=no] http://a.invalid/debian bookworm main contrib # trailing
                deb cdrom:[Debian 12]/ bookworm main
                   
                deb http://b.invalid/debian bookworm-updates main
                """);
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list.d/a.sources"), """
                Types: deb deb-src
                # a comment inside the stanza
                URIs: https://c.invalid/debian file:///srv/mirror
                Suites: trixie trixie-updates
                Components: main
                Architectures: amd64
                Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

                Types: deb
                URIs: http://d.invalid/debian
                Suites: trixie
                Components: main
                Enabled: no

                Types: deb-src
                URIs: http://e.invalid/debian
                Suites: trixie
                Components: main
                """);
        Files.writeString(apt.resolve("sources.list.d/b.list.disabled"), "deb http://f.invalid/debian trixie main\n");
        AptSources s = AptSources.load(apt);
        assertThat(s.sources()).extracting(AptSource::uri).containsExactly(
                URI.create("http://a.invalid/debian/"), URI.create("http://b.invalid/debian/"),
                URI.create("https://c.invalid/debian/"), URI.create("file:///srv/mirror/"));
        AptSource a = s.sources().get(0);
        assertThat(a.suites()).containsExactly("bookworm");
        assertThat(a.components()).containsExactly("main", "contrib");
        assertThat(a.architectures()).containsExactly("amd64", "arm64");
        assertThat(a.signedBy()).isEqualTo("/usr/share/keyrings/k.gpg");
        assertThat(a.checkValidUntil()).contains(false);
        assertThat(a.origin()).endsWith("sources.list:3");
        assertThat(s.allowExpired(a)).isTrue();
        AptSource c = s.sources().get(2);
        assertThat(c.suites()).containsExactly("trixie", "trixie-updates");
        assertThat(c.architectures()).containsExactly("amd64");
        assertThat(c.origin()).endsWith("a.sources:1");
        assertThat(s.allowExpired(c)).isFalse();

        assertThat(s.forSuite("bookworm")).map(AptSource::uri).contains(URI.create("http://a.invalid/debian/"));
        assertThat(s.forSuite("trixie-updates")).map(AptSource::uri).contains(URI.create("https://c.invalid/debian/"));
        assertThat(s.forSuite("sid")).isEmpty();
    }

    /** A suite the machine does not list comes from the source of the same archive: security from security. */
    @Test
    void sourceFor_unlistedSuite_takesTheSourceOfTheSameArchive(@TempDir Path apt) throws Exception {
        java.nio.file.Files.writeString(apt.resolve("sources.list"), """
                deb http://extra.invalid/repo nodistro main
                deb http://main.invalid/debian bookworm bookworm-updates main
                deb http://sec.invalid/debian-security bookworm-security main
                """);
        AptSources s = AptSources.load(apt);
        for (String suite : java.util.List.of("trixie", "trixie-updates", "trixie-backports", "sid", "bookworm-backports", "stable")) {
            assertThat(s.sourceFor(suite)).as(suite).map(AptSource::uri).contains(URI.create("http://main.invalid/debian/"));
        }
        assertThat(s.sourceFor("trixie-security")).map(AptSource::uri).contains(URI.create("http://sec.invalid/debian-security/"));
        assertThat(s.sourceFor("nodistro")).map(AptSource::uri).contains(URI.create("http://extra.invalid/repo/"));
        assertThat(s.sourceFor("bookworm-updates")).map(AptSource::uri).contains(URI.create("http://main.invalid/debian/"));

        java.nio.file.Files.writeString(apt.resolve("sources.list"), "deb http://extra.invalid/repo nodistro main\n");
        AptSources onlyExtra = AptSources.load(apt);
        // no Debian suite at all (an Ubuntu machine's `noble` is not one Kolibri knows): the first release-like entry
        assertThat(onlyExtra.sourceFor("trixie")).map(AptSource::uri).contains(URI.create("http://extra.invalid/repo/"));
        assertThat(onlyExtra.sourceFor("trixie-security")).isEmpty();
    }

    @Test
    void aptConfCheckValidUntil_decidesAllowExpired(@TempDir Path apt) throws Exception {
        Files.writeString(apt.resolve("sources.list"), "deb http://a.invalid/debian bookworm main\n");
        AptSource src = AptSources.load(apt).sources().get(0);
        assertThat(AptSources.load(apt).allowExpired(src)).isFalse();
        Files.createDirectories(apt.resolve("apt.conf.d"));
        Files.writeString(apt.resolve("apt.conf.d/99snapshot"), "// frozen mirror\nAcquire::Check-Valid-Until \"false\";\n");
        assertThat(AptSources.load(apt).allowExpired(src)).isTrue();
        Files.writeString(apt.resolve("apt.conf.d/99snapshot"), "Acquire { Retries \"3\"; Check-Valid-Until \"no\"; };\n");
        assertThat(AptSources.load(apt).allowExpired(src)).isTrue();
        Files.writeString(apt.resolve("apt.conf.d/99snapshot.disabled"), "Acquire::Check-Valid-Until \"true\";\n");
        assertThat(AptSources.load(apt).allowExpired(src)).isTrue();
        Files.writeString(apt.resolve("apt.conf.d/zz-later"), "Acquire::Check-Valid-Until \"true\";\n");
        assertThat(AptSources.load(apt).allowExpired(src)).isFalse();
    }

    @Test
    void inlineSignedByKey(@TempDir Path apt) throws Exception {
        try (GpgFixture g = GpgFixture.create("ed25519")) {
            String armored = new String(g.publicArmored()).strip();
            StringBuilder folded = new StringBuilder("Signed-By:\n");
            for (String l : armored.split("\n")) folded.append(' ').append(l.isBlank() ? "." : l).append('\n');
            Files.createDirectories(apt.resolve("sources.list.d"));
            Files.writeString(apt.resolve("sources.list.d/x.sources"),
                    "Types: deb\nURIs: http://x.invalid/\nSuites: s\nComponents: main\n" + folded);
            AptSources s = AptSources.load(apt);
            assertThat(s.keyring(s.sources().get(0)).fingerprints()).containsExactly(g.fingerprint);
        }
    }

    @Test
    void malformedEntries_nameFileAndLine(@TempDir Path apt) throws Exception {
        Files.writeString(apt.resolve("sources.list"), "deb http://a.invalid/debian\n");
        assertThatThrownBy(() -> AptSources.load(apt)).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("sources.list:1: want 'deb [options] URI SUITE");
        Files.writeString(apt.resolve("sources.list"), "deb [arch=amd64 http://a.invalid/ s main\n");
        assertThatThrownBy(() -> AptSources.load(apt)).hasMessageContaining("sources.list:1: unterminated '['");
        Files.writeString(apt.resolve("sources.list"), "rpm http://a.invalid/ s main\n");
        assertThatThrownBy(() -> AptSources.load(apt)).hasMessageContaining("unknown source type 'rpm'");
    }

    @Test
    void thisMachine_findsBookwormWhenConfigured() throws Exception {
        Path etc = Path.of("/etc/apt");
        Assumptions.assumeTrue(Files.isDirectory(etc), "skipped: no /etc/apt on this machine");
        AptSources s = AptSources.system();
        boolean mentions = false;
        for (Path p : List.of(etc.resolve("sources.list"))) {
            if (Files.isRegularFile(p) && Files.readString(p).lines().anyMatch(l -> l.startsWith("deb ") && l.contains("bookworm"))) mentions = true;
        }
        Path d = etc.resolve("sources.list.d");
        if (Files.isDirectory(d)) {
            try (var files = Files.list(d)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".sources") || f.toString().endsWith(".list")).toList()) {
                    if (Files.readString(p).matches("(?s).*Suites:[^\\n]*\\bbookworm\\b.*|(?s).*\\ndeb [^\\n]*\\bbookworm\\b.*|(?s)^deb [^\\n]*\\bbookworm\\b.*")) mentions = true;
                }
            }
        }
        Assumptions.assumeTrue(mentions, "skipped: this machine's apt sources do not mention bookworm");
        Optional<AptSource> src = s.forSuite("bookworm");
        assertThat(src).isPresent();
        assertThat(src.get().components()).contains("main");
        assertThat(s.keyring(src.get()).size()).isGreaterThan(0);
    }
}
