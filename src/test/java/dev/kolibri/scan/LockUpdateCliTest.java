package dev.kolibri.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.lock.Lockfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kolibri lock --update SPEC --db DB}: a repository gains the fixed libfoo1; the update reports the fix. */
class LockUpdateCliTest {
    @TempDir Path dir;

    @Test
    void update_reportsRemovedAndRemainingFindings() throws Exception {
        Path osv = Path.of(LockUpdateCliTest.class.getResource("/dev/kolibri/scan/osv").toURI());
        try (FixtureDebRepo repo = FixtureDebRepo.create(dir)) {
            repo.publish(List.of(FixtureDebRepo.baseFiles(), FixtureDebRepo.libfoo1v1(), FixtureDebRepo.bar()));
            Path spec = repo.spec(dir.resolve("images"), "upd", List.of("base-files", "libfoo1", "bar"));
            Cli first = Cli.run("lock", spec.toString(), "-q");
            assertThat(first.exit()).as(first.toString()).isZero();
            Path lock = spec.resolveSibling("upd.lock.json");
            assertThat(version(lock, "libfoo1")).isEqualTo("1.0-1+b1");
            // the scan of the old lock still has the finding, and --fail-on high trips on it
            assertThat(Cli.run("scan", lock.toString(), "--db", osv.toString(), "--fail-on", "high").exit()).isEqualTo(3);

            repo.publish(List.of(FixtureDebRepo.baseFiles(), FixtureDebRepo.libfoo1v1(), FixtureDebRepo.libfoo1v2(), FixtureDebRepo.bar()));
            Cli text = Cli.run("lock", "--update", spec.toString(), "--db", osv.toString(), "-q");
            assertThat(text.exit()).as(text.toString()).isZero();
            assertThat(version(lock, "libfoo1")).isEqualTo("1.0-2");
            assertThat(text.out()).contains("removed by the update: 1")
                    .containsPattern("DSA-9001-1 +high +libfoo1 1.0-1\\+b1 -> 1.0-2 \\(fixed in 1.0-2\\)")
                    .contains("remaining without a fix: 1")
                    .containsPattern("DEBIAN-CVE-2099-9002 +medium +bar 2.0-1")
                    .contains("introduced by the update: 0");
            assertThat(Cli.run("scan", lock.toString(), "--db", osv.toString(), "--fail-on", "high").exit()).isZero();

            // once more, as JSON: the old lock is now the updated one, so nothing is removed
            Cli json = Cli.run("lock", "--update", spec.toString(), "--db", osv.toString(), "--json");
            assertThat(json.exit()).as(json.toString()).isZero();
            JsonNode j = new ObjectMapper().readTree(json.out());
            assertThat(j.path("removed")).isEmpty();
            assertThat(j.path("remainingWithoutFix").get(0).path("id").asText()).isEqualTo("DEBIAN-CVE-2099-9002");
            assertThat(j.path("previousLock").asBoolean()).isTrue();
        }
    }

    @Test
    void update_json_namesNewVersion() throws Exception {
        Path osv = Path.of(LockUpdateCliTest.class.getResource("/dev/kolibri/scan/osv").toURI());
        try (FixtureDebRepo repo = FixtureDebRepo.create(dir)) {
            repo.publish(List.of(FixtureDebRepo.baseFiles(), FixtureDebRepo.libfoo1v1()));
            Path spec = repo.spec(dir.resolve("images"), "updj", List.of("base-files", "libfoo1"));
            assertThat(Cli.run("lock", spec.toString(), "-q").exit()).isZero();
            repo.publish(List.of(FixtureDebRepo.baseFiles(), FixtureDebRepo.libfoo1v1(), FixtureDebRepo.libfoo1v2()));
            Cli r = Cli.run("lock", "--update", spec.toString(), "--db", osv.toString(), "--json");
            assertThat(r.exit()).as(r.toString()).isZero();
            JsonNode removed = new ObjectMapper().readTree(r.out()).path("removed");
            assertThat(removed).hasSize(1);
            assertThat(removed.get(0).path("id").asText()).isEqualTo("DSA-9001-1");
            assertThat(removed.get(0).path("installedVersion").asText()).isEqualTo("1.0-1+b1");
            assertThat(removed.get(0).path("newVersion").asText()).isEqualTo("1.0-2");
            assertThat(removed.get(0).path("fixedVersion").asText()).isEqualTo("1.0-2");
        }
    }

    @Test
    void update_usageErrors() {
        assertThat(Cli.run("lock", "--update", dir.resolve("x.yaml").toString()).exit()).isEqualTo(2);
        Cli dbOnly = Cli.run("lock", dir.resolve("x.yaml").toString(), "--db", dir.toString());
        assertThat(dbOnly.exit()).isEqualTo(2);
        assertThat(dbOnly.err()).contains("kolibri scan LOCK");
    }

    private static String version(Path lock, String name) throws Exception {
        return Lockfile.read(lock).packagesFor("amd64").stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().version();
    }
}
