package dev.kolibri.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.finalize.OsRelease;
import dev.kolibri.fs.FileTree;
import dev.kolibri.inspect.ImageFiles;
import dev.kolibri.inspect.InstalledPackages;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.sbom.CycloneDxWriter;
import dev.kolibri.sbom.ImageSubject;
import dev.kolibri.sbom.OsInfo;
import dev.kolibri.sbom.SbomInput;
import dev.kolibri.sbom.SbomPackage;
import dev.kolibri.sbom.SpdxWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kolibri scan}, {@code db import} and {@code build --scan} on an image built by {@code kolibri build} from a
 * fixture repository (dpkg-deb, apt-ftparchive, gpg), with hand-written OSV records in the published format.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScanCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    private FixtureDebRepo repo;
    private Path spec;
    private Path image;
    private Path osv;
    private Path vex;

    @BeforeAll
    void buildImage() throws Exception {
        osv = Path.of(ScanCliTest.class.getResource("/dev/kolibri/scan/osv").toURI());
        vex = Path.of(ScanCliTest.class.getResource("/dev/kolibri/scan/vex/bar-not-affected.openvex.json").toURI());
        repo = FixtureDebRepo.create(dir);
        repo.publish(List.of(FixtureDebRepo.baseFiles(), FixtureDebRepo.libfoo1v1(), FixtureDebRepo.bar()));
        spec = repo.spec(dir.resolve("images"), "scanfix", List.of("base-files", "libfoo1", "bar"));
        image = dir.resolve("out/scanfix");
        Cli b = Cli.run("build", spec.toString(), "-o", image.toString(), "-q");
        assertThat(b.exit()).as(b.toString()).isZero();
    }

    @AfterAll
    void stop() {
        if (repo != null) repo.close();
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    /** id, package, installed, fixed of each finding: what must agree whatever the input. */
    private static List<String> rows(JsonNode report) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : report.path("findings")) {
            out.add(f.path("id").asText() + " " + f.path("package").asText() + " " + f.path("installedVersion").asText()
                    + " " + (f.path("fixedVersion").isNull() ? "-" : f.path("fixedVersion").asText()) + " "
                    + f.path("severity").path("label").asText());
        }
        return out;
    }

    @Test
    void image_findsBinNmuBySourceVersion_andIgnoresOtherRelease() throws Exception {
        Cli r = Cli.run("scan", image.toString(), "--db", osv.toString(), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode report = json(r.out());
        assertThat(report.path("ecosystem").asText()).isEqualTo("Debian:12");
        assertThat(rows(report)).containsExactly(
                "DEBIAN-CVE-2099-9002 bar 2.0-1 - medium",
                "DSA-9001-1 libfoo1 1.0-1+b1 1.0-2 high");
        assertThat(report.path("findings").get(1).path("sourcePackage").asText()).isEqualTo("foo");
    }

    @Test
    void table_namesTargetOsAndPlatform() {
        Cli r = Cli.run("scan", image.toString(), "--db", osv.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(Debian:12, linux/amd64): 3 packages")
                .contains("DSA-9001-1").contains("CVE-2099-9001").contains("1.0-2")
                .contains("2 findings (1 high, 1 medium), 0 suppressed by VEX");
    }

    @Test
    void sbomsAndLock_agreeWithImage() throws Exception {
        List<String> fromImage = rows(json(Cli.run("scan", image.toString(), "--db", osv.toString(), "--json").out()));
        Path cdx = dir.resolve("scanfix.cdx.json");
        Path spdx = dir.resolve("scanfix.spdx.json");
        writeSboms(cdx, spdx);
        Path lock = spec.resolveSibling("scanfix.lock.json");
        assertThat(lock).exists();
        for (Path input : List.of(cdx, spdx, lock)) {
            Cli r = Cli.run("scan", input.toString(), "--db", osv.toString(), "--json");
            assertThat(r.exit()).as(input + ": " + r).isZero();
            JsonNode report = json(r.out());
            assertThat(report.path("ecosystem").asText()).as(input.toString()).isEqualTo("Debian:12");
            assertThat(rows(report)).as(input.toString()).isEqualTo(fromImage);
        }
    }

    /** Our own SBOM writers, fed with the packages and os-release read back from the built image. */
    private void writeSboms(Path cdx, Path spdx) throws Exception {
        OciLayout layout = LayoutReader.open(image);
        OciLayout.Image img = layout.images(null, p -> true).getFirst();
        FileTree tree = ImageFiles.flatten(layout, img);
        Map<String, String> rel = OsRelease.read(tree);
        List<SbomPackage> pkgs = new ArrayList<>();
        for (InstalledPackages.WithSource p : InstalledPackages.readWithSources(tree)) {
            pkgs.add(new SbomPackage("deb", p.name(), p.version(), p.arch(), p.sourceName(), p.sourceVersion(),
                    "Kolibri Tests <tests@kolibri.invalid>", null, null, null, null));
        }
        SbomInput in = new SbomInput(new ImageSubject("scanfix", "1", img.descriptor().digest(), img.platform(), List.of()),
                pkgs, Map.of(), 0, "test", new OsInfo(rel.get("ID"), rel.get("VERSION_ID")));
        Files.write(cdx, CycloneDxWriter.write(in));
        Files.write(spdx, SpdxWriter.write(in));
    }

    /**
     * Without base-files no package ships an os-release: the image's is written from the signed Release (Debian 12),
     * so the image, its build SBOMs and its lock all scan as Debian:12 with no --distro, with the same findings.
     */
    @Test
    void imageWithoutBaseFiles_scansAsItsRelease_withoutDistro() throws Exception {
        Path minimal = repo.spec(dir.resolve("images-min"), "scanmin", List.of("libfoo1", "bar"));
        Path out = dir.resolve("out/scanmin");
        Cli b = Cli.run("build", minimal.toString(), "-o", out.toString());
        assertThat(b.exit()).as(b.toString()).isZero();
        // progress for every stage, not only for downloads
        assertThat(b.err()).contains("amd64: unpacking 2 packages").contains("amd64: unpacked ")
                .contains("amd64: writing the layers (gzip").contains("amd64: wrote ");
        Path sboms = dir.resolve("out/scanmin/sbom/1");
        for (Path input : List.of(out, sboms.resolve("amd64.cdx.json"), sboms.resolve("amd64.spdx.json"),
                minimal.resolveSibling("scanmin.lock.json"))) {
            Cli r = Cli.run("scan", input.toString(), "--db", osv.toString(), "--json");
            assertThat(r.exit()).as(input + ": " + r).isZero();
            JsonNode report = json(r.out());
            assertThat(report.path("ecosystem").asText()).as(input.toString()).isEqualTo("Debian:12");
            assertThat(rows(report)).as(input.toString()).containsExactly(
                    "DEBIAN-CVE-2099-9002 bar 2.0-1 - medium",
                    "DSA-9001-1 libfoo1 1.0-1+b1 1.0-2 high");
        }
    }

    @Test
    void sbomWithoutOs_needsDistro() throws Exception {
        Path sbom = dir.resolve("foreign.spdx.json");
        Files.writeString(sbom, """
                {"spdxVersion": "SPDX-2.3", "packages": [
                  {"name": "libfoo1", "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                   "referenceLocator": "pkg:deb/debian/libfoo1@1.0-1%2Bb1?arch=amd64&upstream=foo%401.0-1"}]}]}
                """);
        Cli none = Cli.run("scan", sbom.toString(), "--db", osv.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("error: ").contains("names no operating system").contains("--distro");
        Cli given = Cli.run("scan", sbom.toString(), "--db", osv.toString(), "--distro", "debian-12", "--json");
        assertThat(given.exit()).as(given.toString()).isZero();
        assertThat(rows(json(given.out()))).containsExactly("DSA-9001-1 libfoo1 1.0-1+b1 1.0-2 high");
    }

    @Test
    void failOn_exitCodes() {
        assertThat(Cli.run("scan", image.toString(), "--db", osv.toString(), "--fail-on", "high").exit()).isEqualTo(3);
        Cli medium = Cli.run("scan", image.toString(), "--db", osv.toString(), "--fail-on", "medium");
        assertThat(medium.exit()).isEqualTo(3);
        assertThat(medium.err()).contains("2 findings at or above medium");
        assertThat(Cli.run("scan", image.toString(), "--db", osv.toString(), "--fail-on", "critical").exit()).isZero();
        Cli bad = Cli.run("scan", image.toString(), "--db", osv.toString(), "--fail-on", "severe");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("severe");
        assertThat(Cli.run("scan", image.toString()).exit()).as("missing --db").isEqualTo(2);
        assertThat(Cli.run("scan", image.toString(), "--db", osv.toString(), "--format", "xml").exit()).isEqualTo(2);
    }

    @Test
    void errors_oneLineAndExit1() throws Exception {
        Cli noDb = Cli.run("scan", image.toString(), "--db", dir.resolve("nope").toString());
        assertThat(noDb.exit()).isEqualTo(1);
        assertThat(noDb.err()).startsWith("error: ").contains("no such database").contains("db import");
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "this is not json");
        Cli notJson = Cli.run("scan", junk.toString(), "--db", osv.toString());
        assertThat(notJson.exit()).isEqualTo(1);
        assertThat(notJson.err()).contains("is not JSON");
        Cli missing = Cli.run("scan", dir.resolve("missing").toString(), "--db", osv.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no such image layout or file");
        Cli platform = Cli.run("scan", image.toString(), "--db", osv.toString(), "--platform", "linux/arm64");
        assertThat(platform.exit()).isEqualTo(1);
        assertThat(platform.err()).contains("no image for linux/arm64").contains("linux/amd64");
    }

    @Test
    void vex_suppresses_andShowSuppressedListsIt() throws Exception {
        Cli r = Cli.run("scan", image.toString(), "--db", osv.toString(), "--vex", vex.toString(), "--show-suppressed");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("1 finding (1 high), 1 suppressed by VEX")
                .contains("suppressed by VEX:")
                .containsPattern("DEBIAN-CVE-2099-9002 +bar 2.0-1 +vulnerable_code_not_in_execute_path");
        Cli hidden = Cli.run("scan", image.toString(), "--db", osv.toString(), "--vex", vex.toString());
        assertThat(hidden.out()).doesNotContain("suppressed by VEX:");
        JsonNode j = json(Cli.run("scan", image.toString(), "--db", osv.toString(), "--vex", vex.toString(), "--json").out());
        assertThat(j.path("summary").path("suppressed").asInt()).isEqualTo(1);
        assertThat(j.path("suppressed").get(0).path("id").asText()).isEqualTo("DEBIAN-CVE-2099-9002");
        // with the medium finding suppressed, only the high one is left for the gate
        assertThat(Cli.run("scan", image.toString(), "--db", osv.toString(), "--vex", vex.toString(), "--fail-on", "high").exit()).isEqualTo(3);
    }

    @Test
    void sarif_fileAndFormat() throws Exception {
        Path sarif = dir.resolve("reports/scan.sarif");
        Cli r = Cli.run("scan", image.toString(), "--db", osv.toString(), "--sarif", sarif.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("DSA-9001-1"); // the table still goes to stdout
        JsonNode s = json(Files.readString(sarif));
        assertThat(s.path("version").asText()).isEqualTo("2.1.0");
        JsonNode run = s.path("runs").get(0);
        assertThat(run.path("tool").path("driver").path("name").asText()).isEqualTo("kolibri");
        List<String> results = new ArrayList<>();
        for (JsonNode x : run.path("results")) results.add(x.path("ruleId").asText() + " " + x.path("level").asText());
        assertThat(results).containsExactlyInAnyOrder("DSA-9001-1 error", "DEBIAN-CVE-2099-9002 warning");
        Cli fmt = Cli.run("scan", image.toString(), "--db", osv.toString(), "--format", "sarif");
        assertThat(json(fmt.out())).isEqualTo(s);
    }

    @Test
    void dbImport_thenScanWithIndex_sameReport() throws Exception {
        Path idx = dir.resolve("vulndb");
        Cli imp = Cli.run("db", "import", osv.toString(), "-o", idx.toString());
        assertThat(imp.exit()).as(imp.toString()).isZero();
        assertThat(imp.out()).contains("imported 3 records (0 withdrawn) under 3 package keys").contains("wrote " + idx);
        Cli raw = Cli.run("scan", image.toString(), "--db", osv.toString(), "--json");
        Cli indexed = Cli.run("scan", image.toString(), "--db", idx.toString(), "--json");
        assertThat(indexed.exit()).isZero();
        assertThat(json(indexed.out())).isEqualTo(json(raw.out()));
        Cli j = Cli.run("db", "import", osv.toString(), "-o", idx.toString(), "--json");
        assertThat(json(j.out()).path("records").asInt()).isEqualTo(3);
        assertThat(json(j.out()).path("bytes").asLong()).isPositive();
        Cli missing = Cli.run("db", "import", dir.resolve("none").toString(), "-o", idx.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no such OSV source");
        assertThat(Cli.run("db", "import", osv.toString()).exit()).as("missing -o").isEqualTo(2);
    }

    @Test
    void buildScan_failOnHigh_refusedAndNothingWritten() throws Exception {
        Path out = dir.resolve("gated/scanfix");
        Cli r = Cli.run("build", spec.toString(), "-o", out.toString(), "--scan", osv.toString(), "--fail-on", "high");
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("error: amd64: 1 finding at or above high that a newer package fixes")
                .contains("DSA-9001-1 (libfoo1 1.0-1+b1, fixed in 1.0-2)").contains("nothing was written");
        assertThat(out).doesNotExist();
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertThat(s.toList()).as("no staging directory left").isEmpty();
        }
    }

    @Test
    void buildScan_findingWithoutFix_doesNotFail() throws Exception {
        Path barOnly = Files.createDirectories(dir.resolve("osv-bar"));
        Files.copy(osv.resolve("DEBIAN-CVE-2099-9002.json"), barOnly.resolve("DEBIAN-CVE-2099-9002.json"));
        Path out = dir.resolve("ungated/scanfix");
        Cli r = Cli.run("build", spec.toString(), "-o", out.toString(), "--scan", barOnly.toString(), "--fail-on", "medium");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("scan amd64: 1 findings, 0 at or above medium with a fix, 1 at or above it without one");
        assertThat(out.resolve("index.json")).exists();
        Cli critical = Cli.run("build", spec.toString(), "-o", dir.resolve("crit").toString(), "--scan", osv.toString(), "--fail-on", "critical");
        assertThat(critical.exit()).as(critical.toString()).isZero();
        assertThat(Cli.run("build", spec.toString(), "-o", dir.resolve("x").toString(), "--fail-on", "high").exit())
                .as("--fail-on without --scan").isEqualTo(2);
    }
}
