package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildEvents;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.build.BuildResult;
import dev.kolibri.cli.Main;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.repo.AptSources;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hello image from the fixture repository, locked and built through the library, then judged by skopeo,
 * umoci, podman (runc) and {@code kolibri inspect --json}.
 */
class FixtureImageTest {
    @TempDir static Path dir;
    static Fixture fixture;
    static Fixture.Served served;
    static Lockfile lock;
    static Path multi;
    static Path single;
    static BuildResult multiResult;

    static Kolibri kolibri(Path cache, Path dir) throws Exception {
        Path apt = Files.createDirectories(dir.resolve("empty-apt"));
        return new Kolibri(new ContentStore(cache), Progress.SILENT, BuildEvents.SILENT, AptSources.load(apt));
    }

    static BuildOptions options(Path out, List<String> archs) {
        return new BuildOptions(out, archs, null, false, false, Compression.GZIP, null);
    }

    @BeforeAll
    static void buildHello() throws Exception {
        fixture = Fixture.get();
        served = fixture.serve(dir);
        Path def = fixture.definition(dir.resolve("defs"), served, "hello", List.of("fixture-base", "hello"),
                "entrypoint: [/usr/bin/hello]");
        ImageSpec spec = Kolibri.load(def, null);
        Kolibri k = kolibri(dir.resolve("cache"), dir);
        lock = k.lock(spec);
        multi = dir.resolve("out/hello");
        single = dir.resolve("out/hello-amd64");
        multiResult = k.build(spec, options(multi, List.of()));
        k.build(spec, options(single, List.of("amd64")));
    }

    @AfterAll
    static void stop() {
        if (served != null) served.close();
    }

    static List<String> names(List<LockedPackage> ps) {
        return ps.stream().map(p -> p.name() + "=" + p.version() + ":" + p.arch()).toList();
    }

    @Test
    void lock_pinsNewestLibfoo_forBothArches() throws Exception {
        assertThat(Files.exists(dir.resolve("defs/hello.lock.json"))).isTrue();
        assertThat(names(lock.packagesFor("amd64")))
                .containsExactly("fixture-base=1.0:all", "hello=1.0:amd64", "libfoo=2.0:all");
        assertThat(names(lock.packagesFor("arm64")))
                .containsExactly("fixture-base=1.0:all", "hello=1.0:arm64", "libfoo=2.0:all");
        // paths inside the repository: the lock names no host
        assertThat(lock.packagesFor("amd64")).allSatisfy(p -> assertThat(p.path()).startsWith("pool/").doesNotContain("://"));
    }

    @Test
    void skopeo_readsBothPlatforms() throws Exception {
        for (String arch : List.of("amd64", "arm64")) {
            JsonNode i = Oracles.skopeoInspect(multi, multiResult.tag(), arch);
            assertThat(i.path("Architecture").asText()).isEqualTo(arch);
            assertThat(i.path("Os").asText()).isEqualTo("linux");
            assertThat(i.path("Layers").size()).isGreaterThanOrEqualTo(1);
            JsonNode c = Oracles.skopeoConfig(multi, multiResult.tag(), arch);
            assertThat(c.path("config").path("User").asText()).isEqualTo("65532");
            assertThat(c.path("config").path("Entrypoint").get(0).asText()).isEqualTo("/usr/bin/hello");
            assertThat(c.path("architecture").asText()).isEqualTo(arch);
        }
        assertThat(multiResult.tag()).isEqualTo("1");
        assertThat(multiResult.images()).hasSize(2);
    }

    @Test
    void umoci_unpacksTheDistrolessRootfs() throws Exception {
        Path rootfs = Oracles.umociUnpack(single, "1", dir.resolve("bundle"));
        assertThat(Files.readString(rootfs.resolve("etc/passwd"))).containsPattern("(?m)^nonroot:x:65532:65532:");
        assertThat(Files.readString(rootfs.resolve("etc/group"))).containsPattern("(?m)^nonroot:x:65532:");
        assertThat(Files.isDirectory(rootfs.resolve("home/nonroot"))).isTrue();
        if (Oracles.isRoot()) {
            assertThat(Files.getAttribute(rootfs.resolve("home/nonroot"), "unix:uid")).isEqualTo(65532);
            assertThat(Files.getAttribute(rootfs.resolve("home/nonroot"), "unix:gid")).isEqualTo(65532);
        }
        int tmpMode = (Integer) Files.getAttribute(rootfs.resolve("tmp"), "unix:mode");
        assertThat(tmpMode & 07777).isEqualTo(01777);
        Path statusD = rootfs.resolve("var/lib/dpkg/status.d");
        assertThat(Files.readString(statusD.resolve("hello"))).contains("Package: hello\n").contains("Version: 1.0\n")
                .contains("Status: install ok installed");
        assertThat(Files.readString(statusD.resolve("hello.md5sums"))).contains("usr/bin/hello");
        assertThat(Files.readString(statusD.resolve("libfoo"))).contains("Version: 2.0\n");
        assertThat(Files.readString(rootfs.resolve("usr/share/libfoo/version"))).isEqualTo("2.0\n");
        assertThat(Files.readString(rootfs.resolve("etc/os-release"))).contains("ID=kolibri-fixture");
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(rootfs.resolve("usr/bin/hello"));
        assertThat(perms).contains(PosixFilePermission.OTHERS_EXECUTE);
        assertThat(rootfs.resolve("bin/sh")).doesNotExist();
        // md5sums as dpkg writes them: the program's checksum matches the unpacked file.
        Tools.Result md5 = Tools.run(rootfs, java.util.Map.of(), List.of("md5sum", "-c", statusD.resolve("hello.md5sums").toString()));
        assertThat(md5.exit()).as(md5.out() + md5.err()).isZero();
    }

    @Test
    void podman_runsHelloAsNonroot_andThereIsNoShell() throws Exception {
        Assumptions.assumeTrue(fixture.helloSkipReason == null, fixture.helloSkipReason);
        String out = Oracles.podmanOk(multi, multiResult.tag(), null);
        assertThat(out).isEqualTo("uid=65532\nhello\n");
        Tools.Result sh = Oracles.podmanRun(multi, multiResult.tag(), "/bin/sh", "-c", "echo reached");
        assertThat(sh.exit()).isNotZero();
        assertThat(sh.out()).doesNotContain("reached");
    }

    @Test
    void inspectJson_reportsUserEntrypointPackages_noFindings() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"inspect", "--json", multi + ":" + multiResult.tag()}, new PrintWriter(out),
                new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        JsonNode r = Oracles.JSON.readTree(out.toString());
        assertThat(r.path("tag").asText()).isEqualTo("1");
        assertThat(r.path("digest").asText()).isEqualTo(multiResult.index().toString());
        assertThat(r.path("platforms")).hasSize(2);
        for (JsonNode p : r.path("platforms")) {
            String arch = p.path("platform").asText().replace("linux/", "");
            assertThat(p.path("user").asText()).isEqualTo("65532");
            assertThat(p.path("entrypoint").get(0).asText()).isEqualTo("/usr/bin/hello");
            assertThat(p.path("packages").size()).isEqualTo(lock.packagesFor(arch).size());
            assertThat(p.path("findings").size()).as(p.path("findings").toString()).isZero();
            // build and inspect agree on "unpacked": the bytes of the image's files
            long built = multiResult.images().stream().filter(i -> i.platform().architecture().equals(arch)).findFirst()
                    .orElseThrow().uncompressedBytes();
            assertThat(p.path("uncompressedSize").asLong()).as(arch).isEqualTo(built).isPositive();
        }
    }

    /** Without --platform, sbom and scan read the same image of a multi-platform layout: linux/amd64. */
    @Test
    void sbomAndScan_agreeOnTheDefaultPlatform() throws Exception {
        String image = multi + ":" + multiResult.tag();
        String byDefault = run("sbom", image, "--format", "cyclonedx");
        assertThat(byDefault).isEqualTo(run("sbom", image, "--format", "cyclonedx", "--platform", "linux/amd64"))
                .isNotEqualTo(run("sbom", image, "--format", "cyclonedx", "--platform", "linux/arm64"));
        Path osv = java.nio.file.Files.createDirectories(dir.resolve("empty-osv"));
        assertThat(run("scan", image, "--db", osv.toString(), "--distro", "debian-12")).contains("(Debian:12, linux/amd64)");
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        int code = Main.run(args, o, e);
        o.flush();
        e.flush();
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }

    @Test
    void virtualPackage_isMetByExactlyOneProvider() throws Exception {
        Path def = fixture.definition(dir.resolve("defs-mta"), served, "mail", List.of("fixture-base", "mta"), null);
        Lockfile l = kolibri(dir.resolve("cache"), dir).lock(Kolibri.load(def, null));
        List<String> providers = l.packagesFor("amd64").stream().map(LockedPackage::name)
                .filter(n -> n.equals("exim-lite") || n.equals("postfix-lite")).toList();
        assertThat(providers).hasSize(1);
        assertThat(l.packagesFor("amd64")).hasSize(2);
    }
}
