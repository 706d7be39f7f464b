package dev.kolibri.build;

import dev.kolibri.fs.LimitExceededException;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Builds stay bounded whatever the packages hold: contents stream from the package to the layer (and through the
 * payload cache) without being held whole, and the limits of {@code docs/parts/limits.md} refuse a package by name,
 * member, size and limit. The big inputs are sparse files packed by {@code dpkg-deb} in the test; the heavy builds
 * run in a child JVM with a heap far smaller than the files, so holding one whole is an OutOfMemoryError.
 */
class BoundedBuildTest {
    static final long BIG = 400L << 20;

    @Test
    void aFileBiggerThanTheHeap_streamsIntoTheLayer_coldWarmAndWithoutCache(@TempDir Path tmp) throws Exception {
        Tools.require("dpkg-deb", "tar", "zstd");
        Map.Entry<Integer, String> r = BoundedBuild.child("96m", "big", tmp.toString(), String.valueOf(BIG));
        assertThat(r.getKey()).as(r.getValue()).isZero();
        String ok = r.getValue().lines().filter(l -> l.startsWith("OK ")).findFirst().orElseThrow(() -> new AssertionError(r.getValue()));
        List<String> digests = List.of(ok.substring(3).split(" "));
        assertThat(digests).hasSize(3).containsOnly(digests.get(0)); // same image with the cache cold, warm and off
        // GNU tar reads the file back from the layer: all of it, and zeros
        for (String run : List.of("cold", "off")) {
            Path layer = layerWith(tmp.resolve("out-" + run), "usr/share/big/zeros");
            String listing = Tools.ok(null, "tar", "--zstd", "-tvf", layer.toString()).out();
            assertThat(listing).contains(" " + BIG + " ");
            String cmp = Tools.ok(null, "sh", "-c", "tar --zstd -xOf '" + layer + "' usr/share/big/zeros | cmp -n "
                    + BIG + " - /dev/zero && tar --zstd -xOf '" + layer + "' usr/share/big/zeros | wc -c").out();
            assertThat(cmp.strip()).isEqualTo(String.valueOf(BIG));
        }
        // nothing spilled is left behind
        assertThat(leftovers(tmp.resolve("cache/spill"))).isEmpty();
    }

    @Test
    void theBomb_isRefusedAtItsFirstHeader_namingPackageMemberSizeAndLimit(@TempDir Path tmp) throws Exception {
        Tools.require("dpkg-deb");
        Map.Entry<Integer, String> r = BoundedBuild.child("96m", "bomb", tmp.toString());
        assertThat(r.getKey()).as(r.getValue()).isZero();
        long size = Long.parseLong(r.getValue().lines().filter(l -> l.startsWith("SIZE ")).findFirst().orElseThrow()
                .substring(5));
        assertThat(size).isLessThan(1 << 20); // three 1.3 GiB members in well under a megabyte
        String refused = r.getValue().lines().filter(l -> l.startsWith("REFUSED ")).findFirst()
                .orElseThrow(() -> new AssertionError("not refused:\n" + r.getValue()));
        assertThat(refused).startsWith("REFUSED LimitExceededException package 'bomb' 1.0 (amd64): member "
                        + "'./usr/share/bomb/a' of 1.3 GiB (1395864371 bytes) brings the package to 1.3 GiB "
                        + "(1395864371 bytes) unpacked from a ")
                .contains("package file, more than 1000 times its size (limits.ratio); refusing it as a decompression "
                        + "bomb: raise limits.ratio in the definition only for a package you trust")
                .doesNotContain(tmp.toString());
        assertThat(tmp.resolve("out-bomb")).doesNotExist();
        assertThat(leftovers(tmp.resolve("cache/spill"))).isEmpty();
        assertThat(leftovers(tmp.resolve("cache/payloads/v2"))).isEmpty();
    }

    @Test
    void limitsFromTheDefinition_refuseAFile_aPackage_andAnImage(@TempDir Path tmp) throws Exception {
        Tools.require("dpkg-deb");
        try (FixtureImages fx = new FixtureImages(tmp)) {
            LockedPackage a = BoundedBuild.sparseDeb(fx, "pkg-a", List.of(new BoundedBuild.Member("a/one", 600 << 10),
                    new BoundedBuild.Member("a/two", 600 << 10)));
            LockedPackage b = BoundedBuild.sparseDeb(fx, "pkg-b", List.of(new BoundedBuild.Member("b/one", 700 << 10)));
            Path out = tmp.resolve("out");
            for (boolean cache : List.of(true, false, true)) {  // cold cache, no cache, warm cache: the same refusals
                ImageSpec file = BoundedBuild.spec(fx, tmp.resolve("f"), "f", List.of("pkg-a", "pkg-b"), "{file: 512KiB}");
                assertThatThrownBy(() -> BoundedBuild.build(fx, file, List.of(a, b), out, cache))
                        .isInstanceOf(LimitExceededException.class)
                        .hasMessage("package 'pkg-a' 1.0 (amd64): member './a/one' is 600 KiB (614400 bytes), more "
                                + "than the limit of 512 KiB (524288 bytes) per file (limits.file); refusing it: raise "
                                + "limits.file in the definition only for a package you trust");
                ImageSpec pkg = BoundedBuild.spec(fx, tmp.resolve("p"), "p", List.of("pkg-a", "pkg-b"), "{package: 1MiB}");
                assertThatThrownBy(() -> BoundedBuild.build(fx, pkg, List.of(a, b), out, cache))
                        .hasMessage("package 'pkg-a' 1.0 (amd64): member './a/two' of 600 KiB (614400 bytes) brings "
                                + "the package to 1.2 MiB (1228800 bytes) unpacked, more than the limit of 1 MiB "
                                + "(1048576 bytes) per package (limits.package); refusing it: raise limits.package in "
                                + "the definition only for a package you trust");
                ImageSpec image = BoundedBuild.spec(fx, tmp.resolve("i"), "i", List.of("pkg-a", "pkg-b"), "{image: 1.5MiB}");
                assertThatThrownBy(() -> BoundedBuild.build(fx, image, List.of(a, b), out, cache))
                        .isInstanceOf(LimitExceededException.class)
                        // packages decode in parallel: which one passes the limit first may vary
                        .hasMessageMatching("package 'pkg-[ab]' 1\\.0 \\(amd64\\): member '[^']+' of [0-9]+ KiB "
                                + "\\([0-9]+ bytes\\) brings the image to [0-9.]+ MiB \\([0-9]+ bytes\\), more than "
                                + "the limit of 1\\.5 MiB \\(1572864 bytes\\) per image \\(limits\\.image\\); refusing "
                                + "it: raise limits\\.image in the definition if the image is meant to be this big");
                assertThat(out).doesNotExist();
            }
            // within the limits it builds
            ImageSpec fits = BoundedBuild.spec(fx, tmp.resolve("ok"), "ok", List.of("pkg-a", "pkg-b"), "{image: 2MiB}");
            assertThat(BoundedBuild.build(fx, fits, List.of(a, b), out, true).images()).hasSize(1);
        }
    }

    /** The layer blob of the layout whose tar lists {@code path}. */
    static Path layerWith(Path layout, String path) throws Exception {
        try (var blobs = Files.list(layout.resolve("blobs/sha256"))) {
            for (Path b : blobs.toList()) {
                Tools.Result t = Tools.run(null, Map.of(), List.of("tar", "--zstd", "-tf", b.toString()));
                if (t.exit() == 0 && t.out().lines().anyMatch(l -> l.equals(path))) return b;
            }
        }
        throw new AssertionError("no layer of " + layout + " holds " + path);
    }

    static List<Path> leftovers(Path dir) throws Exception {
        if (!Files.exists(dir)) return List.of();
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
