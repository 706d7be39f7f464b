package dev.kolibri.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.build.FixtureImages.Pkg;
import dev.kolibri.inspect.ImageDiff;
import dev.kolibri.layer.LayerPlan;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageRef;
import dev.kolibri.oci.LayerEntry;
import dev.kolibri.oci.LayerReader;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.kolibri.build.FixtureImages.pkg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayeringBuildTest {
    @TempDir Path tmp;
    FixtureImages fx;

    static final long T = 1_700_000_000L;
    static final Pkg BASE = pkg("base-like", "1", "base", T, "etc/os-release", "ID=fixture\nVERSION_ID=1\n",
            "usr/share/doc/base-like/copyright", "base\n");
    static final Pkg LIBC = pkg("libc-like", "2.36-1", "libc-src", T + 100,
            "usr/lib/x86_64-linux-gnu/libc.so.6", "libc 2.36-1\n", "usr/share/doc/libc-like/copyright", "libc\n");
    static final Pkg LIBC_BIN = pkg("libc-like-bin", "2.36-1", "libc-src", T + 100, "usr/bin/ldd", "ldd\n");
    static final Pkg PY = pkg("python-like", "3.11", "py", T + 200, "usr/bin/python3", "python\n",
            "usr/lib/python3/os.py", "os\n");
    static final Pkg NODE = pkg("node-like", "18", "node", T + 5000, "usr/bin/node", "node\n");
    // installed before libc-like and shipping its library directory, with another time
    static final Pkg AAA = pkg("aaa-dirs", "1", "aaa", T + 4000, "usr/lib/x86_64-linux-gnu/aaa.conf", "aaa\n");

    @BeforeEach
    void setUp() throws Exception {
        Tools.require("dpkg-deb");
        fx = new FixtureImages(tmp.resolve("fx"));
    }

    @AfterEach
    void tearDown() {
        if (fx != null) fx.close();
    }

    private BuildResult build(String name, List<Pkg> pkgs, String strategy, int budget, Path out, String previous)
            throws Exception {
        ImageSpec spec = fx.spec(tmp.resolve("defs"), name, pkgs.stream().map(Pkg::name).toList(), strategy, budget);
        return fx.build(spec, fx.lockAll(pkgs), out, previous);
    }

    /** Layer name to digest (and packages), bottom first, of the only platform. */
    private static Map<String, String> layers(Path layout) throws Exception {
        OciLayout l = LayoutReader.open(layout);
        OciLayout.Image img = l.images(null, p -> true).get(0);
        Map<String, String> out = new LinkedHashMap<>();
        for (Descriptor d : img.manifest().layers()) {
            out.put(d.annotations().get(LayerPlan.NAME_ANNOTATION),
                    d.digest() + " " + d.annotations().get(LayerPlan.PACKAGES_ANNOTATION));
        }
        return out;
    }

    @Test
    void twoImagesSharingAPackageShareItsLayer() throws Exception {
        Path py = tmp.resolve("out/python");
        Path node = tmp.resolve("out/nodejs");
        build("python", List.of(BASE, LIBC, LIBC_BIN, PY), "origin", 32, py, null);
        build("nodejs", List.of(AAA, BASE, LIBC, LIBC_BIN, NODE), "origin", 32, node, null);
        Map<String, String> a = layers(py);
        Map<String, String> b = layers(node);
        assertThat(a.keySet()).containsExactly("origin:base", "origin:libc-src", "origin:py", "image");
        assertThat(b.keySet()).containsExactly("origin:aaa", "origin:base", "origin:libc-src", "origin:node", "image");
        assertThat(a.get("origin:libc-src")).endsWith(" libc-like,libc-like-bin").isEqualTo(b.get("origin:libc-src"));
        assertThat(a.get("origin:base")).isEqualTo(b.get("origin:base"));
        assertThat(a.get("image")).isNotEqualTo(b.get("image")); // the epochs differ: T+200 and T+5000

        // the same with one layer per package
        build("python", List.of(BASE, LIBC, LIBC_BIN, PY), "package", 32, tmp.resolve("out/p2"), null);
        build("nodejs", List.of(AAA, BASE, LIBC, LIBC_BIN, NODE), "package", 32, tmp.resolve("out/n2"), null);
        assertThat(layers(tmp.resolve("out/p2")).get("package:libc-like"))
                .isEqualTo(layers(tmp.resolve("out/n2")).get("package:libc-like")).isNotNull();
    }

    @Test
    void sharedLayer_holdsItsPackagesFilesAndDatabase_withDirectoryTimesOfItsOwn() throws Exception {
        Path node = tmp.resolve("out/nodejs");
        build("nodejs", List.of(AAA, BASE, LIBC, LIBC_BIN, NODE), "origin", 32, node, null);
        OciLayout l = LayoutReader.open(node);
        OciLayout.Image img = l.images(null, p -> true).get(0);
        Descriptor libc = img.manifest().layers().stream()
                .filter(d -> "origin:libc-src".equals(d.annotations().get(LayerPlan.NAME_ANNOTATION))).findFirst().orElseThrow();
        List<LayerEntry> entries;
        try (InputStream in = l.blob(libc)) {
            entries = LayerReader.entries(in, libc.mediaType());
        }
        assertThat(entries).extracting(LayerEntry::path).contains("usr/lib/x86_64-linux-gnu/libc.so.6", "usr/bin/ldd",
                "var/lib/dpkg/status.d/libc-like", "var/lib/dpkg/status.d/libc-like.md5sums",
                "var/lib/dpkg/status.d/libc-like-bin", "usr/lib/x86_64-linux-gnu")
                .doesNotContain("usr/bin/node", "etc/passwd", "usr/lib/x86_64-linux-gnu/aaa.conf");
        assertThat(entries).allSatisfy(e -> assertThat(e.mtime()).isEqualTo(T + 100));
    }

    @Test
    void originImage_flattensToTheSameFilesAsTheSingleLayerImage() throws Exception {
        List<Pkg> pkgs = List.of(AAA, BASE, LIBC, LIBC_BIN, NODE);
        build("nodejs", pkgs, "origin", 32, tmp.resolve("out/origin"), null);
        build("nodejs", pkgs, "single", 32, tmp.resolve("out/single"), null);
        Map<String, String> a = files(tmp.resolve("out/origin"));
        Map<String, String> b = files(tmp.resolve("out/single"));
        assertThat(a).isEqualTo(b).containsKey("etc/passwd").containsKey("var/lib/dpkg/status.d/node-like");
    }

    /** Path to type, mode, owner, link and content digest (no times) of the flattened image. */
    private static Map<String, String> files(Path layout) throws Exception {
        OciLayout l = LayoutReader.open(layout);
        dev.kolibri.fs.FileTree t = dev.kolibri.inspect.ImageFiles.flatten(l, l.images(null, p -> true).get(0));
        Map<String, String> m = new java.util.TreeMap<>();
        for (dev.kolibri.fs.FileEntry e : t.entries()) {
            m.put(e.path(), e.type() + " " + Integer.toOctalString(e.mode()) + " " + e.uid() + ":" + e.gid() + " "
                    + e.linkTarget() + " " + (e.content() == null ? "" : FixtureImages.sha256(new java.io.ByteArrayInputStream(e.content()))));
        }
        return m;
    }

    @Test
    void layerCount_staysWithinTheBudget_andEveryPackageIsInOneLayer() throws Exception {
        List<Pkg> many = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            many.add(pkg("p" + i, "1", "src" + (i % 10), T + i, "usr/share/p" + i + "/data", "x".repeat(100 * (i + 1))));
        }
        Path out = tmp.resolve("out/many");
        BuildResult r = build("many", many, "origin", 5, out, null);
        Map<String, String> ls = layers(out);
        assertThat(r.images().get(0).layers()).isEqualTo(ls.size()).isLessThanOrEqualTo(5);
        List<String> seen = new ArrayList<>();
        for (String v : ls.values()) {
            String pk = v.substring(v.indexOf(' ') + 1);
            if (!pk.isEmpty()) seen.addAll(List.of(pk.split(",")));
        }
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(many.stream().map(Pkg::name).toList());
        assertThat(new ArrayList<>(ls.keySet()).get(ls.size() - 1)).isEqualTo("image");

        BuildResult single = build("many", many, "single", 32, tmp.resolve("out/single"), null);
        assertThat(single.images().get(0).layers()).isEqualTo(1);
    }

    @Test
    void previous_refreshOfOnePackage_changesOnlyItsLayerAndTheLast() throws Exception {
        Path v1 = tmp.resolve("out/v1");
        build("python", List.of(BASE, LIBC, LIBC_BIN, PY), "origin", 32, v1, null);
        Pkg libc2 = LIBC.with("2.36-2", T + 300, Map.of("usr/lib/x86_64-linux-gnu/libc.so.6", "libc 2.36-2\n",
                "usr/share/doc/libc-like/copyright", "libc\n"));
        Path v2 = tmp.resolve("out/v2");
        build("python", List.of(BASE, libc2, LIBC_BIN, PY), "origin", 32, v2, v1.toString());
        Map<String, String> a = layers(v1);
        Map<String, String> b = layers(v2);
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        Set<String> changed = new TreeSet<>();
        for (String k : a.keySet()) if (!a.get(k).equals(b.get(k))) changed.add(k);
        assertThat(changed).containsExactly("image", "origin:libc-src");

        // the diff agrees with the blobs of the two layouts counted with plain NIO
        ImageDiff.Result d = ImageDiff.diff(new ImageRef(v1, null), new ImageRef(v2, null));
        ImageDiff.PlatformDiff p = d.platforms().get(0);
        assertThat(p.changed()).extracting(ImageDiff.PackageChange::name, ImageDiff.PackageChange::oldVersion,
                ImageDiff.PackageChange::newVersion).containsExactly(org.assertj.core.groups.Tuple.tuple("libc-like", "2.36-1", "2.36-2"));
        assertThat(p.added()).isEmpty();
        assertThat(p.removed()).isEmpty();
        assertThat(p.newLayers()).hasSize(2);
        assertThat(p.reusedLayers()).hasSize(2);
        assertThat(p.bytesToPull()).isEqualTo(independentPull(v1, v2));

        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = dev.kolibri.cli.Main.run(new String[] {"diff", v1.toString(), v2.toString(), "--json"},
                new java.io.PrintWriter(out), new java.io.PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.at("/platforms/0/bytesToPull").asLong()).isEqualTo(p.bytesToPull());
        assertThat(json.at("/platforms/0/changed/0/name").asText()).isEqualTo("libc-like");
    }

    /** Bytes of NEW's blobs that OLD lacks, minus NEW's image index (a single-platform client pulls no index). */
    private static long independentPull(Path oldLayout, Path newLayout) throws Exception {
        Set<String> held = new HashSet<>();
        try (Stream<Path> s = Files.list(oldLayout.resolve("blobs/sha256"))) {
            s.forEach(f -> held.add(f.getFileName().toString()));
        }
        JsonNode index = new ObjectMapper().readTree(newLayout.resolve("index.json").toFile());
        // Not part of what a client pulls for the image: the nested index, and the SBOM artifacts (their manifests,
        // documents and empty configs) that the layout attaches to each platform manifest.
        Set<String> notImage = new HashSet<>();
        for (JsonNode m : index.get("manifests")) {
            String hex = m.get("digest").asText().substring("sha256:".length());
            if (m.get("mediaType").asText().equals("application/vnd.oci.image.index.v1+json")) notImage.add(hex);
            if (m.has("artifactType")) {
                notImage.add(hex);
                JsonNode art = new ObjectMapper().readTree(newLayout.resolve("blobs/sha256/" + hex).toFile());
                notImage.add(art.get("config").get("digest").asText().substring("sha256:".length()));
                for (JsonNode l : art.get("layers")) notImage.add(l.get("digest").asText().substring("sha256:".length()));
            }
        }
        long sum = 0;
        try (Stream<Path> s = Files.list(newLayout.resolve("blobs/sha256"))) {
            for (Path f : s.toList()) {
                String name = f.getFileName().toString();
                if (!held.contains(name) && !notImage.contains(name)) sum += Files.size(f);
            }
        }
        return sum;
    }

    @Test
    void previous_newAndRemovedPackages_goToTheNewLayerAndDropOut() throws Exception {
        Path v1 = tmp.resolve("out/v1");
        build("python", List.of(BASE, LIBC, LIBC_BIN, PY), "origin", 32, v1, null);
        Pkg extra = pkg("zz-extra", "1", "libc-src", T + 50, "usr/share/zz/data", "zz\n");
        Path v2 = tmp.resolve("out/v2");
        build("python", List.of(BASE, LIBC, LIBC_BIN, extra), "origin", 32, v2, v1.toString());
        Map<String, String> a = layers(v1);
        Map<String, String> b = layers(v2);
        assertThat(b.keySet()).containsExactly("origin:base", "origin:libc-src", "new", "image");
        assertThat(b.get("new")).endsWith(" zz-extra");
        assertThat(b.get("origin:libc-src")).isEqualTo(a.get("origin:libc-src"));
        assertThat(b.get("origin:base")).isEqualTo(a.get("origin:base"));
    }

    /** {@code --previous REF}: the plan read from a registry (index and manifest only) equals the layout's. */
    @Test
    void previous_fromARegistry_readsTheSamePlanAsFromTheLayout() throws Exception {
        dev.kolibri.testing.Tools.require("docker-registry");
        Path v1 = tmp.resolve("out/v1");
        build("python", List.of(BASE, LIBC, LIBC_BIN, PY), "origin", 32, v1, null);
        try (dev.kolibri.testing.RegistryServer reg = dev.kolibri.testing.RegistryServer.start(tmp.resolve("registry"))) {
            dev.kolibri.oci.OciLayout layout = dev.kolibri.oci.LayoutReader.open(v1);
            String ref = reg.host() + "/team/python:1";
            dev.kolibri.registry.Push.push(dev.kolibri.registry.RegistryClient.open(reg.host()), layout,
                    layout.resolve(null), dev.kolibri.registry.Reference.parse(ref),
                    dev.kolibri.registry.Push.Options.defaults());
            dev.kolibri.oci.Platform amd64 = dev.kolibri.oci.Platform.LINUX_AMD64;
            dev.kolibri.layer.PreviousImage remote = dev.kolibri.publish.RemotePrevious
                    .opener(dev.kolibri.publish.RegistryOptions.defaults()).open(ref);
            assertThat(remote.plan(amd64)).isPresent();
            assertThat(remote.plan(amd64)).isEqualTo(dev.kolibri.layer.PreviousImage.open(v1.toString()).plan(amd64));
            assertThat(remote.plan(dev.kolibri.oci.Platform.parse("linux/s390x"))).isEmpty();
        }
    }

    @Test
    void previous_registryReferenceOrMissingLayout_isAClearError() throws Exception {
        assertThatThrownBy(() -> build("python", List.of(BASE), "origin", 32, tmp.resolve("out/x"),
                "registry.example.org/team/python:3.11"))
                .hasMessageContaining("reads only OCI layouts");
        assertThatThrownBy(() -> build("python", List.of(BASE), "origin", 32, tmp.resolve("out/x"),
                tmp.resolve("nope").toString()))
                .hasMessageContaining("no OCI layout directory");
    }

    @Test
    void rebuild_underAnotherPathUmaskTimezoneLocaleAndCache_isIdentical() throws Exception {
        List<Pkg> pkgs = List.of(BASE, LIBC, LIBC_BIN, PY);
        ImageSpec spec = fx.spec(tmp.resolve("defs"), "python", pkgs.stream().map(Pkg::name).toList(), "origin", 32);
        List<LockedPackage> locked = fx.lockAll(pkgs);
        BuildResult first = fx.build(spec, locked, tmp.resolve("out/first"), null);

        // the CLI in another JVM, from a copy of the definition elsewhere, with a fresh cache
        Path other = tmp.resolve("elsewhere/deep/dir");
        Files.createDirectories(other);
        Path specCopy = Files.copy(spec.source(), other.resolve("python.yaml"));
        fx.lock(spec, locked).write(other.resolve("python.lock.json"));
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        Path out = tmp.resolve("out/second");
        String cmd = "umask 077 && exec '" + java + "' -cp '" + cp + "' dev.kolibri.cli.Main build '" + specCopy
                + "' --locked -q -o '" + out + "'";
        Tools.Result r = Tools.run(other, Map.of("TZ", "Pacific/Kiritimati", "LC_ALL", "tr_TR.UTF-8", "LANG", "tr_TR.UTF-8",
                "XDG_CACHE_HOME", tmp.resolve("fresh-cache").toString(), "HOME", tmp.toString()), List.of("sh", "-c", cmd));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(first.index().toString());
        assertThat(layers(out)).isEqualTo(layers(tmp.resolve("out/first")));
    }

    @Test
    void sourceDateEpoch_clampsEveryLayer() throws Exception {
        List<Pkg> pkgs = List.of(BASE, LIBC, PY);
        ImageSpec spec = fx.spec(tmp.resolve("defs"), "python", pkgs.stream().map(Pkg::name).toList(), "origin", 32);
        Path out = tmp.resolve("out/sde");
        long sde = T + 50;
        new ImageBuilder(fx.store, dev.kolibri.fetch.Progress.SILENT, BuildEvents.SILENT).build(spec,
                fx.lock(spec, fx.lockAll(pkgs)), new BuildOptions(out, List.of(), null, false, false,
                        dev.kolibri.oci.Compression.GZIP, sde));
        OciLayout l = LayoutReader.open(out);
        OciLayout.Image img = l.images(null, p -> true).get(0);
        long newest = 0;
        for (Descriptor d : img.manifest().layers()) {
            try (InputStream in = l.blob(d)) {
                for (LayerEntry e : LayerReader.entries(in, d.mediaType())) newest = Math.max(newest, e.mtime());
            }
        }
        assertThat(newest).isEqualTo(sde);
        assertThat(img.config().toJson()).asString().contains("2023-11-14T22:14:10Z");
    }

}
