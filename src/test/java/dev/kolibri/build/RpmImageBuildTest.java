package dev.kolibri.build;

import dev.kolibri.Kolibri;
import dev.kolibri.cli.Main;
import dev.kolibri.describe.ImageSbom;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.inspect.Inspection;
import dev.kolibri.inspect.Inspector;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.oci.ImageRef;
import dev.kolibri.repo.AptSources;
import dev.kolibri.repo.DnfOracle;
import dev.kolibri.sbom.SbomPackage;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.StaticHttpServer;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fedora-shaped images from a fixture RPM repository (rpmbuild, createrepo_c, gpg; served on loopback), built
 * through the {@link Kolibri} library exactly as {@code kolibri build} does, and checked by tools no one here
 * wrote: dnf chooses the same packages, the real rpm reads the rpmdb ({@code -qa}) and verifies every file
 * ({@code -Va}) on a rootfs unpacked by umoci, podman runs the static binary as 65532.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpmImageBuildTest {
    static final String RUNTIME_REST = """
            packages: [pyrt]
            install-weak-deps: true
            variants:
              builder: {add: [pyrt-devel, minishell], user: 0, allow-shell: true}
            """;
    static final String CORE_REST = """
            packages: [fixture-release, hello]
            entrypoint: [/usr/bin/hello]
            """;

    Path dir;
    RpmImageFixture.Repo repo;
    StaticHttpServer http;
    Kolibri kolibri;
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final Map<String, Built> built = new java.util.TreeMap<>();

    record Built(ImageSpec spec, Lockfile lock, BuildResult result, Path out) {}

    @BeforeAll
    void buildImages(@TempDir Path tmp) throws Exception {
        dir = tmp;
        repo = RpmImageFixture.copy(Files.createDirectories(dir.resolve("fixture")));
        http = StaticHttpServer.serve(repo.dir());
        Path defs = Files.createDirectories(dir.resolve("images"));
        Files.copy(repo.keyring(), defs.resolve("key.gpg"));
        RpmImageFixture.definition(defs, "python", http.base().toString(), RUNTIME_REST);
        RpmImageFixture.definition(defs, "core-runtime", http.base().toString(), CORE_REST);
        BuildEvents events = new BuildEvents() {
            @Override public void info(String line) {}
            @Override public void warn(String line) { warnings.add(line); }
        };
        kolibri = new Kolibri(new ContentStore(dir.resolve("cache")), Progress.SILENT, events,
                AptSources.load(Files.createDirectories(dir.resolve("apt"))), Files.createDirectories(dir.resolve("yumroot")));
        build("core-runtime", null);
        build("python", null);
        build("python", "builder");
    }

    private void build(String name, String variant) throws Exception {
        ImageSpec spec = Kolibri.load(dir.resolve("images/" + name + ".yaml"), variant);
        Lockfile lock = kolibri.lock(spec);
        Path out = dir.resolve("out/" + name + (variant == null ? "" : "-" + variant));
        BuildResult r = kolibri.build(spec, new BuildOptions(out, List.of(), variant, true, false, Compression.GZIP, null));
        built.put(name + (variant == null ? "" : "-" + variant), new Built(spec, lock, r, out));
    }

    @AfterAll
    void stop() {
        if (http != null) http.close();
        RpmImageFixture.stopAgent();
    }

    private static List<String> ids(Lockfile lock) {
        return lock.packagesFor("amd64").stream().map(p -> p.name() + "=" + p.version() + "/" + p.arch()).sorted().toList();
    }

    @Test
    void packageSets_equalDnfsChoice() throws Exception {
        assertThat(ids(built.get("core-runtime").lock())).containsExactly("filesystem=3.18-1/x86_64",
                "fixture-release=1-1/noarch", "hello=1.2-1/x86_64", "libgreet=2:1.0-4/x86_64", "setup=2.14-3/noarch");
        Map<String, String[]> requests = Map.of(
                "core-runtime", new String[] {"fixture-release", "hello"},
                "python", new String[] {"pyrt"},
                "python-builder", new String[] {"pyrt", "pyrt-devel", "minishell"});
        for (var e : requests.entrySet()) {
            DnfOracle.Answer dnf = DnfOracle.install(http.base(), dir, true, "x86_64", e.getValue());
            assertThat(dnf.error()).as("dnf on " + e.getKey()).isNull();
            assertThat(ids(built.get(e.getKey()).lock())).as(e.getKey()).isEqualTo(dnf.ids());
        }
        assertThat(ids(built.get("python").lock())).contains("pyrt-docs=3.12.1-2/noarch");
    }

    @Test
    void lock_recordsSourceRpmNameAndRepository() {
        Lockfile lock = built.get("core-runtime").lock();
        LockedPackage lib = lock.packagesFor("amd64").stream().filter(p -> p.name().equals("libgreet")).findFirst().orElseThrow();
        assertThat(lib.source()).isEqualTo("fixture");
        assertThat(lib.sourceVersion()).isEqualTo("2:1-1");
        // a path inside the repository, not a URL: the lock names no host
        assertThat(lib.path()).doesNotContain("://").endsWith("libgreet-1.0-4.x86_64.rpm");
        assertThat(lock.repositories()).singleElement().satisfies(r -> {
            assertThat(r.url()).isEqualTo(http.base().toString());
            assertThat(r.type()).isEqualTo("rpm");
            assertThat(r.suite()).isNull();
        });
    }

    /** umoci's rootfs of {@code TAG-amd64}. */
    private Path unpack(String image) throws Exception {
        Tools.require("umoci");
        Built b = built.get(image);
        Path bundle = dir.resolve("bundle-" + image);
        if (!Files.exists(bundle)) {
            Tools.ok(dir, "umoci", "unpack", "--image", b.out() + ":" + b.result().tag() + "-amd64", bundle.toString());
        }
        return bundle.resolve("rootfs");
    }

    private static TreeSet<String> rpmQa(Path rootfs) {
        Tools.require("rpm");
        String out = Tools.ok(null, "rpm", "--root", rootfs.toString(), "--dbpath", "/usr/lib/sysimage/rpm", "-qa",
                "--qf", "%{NAME}=%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}/%{ARCH}\\n").out();
        return new TreeSet<>(Arrays.stream(out.split("\n")).filter(s -> !s.isBlank()).toList());
    }

    @Test
    void rpm_readsTheRpmdb_andVerifiesEveryFile() throws Exception {
        for (String image : built.keySet()) {
            Path rootfs = unpack(image);
            assertThat(rpmQa(rootfs)).as(image).containsExactlyElementsOf(ids(built.get(image).lock()));
            Tools.Result va = Tools.run(null, Map.of("LC_ALL", "C"), List.of("rpm", "--root", rootfs.toString(),
                    "--dbpath", "/usr/lib/sysimage/rpm", "-Va"));
            // The accounts step appends nonroot to setup's passwd and group, as a useradd in a scriptlet would;
            // rpm reports the two config files as changed. Nothing else may differ.
            List<String> lines = Arrays.stream(va.out().split("\n")).filter(s -> !s.isBlank()).toList();
            assertThat(lines).as(image + ": rpm -Va\n" + va.out() + va.err())
                    .containsExactly("S.5......  c /etc/group", "S.5......  c /etc/passwd");
            assertThat(va.err()).as(image).isBlank();
        }
        Path core = unpack("core-runtime");
        assertThat(Files.readString(core.resolve("etc/passwd"))).contains("daemon:x:2:2:").contains("nonroot:x:65532:65532:");
        var owner = Files.getAttribute(core.resolve("usr/share/hello/owned-by-daemon"), "unix:uid");
        assertThat(owner).isEqualTo(2);
        assertThat(Files.getPosixFilePermissions(core.resolve("usr/bin")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        assertThat(Files.isSymbolicLink(core.resolve("var/lib/rpm"))).isTrue();
    }

    @Test
    void podman_runsTheStaticBinaryAsNonroot() throws Exception {
        Tools.require("podman", "runc");
        Built b = built.get("core-runtime");
        Path conf = Files.writeString(dir.resolve("containers.conf"), "[containers]\ndefault_ulimits = []\n");
        Path store = Files.createDirectories(dir.resolve("podman"));
        Tools.Result r = Tools.run(dir, Map.of("CONTAINERS_CONF", conf.toString()), List.of("podman",
                "--root", store.resolve("root").toString(), "--runroot", store.resolve("run").toString(),
                "--storage-driver", "vfs", "--runtime", "runc", "run", "--rm", "--network", "none",
                "oci:" + b.out() + ":" + b.result().tag() + "-amd64"));
        assertThat(r.out()).as(r.err()).isEqualTo("hello from uid 65532\n");
    }

    @Test
    void runtimeWithAShellProvider_isRefusedNamingThePackage() throws Exception {
        Path defs = Files.createDirectories(dir.resolve("shell"));
        Files.copy(repo.keyring(), defs.resolve("key.gpg"));
        RpmImageFixture.definition(defs, "withshell", http.base().toString(), "packages: [hello, minishell]\n");
        ImageSpec spec = Kolibri.load(defs.resolve("withshell.yaml"), null);
        Path out = dir.resolve("out/withshell");
        assertThatThrownBy(() -> kolibri.build(spec, new BuildOptions(out, List.of(), null, false, false, Compression.GZIP, null)))
                .hasMessageContaining("minishell").hasMessageContaining("/usr/bin/sh");
        assertThat(out).doesNotExist();
    }

    @Test
    void kolibriSbom_listsWhatRpmQaLists() throws Exception {
        for (String image : built.keySet()) {
            Built b = built.get(image);
            var in = ImageSbom.read(new ImageRef(b.out(), b.result().tag()), null, "dev");
            TreeSet<String> fromSbom = new TreeSet<>();
            for (SbomPackage p : in.packages()) fromSbom.add(p.name() + "=" + p.fullVersion() + "/" + p.arch());
            assertThat(fromSbom).as(image).isEqualTo(rpmQa(unpack(image)));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Built core = built.get("core-runtime");
        int rc = Main.run(new String[] {"sbom", core.out().toString(), "--format", "cyclonedx"}, new PrintWriter(out), new PrintWriter(err));
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).contains("pkg:rpm/kolibrifix/libgreet@1.0-4?arch=x86_64&distro=kolibrifix-1&epoch=2");
    }

    @Test
    void inspect_listsTheRpmPackages() throws Exception {
        Built b = built.get("python-builder");
        Inspection i = Inspector.inspect(new ImageRef(b.out(), null));
        assertThat(i.platforms()).singleElement().satisfies(p -> {
            assertThat(p.packages()).extracting(Inspection.InstalledPackage::name).contains("pyrt-devel", "minishell", "setup");
            assertThat(p.user()).isEqualTo("0");
        });
    }

    @Test
    void build_isReproducible() throws Exception {
        Built b = built.get("core-runtime");
        Path again = dir.resolve("again/core-runtime");
        BuildResult r = kolibri.build(b.spec(), new BuildOptions(again, List.of(), null, true, true, Compression.GZIP, null));
        assertThat(r.index()).isEqualTo(b.result().index());
    }

    @Test
    void tamperedRepomd_isRefused(@TempDir Path tmp) throws Exception {
        RpmImageFixture.Repo copy = RpmImageFixture.copy(tmp);
        Path repomd = copy.dir().resolve("repodata/repomd.xml");
        Files.writeString(repomd, Files.readString(repomd).replace("<revision>", "<revision>1"));
        try (StaticHttpServer s = StaticHttpServer.serve(copy.dir())) {
            Path def = RpmImageFixture.definition(tmp, "t", s.base().toString(), CORE_REST);
            assertThatThrownBy(() -> kolibri.lock(Kolibri.load(def, null)))
                    .hasMessageContaining("repomd.xml");
        }
    }

    @Test
    void tamperedPackage_isRefusedAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        RpmImageFixture.Repo copy = RpmImageFixture.copy(tmp);
        try (StaticHttpServer s = StaticHttpServer.serve(copy.dir())) {
            Path def = RpmImageFixture.definition(tmp, "t", s.base().toString(), CORE_REST);
            ImageSpec spec = Kolibri.load(def, null);
            Kolibri fresh = new Kolibri(new ContentStore(tmp.resolve("cache")), Progress.SILENT, BuildEvents.SILENT,
                    AptSources.load(Files.createDirectories(tmp.resolve("apt"))), tmp);
            fresh.lock(spec);
            Path rpm = copy.dir().resolve("libgreet-1.0-4.x86_64.rpm");
            byte[] bytes = Files.readAllBytes(rpm);
            bytes[bytes.length - 10] ^= 1;
            Files.write(rpm, bytes);
            Path out = tmp.resolve("out/t");
            assertThatThrownBy(() -> fresh.build(spec, new BuildOptions(out, List.of(), null, true, false, Compression.GZIP, null)))
                    .hasMessageContaining("libgreet");
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void systemSource_fromYumReposD_buildsTheSameLock(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc/yum.repos.d"));
        Files.createDirectories(root.resolve("etc/pki/rpm-gpg"));
        Files.copy(repo.keyring(), root.resolve("etc/pki/rpm-gpg/fixture.gpg"));
        Files.writeString(root.resolve("etc/yum.repos.d/fixture.repo"), """
                [fixture]
                name=Fixture $basearch
                baseurl=%s
                enabled=1
                gpgcheck=1
                repo_gpgcheck=1
                gpgkey=file:///etc/pki/rpm-gpg/fixture.gpg

                [disabled]
                baseurl=http://127.0.0.1:9/nothing/
                enabled=0
                """.formatted(http.base()));
        Path def = Files.writeString(tmp.resolve("core.yaml"), """
                name: core
                repositories:
                  - type: rpm
                    url: system
                archs: [amd64]
                """ + CORE_REST);
        Kolibri k = new Kolibri(new ContentStore(dir.resolve("cache")), Progress.SILENT, BuildEvents.SILENT,
                AptSources.load(Files.createDirectories(tmp.resolve("apt"))), root);
        Lockfile lock = k.lock(Kolibri.load(def, null));
        assertThat(ids(lock)).isEqualTo(ids(built.get("core-runtime").lock()));
    }

    /**
     * {@code releasever:} substitutes yum's {@code $releasever} in the machine's baseurl (a Fedora 42 host reaching
     * Fedora 43); the lock names the yum repository, not its URL, and the build finds it again through the same
     * substitution.
     */
    @Test
    void systemSource_releasever_substitutesTheMachinesBaseurl_andTheLockNamesNoHost(@TempDir Path tmp) throws Exception {
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.createSymbolicLink(www.resolve("43"), repo.dir());
        try (StaticHttpServer byRelease = StaticHttpServer.serve(www)) {
            Path root = Files.createDirectories(tmp.resolve("root"));
            Files.createDirectories(root.resolve("etc/yum.repos.d"));
            Files.createDirectories(root.resolve("etc/pki/rpm-gpg"));
            Files.createDirectories(root.resolve("etc/dnf"));
            Files.copy(repo.keyring(), root.resolve("etc/pki/rpm-gpg/fixture.gpg"));
            Files.writeString(root.resolve("etc/os-release"), "ID=fedora\nVERSION_ID=42\n");
            Files.writeString(root.resolve("etc/yum.repos.d/fixture.repo"), """
                    [fedora]
                    name=Fedora $releasever
                    baseurl=%s$releasever/
                    enabled=1
                    gpgcheck=1
                    repo_gpgcheck=1
                    gpgkey=file:///etc/pki/rpm-gpg/fixture.gpg
                    """.formatted(byRelease.base()));
            Path def = Files.writeString(tmp.resolve("core.yaml"), """
                    name: core
                    repositories:
                      - type: rpm
                        url: system
                        releasever: "43"
                    archs: [amd64]
                    """ + CORE_REST);
            Kolibri k = new Kolibri(new ContentStore(tmp.resolve("cache")), Progress.SILENT, BuildEvents.SILENT,
                    AptSources.load(Files.createDirectories(tmp.resolve("apt"))), root);
            ImageSpec spec = Kolibri.load(def, null);
            Lockfile lock = k.lock(spec);
            assertThat(byRelease.requests()).contains("43/repodata/repomd.xml");
            assertThat(lock.repositories()).singleElement().satisfies(r -> {
                assertThat(r.id()).isEqualTo("system fedora");
                assertThat(r.url()).isEqualTo("system");
                assertThat(r.repo()).isEqualTo("fedora");
                assertThat(r.suite()).isEqualTo("43");
            });
            assertThat(new String(lock.toJson(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("://");
            Path out = tmp.resolve("out/core");
            k.build(spec, new BuildOptions(out, List.of(), null, true, false, Compression.GZIP, null));
            assertThat(byRelease.requests()).anySatisfy(r -> assertThat(r).startsWith("43/").endsWith(".rpm"));
            assertThat(Files.isRegularFile(out.resolve("index.json"))).isTrue();
        }
    }

    @Test
    void systemSource_withoutYumRepos_failsWithOneClearLine(@TempDir Path tmp) throws Exception {
        Path def = Files.writeString(tmp.resolve("core.yaml"), """
                name: core
                repositories:
                  - type: rpm
                    url: system
                archs: [amd64]
                """ + CORE_REST);
        assertThatThrownBy(() -> kolibri.lock(Kolibri.load(def, null)))
                .isInstanceOf(BuildException.class)
                .hasMessageContaining("no yum source").hasMessageContaining("core.yaml:3")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void catalogDefinitions_loadWithTheirBuilderVariant_andNeedAYumSource() throws Exception {
        for (String name : List.of("python", "core-runtime")) {
            Path def = Path.of("images/rpm/" + name + ".yaml");
            ImageSpec base = Kolibri.load(def, null);
            assertThat(base.repositories()).allMatch(r -> r.type().equals("rpm") && r.isSystem());
            assertThat(base.user()).isEqualTo(65532);
            ImageSpec builder = Kolibri.load(def, "builder");
            assertThat(builder.allowShell()).isTrue();
            assertThat(Path.of("images/rpm/" + name + ".lock.json")).doesNotExist();
            assertThatThrownBy(() -> kolibri.lock(base)).isInstanceOf(BuildException.class)
                    .hasMessageStartingWith(def + ":").hasMessageContaining("no yum source");
        }
    }

    @Test
    void warnings_sayNothingUnexpected() {
        assertThat(warnings).noneMatch(w -> w.contains("is not in the image's"));
    }

    @Test
    void sbomSidecar_isWritten() throws Exception {
        Built b = built.get("python");
        Path side = b.result().sbomDir();
        assertThat(side.resolve("amd64.spdx.json")).exists();
        assertThat(new String(Files.readAllBytes(side.resolve("amd64.spdx.json")), StandardCharsets.UTF_8))
                .contains("pkg:rpm/kolibrifix/pyrt@3.12.1-2?arch=noarch");
        assertThat(new ArrayList<>(b.result().warnings())).isNotNull();
    }
}
