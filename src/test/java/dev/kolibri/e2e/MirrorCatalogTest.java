package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildEvents;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.build.BuildResult;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.inspect.Inspection;
import dev.kolibri.inspect.Inspector;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.oci.ImageRef;
import dev.kolibri.repo.AptSources;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog ({@code images/}) built from the machine's own Debian mirror ({@code url: system}) for amd64 and
 * arm64, judged by skopeo, umoci and podman. Tagged {@code mirror}; skipped, with the reason, when the machine has no
 * reachable apt source for trixie (the five images are the latest streams, on Debian 13). The definitions are copied to a temp directory so the repository's tracked
 * locks stay untouched (the committed locks are copied along and used while they match their definitions, so the
 * test builds what {@code ./kolibri build images/NAME.yaml} builds); downloads are shared through one cache under
 * {@code target/} (verified on every read). umoci unpacks the amd64 image of the two-arch layout by its
 * {@code TAG-amd64} tag.
 */
@Tag("mirror")
class MirrorCatalogTest {
    static final Path CATALOG = Path.of("images");
    static final Path CACHE = Path.of("target", "e2e-mirror-cache").toAbsolutePath();
    static final List<String> IMAGES = List.of("static", "core-runtime", "python", "nodejs", "openjdk");

    @TempDir static Path dir;
    static Kolibri kolibri;
    static final Map<String, BuildResult> BUILT = new HashMap<>();
    static final Map<String, Lockfile> LOCKS = new HashMap<>();

    @BeforeAll
    static void probeMirror() throws Exception {
        AptSources apt = MirrorProbe.reachable("trixie");
        Files.createDirectories(dir.resolve("distros"));
        try (var distros = Files.list(CATALOG.resolve("distros"))) {
            for (Path d : distros.toList()) Files.copy(d, dir.resolve("distros").resolve(d.getFileName()));
        }
        for (String name : IMAGES) {
            Files.copy(CATALOG.resolve(name + ".yaml"), dir.resolve(name + ".yaml"));
            for (String lock : List.of(name + ".lock.json", name + "-builder.lock.json")) {
                if (Files.exists(CATALOG.resolve(lock))) Files.copy(CATALOG.resolve(lock), dir.resolve(lock));
            }
        }
        Files.createDirectories(CACHE);
        kolibri = new Kolibri(new ContentStore(CACHE), Progress.SILENT, BuildEvents.SILENT, apt);
    }

    /** Locks (once) and builds (once per name, variant and arches) an image of the catalog copy. */
    static synchronized BuildResult build(String name, String variant, List<String> archs) throws Exception {
        String key = name + "/" + variant + "/" + archs;
        BuildResult done = BUILT.get(key);
        if (done != null) return done;
        ImageSpec spec = Kolibri.load(dir.resolve(name + ".yaml"), variant);
        String lockKey = name + "/" + variant;
        if (!LOCKS.containsKey(lockKey)) LOCKS.put(lockKey, lockOf(spec));
        String suffix = archs.isEmpty() ? "all" : String.join("-", archs);
        Path out = dir.resolve("out").resolve(name + (variant == null ? "" : "-" + variant) + "-" + suffix);
        BuildResult r = kolibri.build(spec, new BuildOptions(out, archs, variant, true, false, Compression.GZIP, null));
        BUILT.put(key, r);
        return r;
    }

    /** The copied catalog lock when it still matches the definition, else a fresh one. */
    static Lockfile lockOf(ImageSpec spec) throws Exception {
        Path path = Lockfile.pathFor(spec);
        if (Files.exists(path)) {
            Lockfile lock = Lockfile.read(path);
            try {
                lock.checkMatches(spec);
                return lock;
            } catch (dev.kolibri.lock.LockMismatchException stale) {
                // the definition changed since the catalog was locked: resolve again
            }
        }
        return kolibri.lock(spec);
    }

    static BuildResult both(String name) throws Exception {
        return build(name, null, List.of());
    }

    static void skopeoReadsBothPlatforms(BuildResult r, String user, String entrypoint) throws Exception {
        for (String arch : List.of("amd64", "arm64")) {
            JsonNode c = Oracles.skopeoConfig(r.layout(), r.tag(), arch);
            assertThat(c.path("architecture").asText()).isEqualTo(arch);
            assertThat(c.path("config").path("User").asText()).isEqualTo(user);
            if (entrypoint == null) assertThat(c.path("config").path("Entrypoint").size()).isZero();
            else assertThat(c.path("config").path("Entrypoint").get(0).asText()).isEqualTo(entrypoint);
            assertThat(Oracles.skopeoInspect(r.layout(), r.tag(), arch).path("Layers").size()).isPositive();
        }
    }

    /** {@code kolibri inspect}: every platform carries the lock's packages and has no policy finding. */
    static Inspection inspectClean(String name, BuildResult r, String... mustHave) throws Exception {
        return inspect(name, r, List.of(), mustHave);
    }

    /** As {@link #inspectClean}, but the findings must be exactly {@code expected} ({@code rule path}). */
    static Inspection inspect(String name, BuildResult r, List<String> expected, String... mustHave) throws Exception {
        Inspection i = Inspector.inspect(new ImageRef(r.layout(), r.tag()));
        assertThat(i.platforms()).hasSize(2);
        for (Inspection.PlatformReport p : i.platforms()) {
            String arch = p.platform().replace("linux/", "");
            assertThat(p.findings().stream().map(f -> f.rule() + " " + f.path())).as(p.platform())
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(p.user()).isEqualTo("65532");
            assertThat(p.packages()).hasSize(LOCKS.get(name + "/null").packagesFor(arch).size());
            assertThat(p.packages().stream().map(Inspection.InstalledPackage::name)).contains(mustHave);
        }
        return i;
    }

    static void runtimeBase(String name, String... mustHave) throws Exception {
        BuildResult r = both(name);
        skopeoReadsBothPlatforms(r, "65532", null);
        inspectClean(name, r, mustHave);
        Path bundle = dir.resolve("bundle-" + name);
        try {
            Path rootfs = Oracles.umociUnpack(r.layout(), r.tag() + "-amd64", bundle);
            assertThat(Files.size(rootfs.resolve("etc/ssl/certs/ca-certificates.crt"))).isGreaterThan(100_000);
            assertThat(Files.readString(rootfs.resolve("etc/os-release"))).containsPattern("(?m)^ID=debian$");
            assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("nonroot:x:65532:65532:");
            assertThat(rootfs.resolve("bin/sh")).doesNotExist();
            assertThat(rootfs.resolve("usr/bin/dpkg")).doesNotExist();
        } finally {
            Oracles.remove(bundle);   // absolute symlinks inside make JUnit's temp dir cleanup noisy
        }
    }

    @Test
    void staticImage_noShell_noEntrypoint_caBundle_osRelease() throws Exception {
        runtimeBase("static", "base-files", "netbase", "tzdata", "ca-certificates");
    }

    @Test
    void coreRuntimeImage_carriesLibcAndOpenssl() throws Exception {
        runtimeBase("core-runtime", "libc6", "libssl3t64", "zlib1g", "ca-certificates");
    }

    @Test
    void python_runsAsNonroot_withCaCerts_andNoShell() throws Exception {
        BuildResult r = both("python");
        skopeoReadsBothPlatforms(r, "65532", "/usr/bin/python3.13");
        inspectClean("python", r, "python3.13-minimal", "libpython3.13-stdlib");
        String out = Oracles.podmanOk(r.layout(), r.tag(), null, "-c",
                "import os, ssl, json, sqlite3, zoneinfo; print(os.getuid()); "
                        + "print(len(ssl.create_default_context().get_ca_certs())); "
                        + "print(zoneinfo.ZoneInfo('Europe/Zurich').key); print(sqlite3.sqlite_version_info[0])");
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("65532");
        assertThat(Integer.parseInt(lines.get(1))).isGreaterThan(100);
        assertThat(lines.get(2)).isEqualTo("Europe/Zurich");
        assertThat(lines.get(3)).isEqualTo("3");
        Tools.Result sh = Oracles.podmanRun(r.layout(), r.tag(), "sh", "-c", "echo reached");
        assertThat(sh.exit()).isNotZero();
        assertThat(sh.out()).doesNotContain("reached");
    }

    @Test
    void nodejs_runsAsNonroot_withRootCertificates() throws Exception {
        BuildResult r = both("nodejs");
        skopeoReadsBothPlatforms(r, "65532", "/usr/bin/node");
        inspectClean("nodejs", r, "nodejs");
        String out = Oracles.podmanOk(r.layout(), r.tag(), null, "-e",
                "console.log(process.getuid(), require('tls').rootCertificates.length)");
        String[] f = out.strip().split(" ");
        assertThat(f[0]).isEqualTo("65532");
        assertThat(Integer.parseInt(f[1])).isGreaterThan(100);
    }

    @Test
    void openjdk_jvmRunsAsNonroot() throws Exception {
        BuildResult r = both("openjdk");
        skopeoReadsBothPlatforms(r, "65532", "/usr/bin/java");
        // util-linux (a dependency of the JRE package) brings a setuid su, and PAM's unix_chkpwd is setgid: warnings, not errors.
        inspect("openjdk", r, List.of("setuid /usr/bin/su", "setgid /usr/sbin/unix_chkpwd"), "openjdk-25-jre-headless", "util-linux");
        // The JVM itself, by its real path (the /usr/bin/java alternative is the test below).
        Tools.Result run = Oracles.podmanRun(r.layout(), r.tag(), "/usr/lib/jvm/java-25-openjdk-amd64/bin/java",
                "-XshowSettings:properties", "-version");
        String all = run.out() + run.err();
        assertThat(run.exit()).as(all).isZero();
        assertThat(all).contains("java.specification.version = 25").contains("user.name = nonroot")
                .contains("user.home = /home/nonroot");
    }

    /**
     * Issue 5: the build's SPDX 2.3 and CycloneDX 1.6 documents of every catalog image validate against the official
     * schemas (and SPDX's own model check), and list exactly the lock's packages, on both arches.
     */
    @Test
    void everyCatalogImage_sbomsValidateAndListTheLockedPackages() throws Exception {
        for (String name : IMAGES) {
            BuildResult r = both(name);
            Path sboms = r.sbomDir();
            for (String arch : List.of("amd64", "arm64")) {
                String what = name + " " + arch;
                byte[] spdx = Files.readAllBytes(sboms.resolve(arch + ".spdx.json"));
                byte[] cdx = Files.readAllBytes(sboms.resolve(arch + ".cdx.json"));
                assertThat(dev.kolibri.sbom.Validators.spdxSchemaErrors(spdx)).as(what + " SPDX schema").isEmpty();
                assertThat(dev.kolibri.sbom.Validators.spdxModelErrors(spdx, dir)).as(what + " SPDX model").isEmpty();
                assertThat(dev.kolibri.sbom.Validators.cycloneDxErrors(cdx)).as(what + " CycloneDX schema").isEmpty();
                java.util.Set<String> locked = new java.util.TreeSet<>();
                LOCKS.get(name + "/null").packagesFor(arch).forEach(p -> locked.add(p.name() + " " + p.version()));
                java.util.Set<String> listed = new java.util.TreeSet<>();
                for (JsonNode c : new com.fasterxml.jackson.databind.ObjectMapper().readTree(cdx).path("components")) {
                    if (c.path("type").asText().equals("library")) listed.add(c.path("name").asText() + " " + c.path("version").asText());
                }
                assertThat(listed).as(what + " CycloneDX components").isEqualTo(locked);
            }
        }
    }

    /** The postinst work done natively: the /usr/bin/java alternative (from the .jinfo) and the JKS cacerts. */
    @Test
    void openjdk_entrypointAndCacerts() throws Exception {
        BuildResult r = both("openjdk");
        Tools.Result run = Oracles.podmanRun(r.layout(), r.tag(), null, "-XshowSettings:properties", "-version");
        String all = run.out() + run.err();
        assertThat(run.exit()).as(all).isZero();
        assertThat(all).contains("user.name = nonroot");
        Path bundle = dir.resolve("bundle-openjdk");
        try {
            Path rootfs = Oracles.umociUnpack(r.layout(), r.tag() + "-amd64", bundle);
            Path cacerts = rootfs.resolve("etc/ssl/certs/java/cacerts");
            assertThat(Files.size(cacerts)).isGreaterThan(10_000);
            java.security.KeyStore ks = java.security.KeyStore.getInstance("JKS");
            try (var in = Files.newInputStream(cacerts)) {
                ks.load(in, "changeit".toCharArray());
            }
            assertThat(ks.size()).isGreaterThan(100);
        } finally {
            Oracles.remove(bundle);
        }
    }

    @Test
    void builderVariants_runBashAsRoot() throws Exception {
        for (String name : IMAGES) {
            BuildResult r = build(name, "builder", List.of("amd64"));
            String out = Oracles.podmanOk(r.layout(), r.tag(), null, "-c", "id -u; ls /bin/sh");
            assertThat(out).as(name + "-builder").isEqualTo("0\n/bin/sh\n");
        }
    }
}
