package dev.kolibri.build;

import dev.kolibri.build.FixtureImages.Pkg;
import dev.kolibri.fetch.Progress;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.oci.Compression;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.kolibri.build.FixtureImages.pkg;
import static org.assertj.core.api.Assertions.assertThat;

/** The build cache (decoded payloads, compressed layers): same bytes out with it, without it, and with it damaged. */
class BuildCacheTest {
    @TempDir Path tmp;
    FixtureImages fx;

    static final long T = 1_700_000_000L;
    static final List<Pkg> PKGS = List.of(
            pkg("base-like", "1", "base", T, "etc/os-release", "ID=fixture\nVERSION_ID=1\n"),
            pkg("libc-like", "2.36-1", "libc-src", T + 100, "usr/lib/x86_64-linux-gnu/libc.so.6", "libc\n".repeat(1000)),
            pkg("python-like", "3.11", "py", T + 200, "usr/bin/python3", "python\n", "usr/lib/python3/os.py", "os\n"));

    @BeforeEach
    void setUp() throws Exception {
        Tools.require("dpkg-deb");
        fx = new FixtureImages(tmp.resolve("fx"));
    }

    @AfterEach
    void tearDown() {
        if (fx != null) fx.close();
    }

    private BuildResult build(ImageSpec spec, List<LockedPackage> locked, String out, boolean cache, Integer level)
            throws Exception {
        BuildOptions o = new BuildOptions(tmp.resolve(out), List.of(), null, false, false, Compression.GZIP, null)
                .withCompressionLevel(level).withBuildCache(cache);
        return new ImageBuilder(fx.store, Progress.SILENT, BuildEvents.SILENT).build(spec, fx.lock(spec, locked), o);
    }

    /** Every file under the cache's {@code sub} directory, relative path to content. */
    private TreeMap<String, byte[]> files(String sub) throws Exception {
        TreeMap<String, byte[]> m = new TreeMap<>();
        Path dir = fx.store.root().resolve(sub);
        if (!Files.exists(dir)) return m;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
        }
        return m;
    }

    @Test
    void withWithoutAndDamagedCache_sameIndex() throws Exception {
        ImageSpec spec = fx.spec(tmp.resolve("defs"), "cached", PKGS.stream().map(Pkg::name).toList(), "origin", 8);
        List<LockedPackage> locked = fx.lockAll(PKGS);

        BuildResult off = build(spec, locked, "off", false, null);
        assertThat(files("payloads")).isEmpty();
        assertThat(files("layers")).isEmpty();

        BuildResult first = build(spec, locked, "first", true, null);
        assertThat(first.index()).isEqualTo(off.index());
        TreeMap<String, byte[]> payloads = files("payloads");
        TreeMap<String, byte[]> layers = files("layers");
        assertThat(payloads.keySet()).containsExactlyInAnyOrderElementsOf(
                locked.stream().map(p -> "v2/" + p.sha256()).toList());
        // one .blob and one .desc per distinct layer of the image
        assertThat(layers.keySet()).allMatch(k -> k.startsWith("v2/gzip-6/"));
        assertThat(layers.keySet().stream().filter(k -> k.endsWith(".blob")).count())
                .isEqualTo(first.images().get(0).layers());

        BuildResult second = build(spec, locked, "second", true, null);
        assertThat(second.index()).isEqualTo(off.index());
        assertThat(files("layers").keySet()).isEqualTo(layers.keySet());

        // damage every cache entry: the build notices, rebuilds what it needs, and gives the same bytes
        for (String k : payloads.keySet()) {
            Path p = fx.store.root().resolve("payloads").resolve(k);
            byte[] b = Files.readAllBytes(p);
            b[b.length / 3] ^= 0x40;
            Files.write(p, b);
        }
        for (String k : layers.keySet()) {
            if (!k.endsWith(".blob")) continue;
            Path p = fx.store.root().resolve("layers").resolve(k);
            byte[] b = Files.readAllBytes(p);
            Files.delete(p); // the layout holds a hard link to it
            Files.write(p, java.util.Arrays.copyOf(b, b.length - 1));
        }
        BuildResult damaged = build(spec, locked, "damaged", true, null);
        assertThat(damaged.index()).isEqualTo(off.index());
        assertThat(files("payloads").keySet()).isEqualTo(payloads.keySet());
        for (String k : payloads.keySet()) assertThat(files("payloads").get(k)).isEqualTo(payloads.get(k));

        // another gzip level: other blobs, cached beside the first ones
        BuildResult fast = build(spec, locked, "fast", true, 1);
        assertThat(fast.index()).isNotEqualTo(off.index());
        assertThat(files("layers").keySet()).anyMatch(k -> k.startsWith("v2/gzip-1/"));
        assertThat(build(spec, locked, "fast-off", false, 1).index()).isEqualTo(fast.index());
    }

    @Test
    void aChangedPackage_reusesTheOtherLayers() throws Exception {
        ImageSpec spec = fx.spec(tmp.resolve("defs"), "refresh", PKGS.stream().map(Pkg::name).toList(), "origin", 8);
        build(spec, fx.lockAll(PKGS), "one", true, null);
        long before = files("layers").keySet().stream().filter(k -> k.endsWith(".blob")).count();
        Pkg py2 = PKGS.get(2).with("3.11.1", T + 300, java.util.Map.of("usr/bin/python3", "python 3.11.1\n"));
        build(spec, fx.lockAll(List.of(PKGS.get(0), PKGS.get(1), py2)), "two", true, null);
        long after = files("layers").keySet().stream().filter(k -> k.endsWith(".blob")).count();
        // the python layer and the image's own layer (whose status.d and epoch changed) are new; base and libc are not
        assertThat(after - before).isBetween(1L, 2L);
    }
}
