package dev.kolibri.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.build.RpmImageFixture;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.inspect.ImageFiles;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.testing.StaticHttpServer;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kolibri scan} of RPM images built by {@code kolibri build} from the fixture repository of
 * {@link RpmImageFixture} (rpmbuild, createrepo_c, gpg): the image's rpmdb is read (checked against the real
 * {@code rpm -qa --dbpath}), the OS comes from the rpmdb's {@code system-release} provider when os-release has no
 * {@code VERSION_ID}, and the image, its SBOMs ({@code kolibri sbom}, the build's) give the same findings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpmImageScanTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private StaticHttpServer http;
    /** {@code [fedora-release-common, libgreet]}: no os-release of its own (finalize writes ID=kolibri). */
    private Path fedora;
    /** {@code [fixture-release, hello]}: os-release ID=kolibrifix VERSION_ID=1. */
    private Path core;
    private Path osv;

    @BeforeAll
    void build(@TempDir Path tmp) throws Exception {
        dir = tmp;
        RpmImageFixture.Repo repo = RpmImageFixture.copy(Files.createDirectories(dir.resolve("fixture")));
        http = StaticHttpServer.serve(repo.dir());
        Path defs = Files.createDirectories(dir.resolve("images"));
        Files.copy(repo.keyring(), defs.resolve("key.gpg"));
        fedora = build(RpmImageFixture.definition(defs, "fedscan", http.base().toString(),
                "packages: [fedora-release-common, libgreet]\n"), "fedscan");
        core = build(RpmImageFixture.definition(defs, "corescan", http.base().toString(),
                "packages: [fixture-release, hello]\nentrypoint: [/usr/bin/hello]\n"), "corescan");
        osv = Files.createDirectories(dir.resolve("osv"));
        Files.writeString(osv.resolve("FEDORA-2099-0001.json"), advisory("FEDORA-2099-0001", "Fedora:43", "libgreet", "2:1.0-5",
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"));
        // another release, and a package the image does not have: neither may match
        Files.writeString(osv.resolve("FEDORA-2099-0002.json"), advisory("FEDORA-2099-0002", "Fedora:42", "libgreet", "2:1.0-9",
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"));
        Files.writeString(osv.resolve("FEDORA-2099-0003.json"), advisory("FEDORA-2099-0003", "Fedora:43", "pyrt", "3.12.1-3",
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"));
    }

    private Path build(Path def, String name) {
        Path out = dir.resolve("out/" + name);
        Cli b = Cli.run("build", def.toString(), "-o", out.toString(), "-q");
        assertThat(b.exit()).as(b.toString()).isZero();
        return out;
    }

    @AfterAll
    void stop() {
        if (http != null) http.close();
    }

    private static String advisory(String id, String ecosystem, String pkg, String fixed, String cvss) {
        return """
                {"schema_version": "1.6.0", "id": "%s", "modified": "2025-01-11T00:00:00Z",
                 "published": "2025-01-11T00:00:00Z", "aliases": ["CVE-%s"], "details": "%s mishandles greetings.",
                 "severity": [{"type": "CVSS_V3", "score": "%s"}],
                 "affected": [{"package": {"ecosystem": "%s", "name": "%s"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s"}]}]}]}
                """.formatted(id, id.substring(id.indexOf('-') + 1), pkg, cvss, ecosystem, pkg, fixed);
    }

    /** id, package, source, installed, fixed, severity of each finding: what must agree whatever the input. */
    private static List<String> rows(JsonNode report) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : report.path("findings")) {
            out.add(f.path("id").asText() + " " + f.path("package").asText() + " " + f.path("sourcePackage").asText()
                    + " " + f.path("installedVersion").asText() + " "
                    + (f.path("fixedVersion").isNull() ? "-" : f.path("fixedVersion").asText()) + " "
                    + f.path("severity").path("label").asText());
        }
        return out;
    }

    private JsonNode scan(Path target, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("scan", target.toString(), "--db", osv.toString(), "--json"));
        args.addAll(List.of(more));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(target + ": " + r).isZero();
        assertThat(r.err()).as(target + ": " + r).doesNotContain("warning");
        return JSON.readTree(r.out());
    }

    /** The image's rpmdb, copied out of its flattened layers, as the real rpm lists it. */
    private TreeSet<String> rpmQa(Path image) throws Exception {
        Tools.require("rpm");
        OciLayout layout = LayoutReader.open(image);
        FileTree tree = ImageFiles.flatten(layout, layout.images(null, p -> true).getFirst());
        Path root = Files.createTempDirectory(dir, "rpmroot");
        Path db = Files.createDirectories(root.resolve("usr/lib/sysimage/rpm"));
        FileEntry sqlite = tree.get("usr/lib/sysimage/rpm/rpmdb.sqlite").orElseThrow();
        Files.write(db.resolve("rpmdb.sqlite"), sqlite.content());
        String out = Tools.ok(null, "rpm", "--root", root.toString(), "--dbpath", "/usr/lib/sysimage/rpm", "-qa",
                "--qf", "%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH}\\n").out();
        return new TreeSet<>(Arrays.stream(out.split("\n")).filter(s -> !s.isBlank()).toList());
    }

    @Test
    void imageScan_readsTheRpmdb_andTakesTheReleaseFromSystemRelease() throws Exception {
        JsonNode report = scan(fedora);
        assertThat(report.path("ecosystem").asText()).isEqualTo("Fedora:43");
        assertThat(rows(report)).containsExactly("FEDORA-2099-0001 libgreet fixture 2:1.0-4 2:1.0-5 high");

        Cli table = Cli.run("scan", fedora.toString(), "--db", osv.toString());
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).contains("(Fedora:43, linux/amd64): " + rpmQa(fedora).size() + " packages")
                .contains("FEDORA-2099-0001").contains("libgreet");
    }

    @Test
    void sbomScans_giveTheImageScansFindings() throws Exception {
        List<String> fromImage = rows(scan(fedora));
        assertThat(fromImage).isNotEmpty();
        List<Path> sboms = new ArrayList<>();
        for (String format : List.of("cyclonedx", "spdx")) {
            Path file = dir.resolve("fedscan." + format + ".json");
            Cli s = Cli.run("sbom", fedora.toString(), "--format", format, "-o", file.toString());
            assertThat(s.exit()).as(s.toString()).isZero();
            assertThat(s.err()).as(s.toString()).doesNotContain("warning");
            sboms.add(file);
        }
        try (var side = Files.list(fedora.resolve("sbom/1"))) {
            sboms.addAll(side.filter(p -> p.toString().endsWith(".spdx.json") || p.toString().endsWith(".cdx.json")).sorted().toList());
        }
        assertThat(sboms).hasSizeGreaterThanOrEqualTo(4);
        for (Path sbom : sboms) {
            JsonNode report = scan(sbom);
            assertThat(report.path("ecosystem").asText()).as(sbom.toString()).isEqualTo("Fedora:43");
            assertThat(rows(report)).as(sbom.toString()).isEqualTo(fromImage);
        }
    }

    @Test
    void inspectAndSbom_listTheRpmdbsPackages() throws Exception {
        for (Path image : List.of(fedora, core)) {
            TreeSet<String> expected = rpmQa(image);
            assertThat(expected).as(image.toString()).isNotEmpty();

            Cli i = Cli.run("inspect", image.toString(), "--json");
            assertThat(i.exit()).as(i.toString()).isZero();
            JsonNode platform = JSON.readTree(i.out()).path("platforms").get(0);
            TreeSet<String> inspected = new TreeSet<>();
            for (JsonNode p : platform.path("packages")) {
                assertThat(p.path("ecosystem").asText()).isEqualTo("rpm");
                inspected.add(p.path("name").asText() + " " + p.path("version").asText() + " " + p.path("arch").asText());
            }
            assertThat(inspected).as(image + " inspect").isEqualTo(expected);
            assertThat(platform.path("packageDatabases")).singleElement().satisfies(d -> {
                assertThat(d.path("ecosystem").asText()).isEqualTo("rpm");
                assertThat(d.path("path").asText()).isEqualTo("/usr/lib/sysimage/rpm/rpmdb.sqlite");
            });
            assertThat(platform.path("notes")).isEmpty();

            Cli s = Cli.run("sbom", image.toString(), "--format", "cyclonedx");
            assertThat(s.exit()).as(s.toString()).isZero();
            TreeSet<String> listed = new TreeSet<>();
            for (JsonNode c : JSON.readTree(s.out()).path("components")) {
                String purl = c.path("purl").asText(null);
                if (purl == null) continue;
                assertThat(purl).as(image.toString()).startsWith("pkg:rpm/");
                listed.add(c.path("name").asText());
            }
            assertThat(listed).as(image + " sbom").isEqualTo(new TreeSet<>(expected.stream().map(e -> e.split(" ")[0]).toList()));
        }
        Cli text = Cli.run("inspect", fedora.toString());
        assertThat(text.out()).contains("packages: rpm database /usr/lib/sysimage/rpm/rpmdb.sqlite, " + rpmQa(fedora).size() + " packages");
    }

    @Test
    void sbom_namesTheReleaseTheRpmdbTells() throws Exception {
        Cli s = Cli.run("sbom", fedora.toString(), "--format", "cyclonedx");
        assertThat(s.exit()).as(s.toString()).isZero();
        assertThat(s.out()).contains("pkg:rpm/fedora/libgreet@1.0-4?arch=x86_64&distro=fedora-43&epoch=2&upstream=fixture-1-1.src.rpm");
    }

    @Test
    void imageWhoseOsReleaseNamesAnUnknownOs_isRefusedAsBefore_andScansWithDistro() throws Exception {
        Cli r = Cli.run("scan", core.toString(), "--db", osv.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("error: ").contains("kolibrifix").contains("--distro");
        assertThat(r.err().strip().lines()).hasSize(2).last().asString().startsWith("hint: ");

        JsonNode report = scan(core, "--distro", "fedora-43");
        assertThat(report.path("ecosystem").asText()).isEqualTo("Fedora:43");
        assertThat(rows(report)).containsExactly("FEDORA-2099-0001 libgreet fixture 2:1.0-4 2:1.0-5 high");
    }
}
