package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.packageurl.PackageURL;
import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildEvents;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.build.BuildResult;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.LockedRepository;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.repo.AptSources;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.DebBuilder;
import dev.kolibri.testing.StaticHttpServer;
import dev.kolibri.testing.SuiteArchive;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where packages come from (issue "package sources"): {@code url: system} reaching suites this machine does not list,
 * locks that name no mirror, and the distro identity of the signed Release carried into os-release, labels, SBOM
 * purls and scans, for images without {@code base-files}.
 *
 * <p>Two fixture "mirrors" on 127.0.0.1 serve the same archive (made by dpkg-deb, apt-ftparchive and gpg): each has
 * a main archive (bookworm, trixie, sid) and a security archive (bookworm-security, trixie-security) on servers of
 * their own, as Debian's are. Two apt configurations name the two mirrors, each listing only bookworm and
 * bookworm-security, as this Debian 12 machine does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageSourcesTest {
    @TempDir static Path dir;
    private final List<StaticHttpServer> servers = new ArrayList<>();
    private StaticHttpServer mainA;
    private StaticHttpServer securityA;
    private StaticHttpServer mainB;
    private Path aptA;
    private Path aptB;
    private Path keyring;
    private Path osv;

    @BeforeAll
    void mirrors() throws Exception {
        SuiteArchive main = SuiteArchive.create(dir, "archive-a/debian");
        SuiteArchive security = SuiteArchive.create(dir, "archive-a/debian-security");
        keyring = main.keyring();
        // CycloneDX's schema checks contact e-mails against the IANA TLD list, which has no .invalid: use example.org.
        main.publish(SuiteArchive.debian("Debian", "oldstable", "bookworm", "12.9"), List.of(
                DebBuilder.deb("libfoo1", "1.0-1+b1", "all").field("Source", "foo (1.0-1)")
                        .field("Maintainer", "Kolibri Tests <tests@example.org>")
                        .file("usr/lib/libfoo.so.1", "foo 1.0-1\n"),
                DebBuilder.deb("bar", "2.0-1", "all").field("Maintainer", "Kolibri Tests <tests@example.org>")
                        .file("usr/share/bar/README", "bar\n")));
        security.publish(SuiteArchive.debian("Debian-Security", "oldstable-security", "bookworm-security", "12"), List.of(
                DebBuilder.deb("libsec1", "1.0-1+deb12u1", "all").field("Source", "sec")
                        .file("usr/lib/libsec.so.1", "sec bookworm\n")));
        main.publish(SuiteArchive.debian("Debian", "stable", "trixie", "13.1"), List.of(
                DebBuilder.deb("libfoo1", "1.0-2+b1", "all").field("Source", "foo (1.0-2)")
                        .file("usr/lib/libfoo.so.1", "foo 1.0-2\n")));
        security.publish(SuiteArchive.debian("Debian-Security", "stable-security", "trixie-security", "13"), List.of(
                DebBuilder.deb("libsec1", "1.0-1+deb13u1", "all").field("Source", "sec")
                        .file("usr/lib/libsec.so.1", "sec trixie\n")));
        main.publish(SuiteArchive.debian("Debian", "unstable", "sid", null), List.of(
                DebBuilder.deb("libfoo1", "1.0-3", "all").field("Source", "foo")
                        .file("usr/lib/libfoo.so.1", "foo 1.0-3\n")));
        // mirror B: the same archive, byte for byte, elsewhere
        Tools.ok(null, "cp", "-a", dir.resolve("archive-a").toString(), dir.resolve("archive-b").toString());

        mainA = serve(main.root());
        securityA = serve(security.root());
        mainB = serve(dir.resolve("archive-b/debian"));
        StaticHttpServer securityB = serve(dir.resolve("archive-b/debian-security"));
        aptA = aptConfig("apt-a", mainA, securityA);
        aptB = aptConfig("apt-b", mainB, securityB);
        osv = advisories();
    }

    @AfterAll
    void stop() {
        servers.forEach(StaticHttpServer::close);
    }

    private StaticHttpServer serve(Path root) throws IOException {
        StaticHttpServer s = StaticHttpServer.serve(root);
        servers.add(s);
        return s;
    }

    /** An apt directory listing only bookworm (main archive) and bookworm-security, signed by the fixture key. */
    private Path aptConfig(String name, StaticHttpServer mainServer, StaticHttpServer securityServer) throws IOException {
        Path apt = Files.createDirectories(dir.resolve(name));
        Files.writeString(apt.resolve("sources.list"),
                "deb [signed-by=" + keyring + "] " + mainServer.base() + " bookworm main\n"
                        + "deb [signed-by=" + keyring + "] " + securityServer.base() + " bookworm-security main\n");
        return apt;
    }

    /** OSV records in Debian's published shape: foo fixed in 1.0-2 on Debian 12, and in 1.0-3 on Debian 13. */
    private Path advisories() throws IOException {
        Path d = Files.createDirectories(dir.resolve("osv"));
        Files.writeString(d.resolve("DSA-9001-1.json"), osvRecord("DSA-9001-1", "Debian:12", "foo", "1.0-2"));
        Files.writeString(d.resolve("DSA-9101-1.json"), osvRecord("DSA-9101-1", "Debian:13", "foo", "1.0-3"));
        return d;
    }

    private static String osvRecord(String id, String ecosystem, String source, String fixed) {
        return """
                {"schema_version": "1.6.0", "id": "%s", "modified": "2025-01-10T00:00:00Z",
                 "aliases": ["CVE-2099-9001"], "details": "foo overflows.",
                 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected": [{"package": {"ecosystem": "%s", "name": "%s", "purl": "pkg:deb/debian/%s?arch=source"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s"}]}]}]}
                """.formatted(id, ecosystem, source, source, fixed);
    }

    private Path definition(String name, List<String> suites, List<String> packages) throws IOException {
        StringBuilder y = new StringBuilder("name: " + name + "\nversion: \"1\"\nrepositories:\n");
        for (String s : suites) y.append("  - {type: deb, url: system, suite: ").append(s).append("}\n");
        y.append("packages: [").append(String.join(", ", packages)).append("]\narchs: [amd64, arm64]\n");
        Path defs = Files.createDirectories(dir.resolve("defs"));
        Path f = defs.resolve(name + ".yaml");
        Files.writeString(f, y.toString());
        return f;
    }

    private Kolibri kolibri(Path apt, String cache) throws Exception {
        return new Kolibri(new ContentStore(dir.resolve(cache)), Progress.SILENT, BuildEvents.SILENT, AptSources.load(apt),
                Path.of("/"));
    }

    private static BuildOptions out(Path layout) {
        return new BuildOptions(layout, List.of(), null, true, false, Compression.GZIP, 1_700_000_000L);
    }

    private static long requestsUnder(StaticHttpServer s, String prefix) {
        return s.requests().stream().filter(r -> r.startsWith(prefix)).count();
    }

    @Test
    void suitesTheMachineDoesNotList_comeFromTheSourceOfTheSameArchive() throws Exception {
        Path def = definition("trixie", List.of("trixie", "trixie-security"), List.of("libfoo1", "libsec1"));
        ImageSpec spec = Kolibri.load(def, null);
        Lockfile lock = kolibri(aptA, "cache-t").lock(spec);

        assertThat(lock.repositories()).extracting(LockedRepository::id).containsExactly("system trixie", "system trixie-security");
        assertThat(lock.repositories()).allSatisfy(r -> assertThat(r.url()).isEqualTo("system"));
        assertThat(lock.packagesFor("arm64")).extracting(p -> p.name() + "=" + p.version() + "@" + p.repository())
                .containsExactly("libfoo1=1.0-2+b1@system trixie", "libsec1=1.0-1+deb13u1@system trixie-security");
        // trixie from the source of the machine's release suite, trixie-security from that of its security suite
        assertThat(requestsUnder(mainA, "dists/trixie/InRelease")).isPositive();
        assertThat(requestsUnder(securityA, "dists/trixie-security/InRelease")).isPositive();
        assertThat(requestsUnder(mainA, "dists/trixie-security/")).isZero();
        assertThat(lock.repositories().get(0).release().codename()).isEqualTo("trixie");
        assertThat(lock.repositories().get(0).release().version()).isEqualTo("13.1");
    }

    @Test
    void oneLock_buildsByteIdenticalImages_againstEitherMirror() throws Exception {
        Path def = definition("twomirrors", List.of("bookworm", "bookworm-security"), List.of("libfoo1", "bar", "libsec1"));
        ImageSpec spec = Kolibri.load(def, null);
        kolibri(aptA, "cache-a").lock(spec);
        byte[] lockBytes = Files.readAllBytes(Lockfile.pathFor(spec));
        assertThat(new String(lockBytes, StandardCharsets.UTF_8)).doesNotContain("://").doesNotContain("127.0.0.1");

        BuildResult a = kolibri(aptA, "cache-a").build(spec, out(dir.resolve("out/a")));
        long before = requestsUnder(mainB, "pool/");
        BuildResult b = kolibri(aptB, "cache-b").build(spec, out(dir.resolve("out/b")));
        assertThat(requestsUnder(mainB, "pool/")).as("mirror B served the packages of the second build").isGreaterThan(before);
        assertThat(b.index()).isEqualTo(a.index());
        // the whole layout, SBOM artifacts included, names no mirror: the same bytes
        assertThat(Files.readAllBytes(dir.resolve("out/b/index.json"))).isEqualTo(Files.readAllBytes(dir.resolve("out/a/index.json")));
        assertThat(Oracles.skopeoInspect(dir.resolve("out/b"), "1", "arm64").path("Digest").asText())
                .isEqualTo(Oracles.skopeoInspect(dir.resolve("out/a"), "1", "arm64").path("Digest").asText());
    }

    @Test
    void unservedSuite_failsNamingTheSuiteAndTheUrlTried() throws Exception {
        Path def = definition("forky", List.of("forky"), List.of("libfoo1"));
        ImageSpec spec = Kolibri.load(def, null);
        assertThatThrownBy(() -> kolibri(aptA, "cache-f").lock(spec))
                .hasMessageContaining("'forky'").hasMessageContaining(mainA.base() + "dists/forky/");
    }

    @Test
    void withoutBaseFiles_bookworm_isDebian12_inOsReleaseLabelsSbomAndScan() throws Exception {
        Path def = definition("nobase12", List.of("bookworm", "bookworm-security"), List.of("libfoo1", "bar"));
        ImageSpec spec = Kolibri.load(def, null);
        Kolibri k = kolibri(aptA, "cache-12");
        k.lock(spec);
        Path layout = dir.resolve("out/nobase12");
        k.build(spec, out(layout));

        Map<String, String> osr = osRelease(layout, "bundle12");
        assertThat(osr).containsEntry("ID", "debian").containsEntry("VERSION_ID", "12")
                .containsEntry("VERSION_CODENAME", "bookworm").containsEntry("NAME", "Debian GNU/Linux")
                .containsEntry("PRETTY_NAME", "Debian GNU/Linux 12 (bookworm)");
        JsonNode labels = Oracles.skopeoConfig(layout, "1", "amd64").path("config").path("Labels");
        assertThat(labels.path("dev.kolibri.image.distro").asText()).isEqualTo("debian-12");
        assertThat(labels.path("dev.kolibri.image.os-release").asText()).isEqualTo("kolibri");

        // purls as the purl spec's deb examples have them (pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie)
        PackageURL foo = purlOf(cyclonedx(layout, "amd64"), "libfoo1");
        assertThat(foo.getType()).isEqualTo("deb");
        assertThat(foo.getNamespace()).isEqualTo("debian");
        assertThat(foo.getVersion()).isEqualTo("1.0-1+b1");
        assertThat(foo.getQualifiers()).containsEntry("arch", "all").containsEntry("distro", "debian-12")
                .containsEntry("upstream", "foo@1.0-1");
        assertThat(spdxPurls(layout, "amd64")).contains(foo.canonicalize());
        // both documents still valid without base-files
        Path sboms = dev.kolibri.build.ImageBuilder.sbomDirOf(layout, "1");
        byte[] spdx = Files.readAllBytes(sboms.resolve("amd64.spdx.json"));
        assertThat(dev.kolibri.sbom.Validators.spdxSchemaErrors(spdx)).isEmpty();
        assertThat(dev.kolibri.sbom.Validators.spdxModelErrors(spdx, dir)).isEmpty();
        assertThat(dev.kolibri.sbom.Validators.cycloneDxErrors(Files.readAllBytes(sboms.resolve("amd64.cdx.json")))).isEmpty();

        Run scan = Run.of("scan", layout.toString(), "--db", osv.toString(), "--json");
        assertThat(scan.exit()).as(scan.toString()).isZero();
        JsonNode report = Oracles.JSON.readTree(scan.out());
        assertThat(report.path("ecosystem").asText()).isEqualTo("Debian:12");
        assertThat(ids(report)).containsExactly("DSA-9001-1 libfoo1");
    }

    @Test
    void withoutBaseFiles_trixie_isDebian13_andScansAgainstDebian13() throws Exception {
        Path def = definition("nobase13", List.of("trixie", "trixie-security"), List.of("libfoo1", "libsec1"));
        ImageSpec spec = Kolibri.load(def, null);
        Kolibri k = kolibri(aptA, "cache-13");
        k.lock(spec);
        Path layout = dir.resolve("out/nobase13");
        k.build(spec, out(layout));
        PackageURL foo = purlOf(cyclonedx(layout, "arm64"), "libfoo1");
        assertThat(foo.getQualifiers()).containsEntry("distro", "debian-13");

        Run scan = Run.of("scan", layout.toString(), "--db", osv.toString(), "--platform", "linux/arm64", "--json");
        assertThat(scan.exit()).as(scan.toString()).isZero();
        JsonNode report = Oracles.JSON.readTree(scan.out());
        assertThat(report.path("ecosystem").asText()).isEqualTo("Debian:13");
        // foo 1.0-2 is fixed for Debian 12's advisory but not for Debian 13's (fixed in 1.0-3)
        assertThat(ids(report)).containsExactly("DSA-9101-1 libfoo1");

        Run lockScan = Run.of("scan", Lockfile.pathFor(spec).toString(), "--db", osv.toString(), "--json");
        assertThat(lockScan.exit()).as(lockScan.toString()).isZero();
        assertThat(Oracles.JSON.readTree(lockScan.out()).path("ecosystem").asText()).isEqualTo("Debian:13");
    }

    @Test
    void sid_hasNoReleaseNumber_andSaysSo() throws Exception {
        Path def = definition("sid", List.of("sid"), List.of("libfoo1"));
        ImageSpec spec = Kolibri.load(def, null);
        Kolibri k = kolibri(aptA, "cache-sid");
        Lockfile lock = k.lock(spec);
        assertThat(lock.packagesFor("amd64")).extracting(LockedPackage::version).containsExactly("1.0-3");
        Path layout = dir.resolve("out/sid");
        k.build(spec, out(layout));
        Map<String, String> osr = osRelease(layout, "bundle-sid");
        assertThat(osr).containsEntry("ID", "debian").containsEntry("VERSION_CODENAME", "sid").doesNotContainKey("VERSION_ID");

        Run scan = Run.of("scan", layout.toString(), "--db", osv.toString());
        assertThat(scan.exit()).as(scan.toString()).isEqualTo(1);
        assertThat(scan.err()).contains("--distro");
    }

    /**
     * An armhf image (platform linux/arm/v7) built and pushed with {@code build --push}: its SBOMs, named
     * {@code arm-v7.*} by the build, are found and travel with it (the push once looked for {@code arm.*}).
     */
    @Test
    void armhfImage_buildPush_findsAndCarriesItsSboms() throws Exception {
        Tools.require("docker-registry", "skopeo");
        Path defs = Files.createDirectories(dir.resolve("defs-arm"));
        Path def = defs.resolve("armtest.yaml");
        Files.writeString(def, """
                name: armtest
                version: "1"
                repositories:
                  - {type: deb, url: "%s", suite: bookworm, keyring: "%s"}
                packages: [libfoo1, bar]
                archs: [armhf]
                """.formatted(mainA.base(), keyring));
        Path out = dir.resolve("out/armtest");
        try (dev.kolibri.testing.RegistryServer reg = dev.kolibri.testing.RegistryServer.start(dir.resolve("reg"))) {
            String ref = reg.host() + "/team/armtest:1";
            Run r = Run.of("build", def.toString(), "-o", out.toString(), "--push", ref, "-q");
            assertThat(r.exit()).as(r.toString()).isZero();
            Path sboms = dev.kolibri.build.ImageBuilder.sbomDirOf(out, "1");
            assertThat(sboms.resolve("arm-v7.spdx.json")).isRegularFile();
            assertThat(sboms.resolve("arm-v7.cdx.json")).isRegularFile();
            JsonNode index = Oracles.JSON.readTree(Tools.ok(null, "skopeo", "inspect", "--raw", "--tls-verify=false",
                    "docker://" + ref).out());
            assertThat(index.path("manifests")).hasSize(1);
            assertThat(index.path("manifests").get(0).path("platform").path("variant").asText()).isEqualTo("v7");
            String platformDigest = index.path("manifests").get(0).path("digest").asText();
            // cosign's SBOM tag of the arm/v7 manifest holds the build's SPDX document, byte for byte
            JsonNode cosign = Oracles.JSON.readTree(Tools.ok(null, "skopeo", "inspect", "--raw", "--tls-verify=false",
                    "docker://" + reg.host() + "/team/armtest:" + platformDigest.replace(':', '-') + ".sbom").out());
            assertThat(cosign.path("layers").get(0).path("mediaType").asText()).isEqualTo("text/spdx+json");
            assertThat(cosign.path("layers").get(0).path("digest").asText()).isEqualTo(dev.kolibri.oci.Digest.sha256(
                    Files.readAllBytes(sboms.resolve("arm-v7.spdx.json"))).toString());
        }
    }

    /** The CLI in-process: exit code and streams. */
    private record Run(int exit, String out, String err) {
        static Run of(String... args) {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int exit = dev.kolibri.cli.Main.run(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
            return new Run(exit, out.toString(), err.toString());
        }
    }

    private static List<String> ids(JsonNode report) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : report.path("findings")) out.add(f.path("id").asText() + " " + f.path("package").asText());
        return out;
    }

    /** The os-release of the layout's amd64 image, as umoci unpacks it (into {@code dir/bundle}, removed after). */
    private static Map<String, String> osRelease(Path layout, String bundle) throws IOException {
        Path b = dir.resolve(bundle);
        Map<String, String> out = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(Oracles.umociUnpack(layout, "1-amd64", b).resolve("etc/os-release"))) {
                int eq = line.indexOf('=');
                if (eq > 0) out.put(line.substring(0, eq), line.substring(eq + 1).replaceAll("^\"|\"$", ""));
            }
        } finally {
            Oracles.remove(b);
        }
        return out;
    }

    private static JsonNode cyclonedx(Path layout, String arch) throws IOException {
        return Oracles.JSON.readTree(layout.resolve("sbom/1").resolve(arch + ".cdx.json").toFile());
    }

    private static PackageURL purlOf(JsonNode cdx, String name) throws Exception {
        for (JsonNode c : cdx.path("components")) {
            if (c.path("name").asText().equals(name)) return new PackageURL(c.path("purl").asText());
        }
        throw new AssertionError("no component " + name);
    }

    private static List<String> spdxPurls(Path layout, String arch) throws IOException {
        JsonNode spdx = Oracles.JSON.readTree(layout.resolve("sbom/1").resolve(arch + ".spdx.json").toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode p : spdx.path("packages")) {
            for (JsonNode r : p.path("externalRefs")) if (r.path("referenceType").asText().equals("purl")) out.add(r.path("referenceLocator").asText());
        }
        return out;
    }
}
