package dev.kolibri.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.repo.AptSource;
import dev.kolibri.repo.AptSources;
import dev.kolibri.repo.HttpMetadataClient;
import dev.kolibri.repo.RepositoryException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real data: base-files and libssl3 from bookworm alone, and refreshed with bookworm-security, through this machine's apt sources.
 * An OSV record in the published format, fixed in the security suite's openssl source version (read from the second
 * lock), matches the first image and not the second.
 */
@Tag("mirror")
class SecurityUpdateMirrorTest {
    private static final String KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";

    @TempDir Path dir;

    @Test
    void securitySuite_removesTheOpensslFinding() throws Exception {
        requireSuite("bookworm");
        requireSuite("bookworm-security");
        Assumptions.assumeTrue(Files.isRegularFile(Path.of(KEYRING)), "skipped: no " + KEYRING);

        Path plain = spec("ssl-plain", false);
        Path secure = spec("ssl-secure", true);
        Path plainOut = dir.resolve("out/ssl-plain");
        Path secureOut = dir.resolve("out/ssl-secure");
        Cli a = Cli.run("build", plain.toString(), "-o", plainOut.toString(), "-q");
        assertThat(a.exit()).as(a.toString()).isZero();
        Cli b = Cli.run("build", secure.toString(), "-o", secureOut.toString(), "-q");
        assertThat(b.exit()).as(b.toString()).isZero();

        LockedPackage oldSsl = libssl3(plain.resolveSibling("ssl-plain.lock.json"));
        LockedPackage newSsl = libssl3(secure.resolveSibling("ssl-secure.lock.json"));
        assertThat(newSsl.source()).isEqualTo("openssl");
        Assumptions.assumeFalse(oldSsl.sourceVersion().equals(newSsl.sourceVersion()),
                "skipped: bookworm and bookworm-security carry the same openssl " + newSsl.sourceVersion() + " today");

        Path osv = Files.createDirectories(dir.resolve("osv"));
        Files.writeString(osv.resolve("DSA-0000-1.json"), """
                {
                  "schema_version": "1.6.0",
                  "id": "DSA-0000-1",
                  "modified": "2025-01-01T00:00:00Z",
                  "published": "2025-01-01T00:00:00Z",
                  "aliases": ["CVE-2099-0042"],
                  "summary": "openssl - security update",
                  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
                  "affected": [{
                    "package": {"ecosystem": "Debian:12", "name": "openssl", "purl": "pkg:deb/debian/openssl?arch=source"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s"}]}]
                  }]
                }
                """.formatted(newSsl.sourceVersion()));

        JsonNode before = scan(plainOut, osv);
        assertThat(before.path("ecosystem").asText()).isEqualTo("Debian:12");
        assertThat(before.path("findings")).anySatisfy(f -> {
            assertThat(f.path("id").asText()).isEqualTo("DSA-0000-1");
            assertThat(f.path("package").asText()).isEqualTo("libssl3");
            assertThat(f.path("installedVersion").asText()).isEqualTo(oldSsl.version());
            assertThat(f.path("fixedVersion").asText()).isEqualTo(newSsl.sourceVersion());
        });
        JsonNode after = scan(secureOut, osv);
        assertThat(after.path("findings")).isEmpty();
        assertThat(Cli.run("scan", plainOut.toString(), "--db", osv.toString(), "--fail-on", "high").exit()).isEqualTo(3);
        assertThat(Cli.run("scan", secureOut.toString(), "--db", osv.toString(), "--fail-on", "high").exit()).isZero();
    }

    private static JsonNode scan(Path image, Path osv) throws Exception {
        Cli r = Cli.run("scan", image.toString(), "--db", osv.toString(), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private static LockedPackage libssl3(Path lock) throws Exception {
        return Lockfile.read(lock).packagesFor("amd64").stream().filter(p -> p.name().equals("libssl3")).findFirst().orElseThrow();
    }

    private Path spec(String name, boolean security) throws Exception {
        StringBuilder y = new StringBuilder("name: " + name + "\nrepositories:\n");
        y.append(repo("bookworm"));
        if (security) y.append(repo("bookworm-security"));
        y.append("packages: [base-files, libssl3]\narchs: [amd64]\n");
        Path p = dir.resolve("images").resolve(name + ".yaml");
        Files.createDirectories(p.getParent());
        Files.writeString(p, y.toString());
        return p;
    }

    private static String repo(String suite) {
        return "  - type: deb\n    url: system\n    suite: " + suite + "\n    components: [main]\n    keyring: " + KEYRING + "\n";
    }

    private static void requireSuite(String suite) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/etc/apt")), "skipped: no /etc/apt on this machine");
        AptSources apt = AptSources.system();
        Optional<AptSource> src = apt.forSuite(suite);
        Assumptions.assumeTrue(src.isPresent(), "skipped: this machine has no apt source for " + suite);
        try {
            Assumptions.assumeTrue(new HttpMetadataClient().getIfExists(src.get().uri().resolve("dists/" + suite + "/InRelease")).isPresent(),
                    "skipped: the mirror has no InRelease for " + suite);
        } catch (RepositoryException e) {
            Assumptions.abort("skipped: the mirror for " + suite + " is unreachable: " + e.getMessage());
        }
    }
}
