package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildEvents;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.lock.LockedRepository;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.repo.AptSources;
import dev.kolibri.spec.ImageSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian 13 (trixie, trixie-updates, trixie-security) and sid through {@code url: system} on this Debian 12 machine,
 * whose apt sources list only bookworm: real packages, both arches, without {@code base-files}, so that the image's
 * identity comes from the signed Release alone. Tagged {@code mirror}; skipped, with the reason, where the mirror
 * does not serve trixie.
 */
@Tag("mirror")
class MirrorSuitesTest {
    static final Path CACHE = Path.of("target", "e2e-mirror-cache").toAbsolutePath();

    @TempDir static Path dir;
    static Kolibri kolibri;

    @BeforeAll
    static void probeMirror() throws Exception {
        AptSources apt = MirrorProbe.reachable("trixie");
        Files.createDirectories(CACHE);
        kolibri = new Kolibri(new ContentStore(CACHE), Progress.SILENT, BuildEvents.SILENT, apt);
    }

    private static ImageSpec definition(String name, List<String> suites, List<String> packages) throws Exception {
        StringBuilder y = new StringBuilder("name: " + name + "\nversion: \"1\"\nrepositories:\n");
        for (String s : suites) y.append("  - {type: deb, url: system, suite: ").append(s).append("}\n");
        y.append("packages: [").append(String.join(", ", packages)).append("]\narchs: [amd64, arm64]\n");
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, y.toString());
        return Kolibri.load(f, null);
    }

    @Test
    void trixie_withoutBaseFiles_isDebian13_bothArches_andScansAsDebian13() throws Exception {
        ImageSpec spec = definition("trixie-min", List.of("trixie", "trixie-updates", "trixie-security"),
                List.of("libc6", "ca-certificates", "tzdata"));
        Lockfile lock = kolibri.lock(spec);
        assertThat(new String(lock.toJson(), StandardCharsets.UTF_8)).doesNotContain("://");
        assertThat(lock.repositories()).extracting(LockedRepository::id)
                .containsExactly("system trixie", "system trixie-updates", "system trixie-security");
        assertThat(lock.repositories().get(0).release().codename()).isEqualTo("trixie");
        assertThat(lock.packagesFor("arm64")).anySatisfy(p -> assertThat(p.name() + ":" + p.arch()).isEqualTo("libc6:arm64"));

        Path layout = dir.resolve("out/trixie-min");
        kolibri.build(spec, new BuildOptions(layout, List.of(), null, true, false, Compression.GZIP, null));
        for (String arch : List.of("amd64", "arm64")) {
            JsonNode config = Oracles.skopeoConfig(layout, "1", arch);
            assertThat(config.path("architecture").asText()).isEqualTo(arch);
            assertThat(config.path("config").path("Labels").path("dev.kolibri.image.distro").asText()).isEqualTo("debian-13");
            JsonNode cdx = Oracles.JSON.readTree(dir.resolve("out/trixie-min/sbom/1/" + arch + ".cdx.json").toFile());
            assertThat(cdx.path("components").findValuesAsText("purl")).anySatisfy(p ->
                    assertThat(p).startsWith("pkg:deb/debian/libc6@").contains("arch=" + arch).contains("distro=debian-13"));
        }
        Path bundle = dir.resolve("bundle");
        String osRelease = Files.readString(Oracles.umociUnpack(layout, "1-amd64", bundle).resolve("etc/os-release"));
        Oracles.remove(bundle);
        assertThat(osRelease).contains("ID=\"debian\"").contains("VERSION_ID=\"13\"").contains("VERSION_CODENAME=\"trixie\"");

        // an OSV record of Debian's shape for glibc on Debian 13, fixed in a version no release has yet
        Path osv = Files.createDirectories(dir.resolve("osv"));
        Files.writeString(osv.resolve("DSA-9999-1.json"), """
                {"schema_version": "1.6.0", "id": "DSA-9999-1", "modified": "2026-01-01T00:00:00Z",
                 "affected": [{"package": {"ecosystem": "Debian:13", "name": "glibc"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99.0-1"}]}]}]}
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = dev.kolibri.cli.Main.run(new String[] {"scan", layout.toString(), "--db", osv.toString(), "--json"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as(err.toString()).isZero();
        JsonNode report = Oracles.JSON.readTree(out.toString());
        assertThat(report.path("ecosystem").asText()).isEqualTo("Debian:13");
        assertThat(report.path("findings").findValuesAsText("package")).contains("libc6");
    }

    @Test
    void sid_locksAndBuilds_bothArches_namedByItsCodename() throws Exception {
        ImageSpec spec = definition("sid-min", List.of("sid"), List.of("tzdata"));
        Lockfile lock = kolibri.lock(spec);
        assertThat(lock.repositories()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("system sid");
            assertThat(r.release().suite()).isEqualTo("unstable");
        });
        Path layout = dir.resolve("out/sid-min");
        kolibri.build(spec, new BuildOptions(layout, List.of(), null, true, false, Compression.GZIP, null));
        assertThat(Oracles.skopeoConfig(layout, "1", "arm64").path("config").path("Labels").path("dev.kolibri.image.distro").asText())
                .isEqualTo("debian");
        Path bundle = dir.resolve("bundle-sid");
        String osRelease = Files.readString(Oracles.umociUnpack(layout, "1-amd64", bundle).resolve("etc/os-release"));
        Oracles.remove(bundle);
        assertThat(osRelease).contains("ID=\"debian\"").contains("VERSION_CODENAME=\"sid\"").doesNotContain("VERSION_ID");
    }
}
