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

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.kolibri.build.FixtureImages.pkg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue item 2: a built layout is the user's, not the cache's. Its files have the modes the umask gives, another
 * user can read it with skopeo, no file of it shares an inode with the cache, and damaging a cache entry afterwards
 * leaves every blob of the layout matching its digest (checked with sha256sum).
 */
class OutputFilesTest {
    @TempDir Path tmp;
    FixtureImages fx;
    Path shared;

    static final long T = 1_700_000_000L;
    static final List<Pkg> PKGS = List.of(
            pkg("base-like", "1", "base", T, "etc/os-release", "ID=fixture\nVERSION_ID=1\n"),
            pkg("libc-like", "2.36-1", "libc-src", T + 100, "usr/lib/x86_64-linux-gnu/libc.so.6", "libc\n".repeat(1000)));

    @BeforeEach
    void setUp() throws Exception {
        Tools.require("dpkg-deb", "skopeo", "setpriv", "sha256sum");
        fx = new FixtureImages(tmp.resolve("fx"));
        // a directory every user may enter, as a CI workspace or a shared build directory is
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void tearDown() {
        if (fx != null) fx.close();
    }

    private BuildResult build(ImageSpec spec, List<LockedPackage> locked, String out) throws Exception {
        BuildOptions o = new BuildOptions(shared.resolve(out), List.of(), null, false, false, Compression.GZIP, null)
                .withBuildCache(true);
        return new ImageBuilder(fx.store, Progress.SILENT, BuildEvents.SILENT).build(spec, fx.lock(spec, locked), o);
    }

    @Test
    void layoutFromTheLayerCache_isTheUsers_notTheCaches() throws Exception {
        ImageSpec spec = fx.spec(tmp.resolve("defs"), "owned", PKGS.stream().map(Pkg::name).toList(), "origin", 8);
        List<LockedPackage> locked = fx.lockAll(PKGS);
        BuildResult first = build(spec, locked, "first");   // fills the layer cache
        BuildResult second = build(spec, locked, "second"); // takes every layer from it
        assertThat(second.index()).isEqualTo(first.index());

        // the modes a file and a directory made here get from the umask (0644 and 0755 under 022)
        Path probe = Files.createFile(shared.resolve("probe"));
        Set<PosixFilePermission> fileMode = Files.getPosixFilePermissions(probe);
        Set<PosixFilePermission> dirMode = Files.getPosixFilePermissions(Files.createDirectory(shared.resolve("probe.d")));
        for (BuildResult r : List.of(first, second)) {
            try (Stream<Path> s = Files.walk(r.layout())) {
                for (Path p : s.toList()) {
                    assertThat(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                            .as("mode of %s", p).isEqualTo(Files.isDirectory(p) ? dirMode : fileMode);
                }
            }
        }

        // no file of a layout is a file of the cache
        Map<Object, Path> cacheInodes = new HashMap<>();
        try (Stream<Path> s = Files.walk(fx.store.root())) {
            for (Path p : s.filter(Files::isRegularFile).toList()) cacheInodes.put(Files.readAttributes(p, "unix:dev,ino"), p);
        }
        assertThat(cacheInodes.values()).anyMatch(p -> p.toString().endsWith(".blob"));
        for (BuildResult r : List.of(first, second)) {
            for (Path blob : blobs(r.layout())) {
                assertThat(cacheInodes.get(Files.readAttributes(blob, "unix:dev,ino"))).as("cache file sharing " + blob).isNull();
            }
        }

        // another user copies and inspects the layouts
        for (BuildResult r : List.of(first, second)) {
            Path dest = shared.resolve("copy-" + r.layout().getFileName());
            Tools.Result copy = asNobody("skopeo", "--insecure-policy", "copy", "--all",
                    "oci:" + r.layout() + ":" + r.tag(), "oci:" + dest + ":" + r.tag());
            assertThat(copy.exit()).as("skopeo copy as another user: " + copy.err()).isZero();
        }

        // damage every cached blob in place (same size, other bytes): the layouts built before keep their bytes
        try (Stream<Path> s = Files.walk(fx.store.root().resolve("layers"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".blob")).toList()) {
                try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                    f.seek(f.length() / 2);
                    f.write(new byte[] {0x13, 0x37, 0x13, 0x37});
                }
            }
        }
        for (BuildResult r : List.of(first, second)) {
            for (Path blob : blobs(r.layout())) {
                String sum = Tools.ok(null, "sha256sum", blob.toString()).out().split(" ")[0];
                assertThat(sum).as("sha256sum of " + blob).isEqualTo(blob.getFileName().toString());
            }
        }
    }

    private static List<Path> blobs(Path layout) throws Exception {
        try (Stream<Path> s = Files.list(layout.resolve("blobs/sha256"))) {
            return new ArrayList<>(s.toList());
        }
    }

    private Tools.Result asNobody(String... cmd) throws Exception {
        Path home = Files.createDirectories(shared.resolve("nobody-home"));
        Tools.ok(null, "chown", "65534:65534", home.toString());
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        all.addAll(List.of(cmd));
        return Tools.run(shared, Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", home.toString()), all);
    }
}
