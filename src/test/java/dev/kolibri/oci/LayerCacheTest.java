package dev.kolibri.oci;

import dev.kolibri.fs.ContentDigests;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LayerCacheTest {
    @TempDir Path tmp;

    private Path cacheDir() {
        return tmp.resolve("cache/layers");
    }

    private Layer write(FileTree t, int level, String dir) throws Exception {
        return LayerWriter.write(t.entries(), Compression.GZIP, level, Trees.EPOCH, tmp.resolve(dir), LayerCache.at(cacheDir()), new ContentDigests());
    }

    /** The cache's only entry for gzip level 6: its file name without the extension. */
    private String onlyKey() throws Exception {
        try (Stream<Path> s = Files.list(cacheDir().resolve("gzip-6"))) {
            List<String> blobs = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".blob")).toList();
            assertThat(blobs).hasSize(1);
            return blobs.get(0).replace(".blob", "");
        }
    }

    private long cachedBlobs() throws Exception {
        if (!Files.exists(cacheDir())) return 0;
        try (Stream<Path> s = Files.walk(cacheDir())) {
            return s.filter(p -> p.toString().endsWith(".blob")).count();
        }
    }

    @Test
    void sameContent_isTakenFromTheCache_byteForByte() throws Exception {
        Layer first = write(Trees.tree("amd64"), 6, "a");
        assertThat(cachedBlobs()).isEqualTo(1);
        Layer again = write(Trees.tree("amd64"), 6, "b");
        assertThat(again.descriptor()).isEqualTo(first.descriptor());
        assertThat(again.diffId()).isEqualTo(first.diffId());
        assertThat(again.uncompressedSize()).isEqualTo(first.uncompressedSize());
        assertThat(again.blob()).startsWith(tmp.resolve("b"));
        // the key is the recipe, not the diffID: a layer's key never equals its content digest
        assertThat(onlyKey()).isNotEqualTo(first.diffId().hex()).isNotEqualTo(first.descriptor().digest().hex());
        assertThat(Files.readAllBytes(again.blob())).isEqualTo(Files.readAllBytes(first.blob()));
        assertThat(cachedBlobs()).isEqualTo(1);
        // the same bytes as without any cache, and a blob GNU tar reads
        Layer plain = LayerWriter.write(Trees.tree("amd64").entries(), Compression.GZIP, 6, Trees.EPOCH, tmp.resolve("c"));
        assertThat(plain.descriptor()).isEqualTo(first.descriptor());
        assertThat(Tools.ok(null, "tar", "-tzf", again.blob().toString()).out()).contains("etc/os-release");
    }

    @Test
    void twoLayersWithOneRecipe_takenFromTheCacheAtOnce_bothArrive() throws Exception {
        Layer first = write(Trees.tree("amd64"), 6, "a");
        byte[] good = Files.readAllBytes(first.blob());
        for (int round = 0; round < 20; round++) {
            String name = "same-" + round;
            Path dir = tmp.resolve(name);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<Layer>> both = List.of(
                        pool.submit(() -> write(Trees.tree("amd64"), 6, name)),
                        pool.submit(() -> write(Trees.tree("amd64"), 6, name)));
                for (var f : both) {
                    Layer l = f.get();
                    assertThat(l.descriptor()).isEqualTo(first.descriptor());
                    assertThat(l.blob()).isEqualTo(dir.resolve(first.descriptor().digest().hex()));
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(Files.readAllBytes(dir.resolve(first.descriptor().digest().hex()))).isEqualTo(good);
        }
    }

    @Test
    void otherContentOrLevel_isAMiss() throws Exception {
        Layer first = write(Trees.tree("amd64"), 6, "a");
        FileTree changed = Trees.tree("amd64");
        changed.put(FileEntry.file("etc/extra", 0644, 0, 0, Trees.EPOCH, Trees.utf8("x"), "p"));
        Layer other = write(changed, 6, "b");
        Layer fast = write(Trees.tree("amd64"), 1, "c");
        assertThat(other.diffId()).isNotEqualTo(first.diffId());
        assertThat(fast.diffId()).isEqualTo(first.diffId());
        assertThat(fast.descriptor().digest()).isNotEqualTo(first.descriptor().digest());
        assertThat(cachedBlobs()).isEqualTo(3);
    }

    @Test
    void aTruncatedOrGarbledEntry_isDroppedAndRewritten() throws Exception {
        Layer first = write(Trees.tree("amd64"), 6, "a");
        Path base = cacheDir().resolve("gzip-6");
        Path blob = base.resolve(onlyKey() + ".blob");
        Path desc = base.resolve(onlyKey() + ".desc");

        byte[] good = Files.readAllBytes(blob);
        Files.delete(blob); // the first layer's blob is a hard link to it: write a new file
        Files.write(blob, java.util.Arrays.copyOf(good, 10));
        Layer again = write(Trees.tree("amd64"), 6, "b");
        assertThat(Files.readAllBytes(again.blob())).isEqualTo(good);
        assertThat(Files.size(blob)).isEqualTo(first.descriptor().size());

        Files.writeString(desc, "not a descriptor\n");
        Layer third = write(Trees.tree("amd64"), 6, "c");
        assertThat(third.descriptor()).isEqualTo(first.descriptor());
        assertThat(Files.readString(desc)).startsWith(first.descriptor().digest().toString());

        Files.delete(blob);
        Layer fourth = write(Trees.tree("amd64"), 6, "d");
        assertThat(fourth.descriptor()).isEqualTo(first.descriptor());
        assertThat(blob).exists();
    }

    @Test
    void aCachedBlobWithOtherBytesOfTheSameSize_isDroppedAndTheLayerWrittenAfresh() throws Exception {
        Layer first = write(Trees.tree("amd64"), 6, "a");
        byte[] good = Files.readAllBytes(first.blob());
        Path blob = cacheDir().resolve("gzip-6").resolve(onlyKey() + ".blob");
        byte[] bytes = good.clone();
        bytes[bytes.length / 2] ^= 0x01; // same size, other content
        Files.delete(blob);
        Files.write(blob, bytes);
        Layer again = write(Trees.tree("amd64"), 6, "b");
        assertThat(again.descriptor()).isEqualTo(first.descriptor());
        assertThat(Files.readAllBytes(again.blob())).isEqualTo(good);
        assertThat(Files.readAllBytes(blob)).isEqualTo(good);
        try (LayoutWriter out = LayoutWriter.create(tmp.resolve("layout"))) {
            out.moveBlob(again);
            Path other = Files.write(tmp.resolve("other"), new byte[]{1, 2, 3});
            Descriptor wrongSize = new Descriptor(Compression.GZIP.mediaType(), Digest.sha256(new byte[]{1, 2, 3}), 4,
                    java.util.Map.of(), null, null);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> out.moveBlob(new Layer(wrongSize, first.diffId(),
                    other, 3))).hasMessageContaining("does not match its descriptor");
        }
        assertThat(tmp.resolve("layout")).doesNotExist();
    }

    @Test
    void recipe_dependsOnEveryHeaderFieldAndTheContent_andTheCompressor() throws Exception {
        ContentDigests d = new ContentDigests();
        FileTree base = Trees.tree("amd64");
        Digest k = LayerWriter.recipe(items(base), Compression.GZIP, 6, d);
        assertThat(LayerWriter.recipe(items(Trees.tree("amd64")), Compression.GZIP, 6, new ContentDigests())).isEqualTo(k);
        List<FileEntry> variants = List.of(
                FileEntry.file("etc/os-release", 0600, 0, 0, Trees.EPOCH - 100, Trees.utf8("ID=kolibri\n"), "base-files"),
                FileEntry.file("etc/os-release", 0644, 1, 0, Trees.EPOCH - 100, Trees.utf8("ID=kolibri\n"), "base-files"),
                FileEntry.file("etc/os-release", 0644, 0, 0, Trees.EPOCH - 101, Trees.utf8("ID=kolibri\n"), "base-files"),
                FileEntry.file("etc/os-release", 0644, 0, 0, Trees.EPOCH - 100, Trees.utf8("ID=kolibrj\n"), "base-files"));
        for (FileEntry v : variants) {
            FileTree t = Trees.tree("amd64");
            t.put(v);
            assertThat(LayerWriter.recipe(items(t), Compression.GZIP, 6, d)).as(v.toString()).isNotEqualTo(k);
        }
        assertThat(LayerWriter.recipe(items(base), Compression.GZIP, 5, d)).isNotEqualTo(k);
        assertThat(LayerWriter.recipe(items(base), Compression.ZSTD, 6, d)).isNotEqualTo(k);
        assertThat(LayerWriter.fingerprint(Compression.GZIP, 6)).isEqualTo(LayerWriter.fingerprint(Compression.GZIP, 6))
                .isNotEqualTo(LayerWriter.fingerprint(Compression.GZIP, 9));
    }

    private static List<LayerWriter.TarItem> items(FileTree t) {
        return LayerWriter.plan(t.entries(), Trees.EPOCH);
    }
}
