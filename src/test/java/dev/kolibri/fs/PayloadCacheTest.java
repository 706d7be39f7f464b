package dev.kolibri.fs;

import dev.kolibri.pkg.deb.DebArchive;
import dev.kolibri.testing.DebBuilder;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadCacheTest {
    static final String KEY = "ab".repeat(32);

    @TempDir Path tmp;
    Path deb;
    PayloadCache cache;

    @BeforeEach
    void setUp() throws Exception {
        Tools.require("dpkg-deb");
        deb = DebBuilder.deb("hello", "1.0-1", "amd64")
                .file("/usr/bin/hello", new byte[]{0x7f, 'E', 'L', 'F', 0, 1, 2, (byte) 0xff}, "4755")
                .file("/usr/share/doc/hello/copyright", "Files: *\nLicense: MIT\n")
                .file("/usr/share/doc/hello/ünïcödé.txt", "x".repeat(70_000))
                .symlink("/usr/bin/hi", "hello")
                .build(tmp.resolve("pool"));
        cache = PayloadCache.at(tmp.resolve("cache/payloads"));
    }

    /** The payload as the archive reader gives it, counting how often it is asked. */
    private Supplier<PayloadSource> counting(AtomicInteger calls) {
        return () -> {
            calls.incrementAndGet();
            return DebArchive.open(deb).payload();
        };
    }

    private List<PayloadEntry> fresh() {
        List<PayloadEntry> out = new ArrayList<>();
        DebArchive.open(deb).forEachPayloadEntry(out::add);
        return out;
    }

    @Test
    void secondRead_comesFromTheCache_withTheSameEntries() {
        AtomicInteger calls = new AtomicInteger();
        List<PayloadEntry> first = cache.entries(KEY, counting(calls));
        List<PayloadEntry> second = cache.entries(KEY, counting(calls));
        assertThat(calls).hasValue(1);
        assertThat(first).isEqualTo(fresh());
        assertThat(second).isEqualTo(first);
        assertThat(second).extracting(PayloadEntry::path).contains("./usr/share/doc/hello/ünïcödé.txt", "./usr/bin/hi");
        assertThat(second.stream().filter(e -> e.path().equals("./usr/bin/hello")).findFirst().orElseThrow().mode())
                .isEqualTo(04755);
        assertThat(cache.contains(KEY)).isTrue();
    }

    @Test
    void corruptTruncatedOrForeignEntries_areDecodedAfreshAndReplaced() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        cache.entries(KEY, counting(calls));
        Path file = tmp.resolve("cache/payloads").resolve(KEY);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x01;
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 100);
        byte[] otherFormat = good.clone();
        otherFormat[19] ^= 0x7f; // in the format version, after the 16-byte magic
        for (byte[] bad : List.of(flipped, truncated, otherFormat, new byte[0], "garbage".getBytes())) {
            Files.write(file, bad);
            int before = calls.get();
            assertThat(cache.entries(KEY, counting(calls))).isEqualTo(fresh());
            assertThat(calls.get()).isEqualTo(before + 1);
            assertThat(Files.readAllBytes(file)).isEqualTo(good);
        }
    }

    @Test
    void hostileEntries_comeBackVerbatim_soTheInstallerStillRefusesThem() {
        List<PayloadEntry> hostile = List.of(
                PayloadEntry.file("../../etc/shadow", 0644, 1, new byte[]{1}),
                PayloadEntry.special("./dev/sda", PayloadEntry.Kind.BLOCK_DEVICE, 0660, 1),
                PayloadEntry.symlink("./x", "/" + "a/".repeat(5000), 1),
                new PayloadEntry("./y", PayloadEntry.Kind.FILE, 06755, 7, 8, "bin", "", Long.MIN_VALUE, null, Content.of(new byte[0])));
        cache.entries(KEY, () -> hostile::forEach);
        assertThat(cache.entries(KEY, () -> { throw new AssertionError("not cached"); })).isEqualTo(hostile);
        assertThatThrownBy(() -> new Installer().install(new FileTree(), "evil", cache.entries(KEY, () -> hostile::forEach)::forEach))
                .hasMessageContaining("../../etc/shadow");
    }

    @Test
    void theCallersHeader_isKeptBesideTheEntries() {
        byte[] header = "data.tar.xz\0control bytes \u00ff".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        PayloadCache.Cached first = cache.get(KEY, () -> new PayloadCache.Cached(header, fresh()));
        PayloadCache.Cached again = cache.get(KEY, () -> { throw new AssertionError("not cached"); });
        assertThat(again.header()).isEqualTo(header);
        assertThat(again.entries()).isEqualTo(first.entries()).isEqualTo(fresh());
    }

    @Test
    void eachFilesDigest_isKeptInTheEntry_andRecordedWhenRead() throws Exception {
        cache.entries(KEY, counting(new AtomicInteger()));
        ContentDigests digests = new ContentDigests();
        List<PayloadEntry> read = PayloadCache.at(tmp.resolve("cache/payloads"), digests)
                .entries(KEY, () -> { throw new AssertionError("not cached"); });
        int files = 0;
        for (PayloadEntry e : read) {
            if (e.content() == null) continue;
            files++;
            // kept on disk, not in memory, with the digest read from the entry
            assertThat(e.data()).as(e.path()).isInstanceOf(Content.Region.class);
            assertThat(e.data().knownSha256()).as(e.path()).isNotNull();
            assertThat(digests.sha256(e.data()))
                    .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(e.content()));
        }
        assertThat(files).isEqualTo(3);
    }

    @Test
    void aFailingSource_cachesNothing() {
        assertThatThrownBy(() -> cache.entries(KEY, () -> sink -> {
            sink.accept(PayloadEntry.directory("./usr", 0755, 1));
            throw new IllegalStateException("corrupt data.tar");
        })).hasMessage("corrupt data.tar");
        assertThat(cache.contains(KEY)).isFalse();
        assertThat(tmp.resolve("cache/payloads").toFile().list()).isNullOrEmpty();
    }

    @Test
    void disabled_neverWrites_andAlwaysDecodes() {
        AtomicInteger calls = new AtomicInteger();
        PayloadCache off = PayloadCache.disabled();
        off.entries(KEY, counting(calls));
        off.entries(KEY, counting(calls));
        assertThat(calls).hasValue(2);
        assertThat(off.contains(KEY)).isFalse();
    }

    @Test
    void aKeyThatIsNotASha256_isRefused() {
        assertThatThrownBy(() -> cache.entries("../../x", counting(new AtomicInteger())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a sha256");
    }
}
