package dev.kolibri.fetch;

import dev.kolibri.testing.StaticHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.kolibri.fetch.ContentStoreTest.bytes;
import static dev.kolibri.fetch.ContentStoreTest.files;
import static dev.kolibri.fetch.ContentStoreTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DownloaderTest {
    @TempDir
    Path served;
    @TempDir
    Path cache;

    StaticHttpServer server;
    ContentStore store;
    final DownloadOptions fast = DownloadOptions.defaults().withInitialBackoff(Duration.ofMillis(10));

    @BeforeEach
    void start() throws IOException {
        server = StaticHttpServer.serve(served);
        store = new ContentStore(cache);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Writes {@code pool/<name>.deb} with seeded content and returns a request for it. */
    Downloader.Request file(String name, int size, long seed) throws IOException {
        byte[] b = bytes(size, seed);
        Path p = served.resolve("pool").resolve(name + ".deb");
        Files.createDirectories(p.getParent());
        Files.write(p, b);
        return new Downloader.Request(name + " 1.0-1 (amd64)", server.base().resolve("pool/" + name + ".deb"),
                b.length, hex(b));
    }

    List<Downloader.Request> packages(int n) throws IOException {
        List<Downloader.Request> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) rs.add(file("pkg" + i, 1000 + i * 7919, i));
        return rs;
    }

    Downloader downloader(DownloadOptions o) {
        return new Downloader(store, o, Progress.SILENT);
    }

    long requestsFor(String path) {
        return server.requests().stream().filter(path::equals).count();
    }

    void assertStoreHoldsOnly(List<Downloader.Request> rs) throws IOException {
        assertThat(files(cache)).containsExactlyInAnyOrderElementsOf(
                rs.stream().map(r -> store.blobPath(r.sha256())).toList());
    }

    @Test
    void fetchAll_twentyFiles_allStoredAndVerified() throws Exception {
        List<Downloader.Request> rs = packages(20);
        Downloader.Fetched f = downloader(fast).fetch(rs);
        assertThat(f.paths().keySet()).containsExactlyElementsOf(rs);
        for (Downloader.Request r : rs) {
            Path p = f.paths().get(r);
            assertThat(p).isEqualTo(store.blobPath(r.sha256()));
            assertThat(Files.readAllBytes(p)).isEqualTo(
                    Files.readAllBytes(served.resolve(r.url().getPath().substring(1))));
        }
        assertThat(f.summary()).isEqualTo(new FetchSummary(0, 20, 0, 0,
                rs.stream().mapToLong(Downloader.Request::size).sum(), 0));
        assertStoreHoldsOnly(rs);
    }

    @Test
    void fetchAll_secondRun_servedFromCacheWithoutRequests() throws Exception {
        List<Downloader.Request> rs = packages(20);
        downloader(fast).fetchAll(rs);
        int before = server.requests().size();
        assertThat(before).isEqualTo(20);
        Downloader.Fetched again = downloader(fast).fetch(rs);
        assertThat(server.requests()).hasSize(before);
        assertThat(again.summary().fromCache()).isEqualTo(20);
        assertThat(again.summary().downloaded()).isZero();
        assertThat(again.paths()).hasSize(20);
    }

    @Test
    void fetchAll_corruptedCacheEntry_isFetchedAgain() throws Exception {
        List<Downloader.Request> rs = packages(3);
        downloader(fast).fetchAll(rs);
        Downloader.Request victim = rs.get(1);
        Path blob = store.blobPath(victim.sha256());
        byte[] bad = Files.readAllBytes(blob);
        bad[0] ^= (byte) 0xff;
        Files.write(blob, bad);

        Downloader.Fetched f = downloader(fast).fetch(rs);
        assertThat(requestsFor("pool/pkg1.deb")).isEqualTo(2);
        assertThat(server.requests()).hasSize(4);
        assertThat(f.summary().fromCache()).isEqualTo(2);
        assertThat(f.summary().downloaded()).isEqualTo(1);
        assertThat(hex(Files.readAllBytes(blob))).isEqualTo(victim.sha256());
    }

    @Test
    void fetchAll_wrongSha256OnServer_failsNamingPackageAndBothDigests_nothingStored() throws Exception {
        Downloader.Request good = file("good", 4000, 1);
        Downloader.Request served = file("libbad", 5000, 2);
        String wrong = hex(bytes(5000, 99));
        Downloader.Request bad = new Downloader.Request(served.name(), served.url(), served.size(), wrong);
        Recording progress = new Recording();

        assertThatThrownBy(() -> new Downloader(store, fast, progress).fetchAll(List.of(good, bad)))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("libbad 1.0-1 (amd64)")
                .hasMessageContaining(bad.url().toString())
                .hasMessageContaining("expected " + wrong)
                .hasMessageContaining("got " + served.sha256())
                .satisfies(e -> assertThat(((FetchException) e).failures()).hasSize(1));
        assertThat(requestsFor("pool/libbad.deb")).as("retried once from scratch").isEqualTo(2);
        assertStoreHoldsOnly(List.of(good)); // no blob, no temp file for the bad one
        assertThat(progress.bytes.get()).as("failed attempts rolled back").isEqualTo(good.size());
        assertThat(progress.done.get()).isEqualTo(1);
    }

    @Test
    void fetchAll_server500TwiceThenOk_succeedsWithRetriesCounted() throws Exception {
        Downloader.Request r = file("flaky", 3000, 3);
        AtomicInteger calls = new AtomicInteger();
        server.fault(p -> calls.incrementAndGet() <= 2 ? 500 : 0);
        Downloader.Fetched f = downloader(fast).fetch(List.of(r));
        assertThat(f.summary().retries()).isEqualTo(2);
        assertThat(f.summary().downloaded()).isEqualTo(1);
        assertThat(server.requests()).hasSize(3);
        assertThat(f.paths().get(r)).exists();
    }

    @Test
    void fetchAll_droppedConnectionThenOk_succeeds() throws Exception {
        Downloader.Request r = file("dropped", 3000, 4);
        AtomicInteger calls = new AtomicInteger();
        // two drops: the JDK client itself may retry a GET once on a fresh connection's close, so the second drop
        // reaches our retry either way
        server.fault(p -> calls.incrementAndGet() <= 2 ? -1 : 0);
        Downloader.Fetched f = downloader(fast).fetch(List.of(r));
        assertThat(f.summary().retries()).isBetween(1, 2);
        assertThat(server.requests()).hasSize(3);
        assertThat(hex(Files.readAllBytes(f.paths().get(r)))).isEqualTo(r.sha256());
    }

    @Test
    void fetchAll_tooManyRequestsThenOk_retried() throws Exception {
        Downloader.Request r = file("limited", 3000, 5);
        AtomicInteger calls = new AtomicInteger();
        server.fault(p -> calls.incrementAndGet() == 1 ? 429 : 0);
        assertThat(downloader(fast).fetch(List.of(r)).summary().retries()).isEqualTo(1);
    }

    @Test
    void fetchAll_always500_givesUpAfterAttemptsNamingPackageAndUrl() throws Exception {
        Downloader.Request r = file("down", 3000, 6);
        server.fault(p -> 503);
        assertThatThrownBy(() -> downloader(fast.withAttempts(3)).fetchAll(List.of(r)))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("down 1.0-1 (amd64)")
                .hasMessageContaining(r.url().toString())
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("gave up after 3 attempts");
        assertThat(server.requests()).hasSize(3);
        assertThat(files(cache)).isEmpty();
    }

    @Test
    void fetchAll_404_failsAtOnceNamingUrl() throws Exception {
        Downloader.Request r = new Downloader.Request("gone 1.0 (amd64)", server.base().resolve("pool/gone.deb"),
                10, hex(bytes(10, 1)));
        assertThatThrownBy(() -> downloader(fast).fetchAll(List.of(r)))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("gone 1.0 (amd64)")
                .hasMessageContaining(r.url().toString())
                .hasMessageContaining("HTTP 404")
                .satisfies(e -> assertThat(((FetchException) e).summary().retries()).isZero());
        assertThat(server.requests()).containsExactly("pool/gone.deb");
    }

    @Test
    void fetchAll_403_notRetried() throws Exception {
        Downloader.Request r = file("secret", 100, 7);
        server.fault(p -> 403);
        assertThatThrownBy(() -> downloader(fast).fetchAll(List.of(r))).hasMessageContaining("HTTP 403");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void fetchAll_offlineWithCache_ok_withoutRequests() throws Exception {
        List<Downloader.Request> rs = packages(3);
        downloader(fast).fetchAll(rs);
        int before = server.requests().size();
        Map<Downloader.Request, Path> m = downloader(fast.withOffline(true)).fetchAll(rs);
        assertThat(m).hasSize(3);
        assertThat(server.requests()).hasSize(before);
    }

    @Test
    void fetchAll_offlineWithoutCache_failsClearly_withoutRequests() throws Exception {
        Downloader.Request r = file("python3.11-minimal", 500, 8);
        assertThatThrownBy(() -> downloader(fast.withOffline(true)).fetchAll(List.of(r)))
                .isInstanceOf(FetchException.class)
                .hasMessage(r.name() + " is not in the cache (" + store.blobPath(r.sha256())
                        + ") and --offline forbids downloading; run without --offline once");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void fetchAll_bodyLongerThanDeclared_refused() throws Exception {
        Downloader.Request served = file("big", 10_000, 9);
        Downloader.Request declared = new Downloader.Request(served.name(), served.url(), 4000, served.sha256());
        assertThatThrownBy(() -> downloader(fast).fetchAll(List.of(declared)))
                .isInstanceOf(FetchException.class)
                .hasMessageContaining("big 1.0-1 (amd64)")
                .hasMessageContaining("longer than the declared 4000 bytes");
        assertThat(files(cache)).isEmpty();
    }

    @Test
    void fetchAll_concurrencyBoundRespected() throws Exception {
        List<Downloader.Request> rs = packages(15);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        server.fault(p -> {
            int now = inFlight.incrementAndGet();
            max.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return 0;
        });
        downloader(fast.withParallelism(3)).fetchAll(rs);
        assertThat(server.requests()).hasSize(15);
        assertThat(max.get()).isBetween(1, 3);
    }

    @Test
    void fetchAll_severalFailures_allListedSorted_goodOnesStored() throws Exception {
        Downloader.Request ok = file("ok", 2000, 10);
        List<Downloader.Request> missing = new ArrayList<>();
        for (String n : List.of("zlib", "acl", "missing")) {
            missing.add(new Downloader.Request(n + " 1 (amd64)", server.base().resolve("pool/" + n + ".deb"), 5,
                    hex(bytes(5, n.hashCode()))));
        }
        List<Downloader.Request> all = new ArrayList<>(missing);
        all.add(1, ok);
        assertThatThrownBy(() -> downloader(fast).fetchAll(all))
                .isInstanceOf(FetchException.class)
                .hasMessageStartingWith("3 packages could not be fetched:")
                .satisfies(e -> {
                    FetchException fe = (FetchException) e;
                    assertThat(fe.failures()).hasSize(3);
                    assertThat(fe.failures().get(0)).startsWith("acl 1 (amd64)");
                    assertThat(fe.failures().get(1)).startsWith("missing 1 (amd64)");
                    assertThat(fe.failures().get(2)).startsWith("zlib 1 (amd64)");
                    assertThat(fe.summary().downloaded()).isEqualTo(1);
                    assertThat(fe.summary().failed()).isEqualTo(3);
                });
        assertStoreHoldsOnly(List.of(ok));
    }

    @Test
    void fetchAll_fileUrl_copiedThroughVerification() throws Exception {
        byte[] b = bytes(7000, 11);
        Path local = served.resolve("local.deb");
        Files.write(local, b);
        Downloader.Request r = new Downloader.Request("local 1 (all)", local.toUri(), b.length, hex(b));
        Downloader.Request wrong = new Downloader.Request("wrong 1 (all)", local.toUri(), b.length,
                hex(bytes(7000, 12)));
        assertThatThrownBy(() -> downloader(fast).fetchAll(List.of(r, wrong)))
                .hasMessageContaining("wrong 1 (all)")
                .hasMessageContaining("sha256 mismatch");
        assertThat(Files.readAllBytes(store.blobPath(r.sha256()))).isEqualTo(b);
        assertStoreHoldsOnly(List.of(r));
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void fetchAll_progressHearsEveryPackage() throws Exception {
        List<Downloader.Request> rs = packages(4);
        downloader(fast).fetchAll(rs.subList(0, 2));
        Recording progress = new Recording();
        new Downloader(store, fast, progress).fetchAll(rs);
        long total = rs.stream().mapToLong(Downloader.Request::size).sum();
        assertThat(progress.startedCount.get()).isEqualTo(4);
        assertThat(progress.startedBytes.get()).isEqualTo(total);
        assertThat(progress.cached.keySet()).containsExactlyInAnyOrder(rs.get(0), rs.get(1));
        assertThat(progress.finished.keySet()).containsExactlyInAnyOrder(rs.get(2), rs.get(3));
        assertThat(progress.bytes.get()).isEqualTo(rs.get(2).size() + rs.get(3).size());
        assertThat(progress.done.get()).isEqualTo(1);
    }

    @Test
    void request_malformedSha256_rejectedNamingPackage() {
        assertThatThrownBy(() -> new Downloader.Request("p 1", server.base(), 1, "abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p 1");
    }

    static final class Recording implements Progress {
        final AtomicInteger startedCount = new AtomicInteger();
        final AtomicLong startedBytes = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final Map<Downloader.Request, Boolean> cached = new ConcurrentHashMap<>();
        final Map<Downloader.Request, Boolean> finished = new ConcurrentHashMap<>();
        final AtomicInteger done = new AtomicInteger();

        @Override
        public void started(int count, long b) {
            startedCount.set(count);
            startedBytes.set(b);
        }

        @Override
        public void advanced(long b) {
            bytes.addAndGet(b);
        }

        @Override
        public void cached(Downloader.Request r) {
            cached.put(r, true);
        }

        @Override
        public void finished(Downloader.Request r) {
            finished.put(r, true);
        }

        @Override
        public void done() {
            done.incrementAndGet();
        }
    }
}
