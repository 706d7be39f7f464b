package dev.kolibri.fetch;

import dev.kolibri.oci.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentStoreTest {
    @TempDir
    Path dir;

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String hex(byte[] b) {
        return Digest.sha256(b).hex();
    }

    /** Every regular file under the store root. */
    static List<Path> files(Path root) throws IOException {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void defaultRoot_absoluteXdgCacheHome_isUsed() {
        assertThat(ContentStore.defaultRoot(Map.of("XDG_CACHE_HOME", "/var/cache/me", "HOME", "/home/u"), Path.of("/fb")))
                .isEqualTo(Path.of("/var/cache/me/kolibri"));
    }

    @Test
    void defaultRoot_relativeOrEmptyXdg_fallsBackToHomeCache() {
        assertThat(ContentStore.defaultRoot(Map.of("XDG_CACHE_HOME", "rel/cache", "HOME", "/home/u"), Path.of("/fb")))
                .isEqualTo(Path.of("/home/u/.cache/kolibri"));
        assertThat(ContentStore.defaultRoot(Map.of("XDG_CACHE_HOME", "", "HOME", "/home/u"), Path.of("/fb")))
                .isEqualTo(Path.of("/home/u/.cache/kolibri"));
        assertThat(ContentStore.defaultRoot(Map.of(), Path.of("/fb")))
                .isEqualTo(Path.of("/fb/.cache/kolibri"));
    }

    @Test
    void defaultStore_usesGivenEnvironment() {
        ContentStore s = ContentStore.defaultStore(Map.of("XDG_CACHE_HOME", dir.toString()));
        assertThat(s.root()).isEqualTo(dir.resolve("kolibri"));
    }

    @Test
    void put_thenGet_returnsVerifiedBlobAtItsAddress() throws IOException {
        ContentStore s = new ContentStore(dir);
        byte[] b = bytes(100_000, 1);
        Path p = s.put(new ByteArrayInputStream(b), hex(b), b.length);
        assertThat(p).isEqualTo(dir.resolve("blobs/sha256/" + hex(b)));
        assertThat(Files.readAllBytes(p)).isEqualTo(b);
        assertThat(s.get(hex(b))).contains(p);
        assertThat(s.get(hex(bytes(10, 2)))).isEmpty();
        assertThat(files(dir)).containsExactly(p);
    }

    @Test
    void put_emptyBlob_works() throws IOException {
        ContentStore s = new ContentStore(dir);
        byte[] b = new byte[0];
        assertThat(Files.size(s.put(InputStream.nullInputStream(), hex(b), 0))).isZero();
        assertThat(s.get(hex(b))).isPresent();
    }

    @Test
    void put_wrongDigest_refusedNamingBothDigestsAndSource_nothingLeft() {
        ContentStore s = new ContentStore(dir);
        byte[] b = bytes(5000, 3);
        String wrong = hex(bytes(5000, 4));
        assertThatThrownBy(() -> s.put(new ByteArrayInputStream(b), wrong, b.length, "pkg-a 1.0 (amd64)"))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("pkg-a 1.0 (amd64)")
                .hasMessageContaining(wrong)
                .hasMessageContaining(hex(b))
                .satisfies(e -> {
                    DigestMismatchException d = (DigestMismatchException) e;
                    assertThat(d.expected()).isEqualTo("sha256:" + wrong);
                    assertThat(d.actual()).isEqualTo("sha256:" + hex(b));
                });
        assertThat(filesOrFail(dir)).isEmpty();
    }

    @Test
    void put_longerThanDeclared_refusedAfterReadingOneByteMore() {
        ContentStore s = new ContentStore(dir);
        byte[] b = bytes(300_000, 5);
        CountingStream in = new CountingStream(b);
        assertThatThrownBy(() -> s.put(in, hex(b), 1000, "src"))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("longer than the declared 1000 bytes");
        assertThat(in.read).isEqualTo(1001);
        assertThat(filesOrFail(dir)).isEmpty();
    }

    @Test
    void put_shorterThanDeclared_refused() {
        ContentStore s = new ContentStore(dir);
        byte[] b = bytes(999, 6);
        assertThatThrownBy(() -> s.put(new ByteArrayInputStream(b), hex(b), 1000, "src"))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("expected 1000 bytes, got 999");
        assertThat(filesOrFail(dir)).isEmpty();
    }

    @Test
    void put_streamFails_nothingLeft() {
        ContentStore s = new ContentStore(dir);
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 10) throw new IOException("connection reset");
                return 7;
            }
        };
        assertThatThrownBy(() -> s.put(broken, hex(bytes(100, 1)), 100, "src")).hasMessageContaining("connection reset");
        assertThat(filesOrFail(dir)).isEmpty();
    }

    @Test
    void get_corruptedBlob_isDeletedAndAbsent() throws IOException {
        ContentStore s = new ContentStore(dir);
        byte[] b = bytes(20_000, 7);
        Path p = s.put(new ByteArrayInputStream(b), hex(b), b.length);
        assertThat(s.get(hex(b))).isPresent(); // remembered as verified
        byte[] bad = b.clone();
        bad[100] ^= 1;
        Files.write(p, bad); // same size, new content
        assertThat(s.get(hex(b))).isEmpty();
        assertThat(p).doesNotExist();
    }

    @Test
    void get_blobWrittenByAnotherProcessWithWrongContent_isAbsent() throws IOException {
        ContentStore s = new ContentStore(dir);
        byte[] b = bytes(2000, 8);
        Path p = s.blobPath(hex(b));
        Files.createDirectories(p.getParent());
        Files.write(p, bytes(2000, 9));
        assertThat(s.get(hex(b))).isEmpty();
        assertThat(p).doesNotExist();
    }

    @Test
    void get_malformedDigest_rejected() {
        ContentStore s = new ContentStore(dir);
        assertThatThrownBy(() -> s.get("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("../../etc/passwd");
    }

    @Test
    void put_concurrentWritersOfOneBlob_allSucceed_oneFileRemains() throws Exception {
        ContentStore s = new ContentStore(dir);
        byte[] b = bytes(1 << 20, 10);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> fs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Callable<Path> c = () -> s.put(new ByteArrayInputStream(b), hex(b), b.length);
                fs.add(pool.submit(c));
            }
            for (Future<Path> f : fs) assertThat(f.get()).isEqualTo(s.blobPath(hex(b)));
        } finally {
            pool.shutdownNow();
        }
        assertThat(files(dir)).containsExactly(s.blobPath(hex(b)));
        assertThat(Files.readAllBytes(s.blobPath(hex(b)))).isEqualTo(b);
    }

    private static List<Path> filesOrFail(Path root) {
        try {
            return files(root);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final class CountingStream extends ByteArrayInputStream {
        int read;

        CountingStream(byte[] b) {
            super(b);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            if (n > 0) read += n;
            return n;
        }
    }
}
