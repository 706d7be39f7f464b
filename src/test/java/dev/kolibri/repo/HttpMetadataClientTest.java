package dev.kolibri.repo;

import dev.kolibri.testing.StaticHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpMetadataClientTest {
    private final HttpMetadataClient client =
            new HttpMetadataClient(Duration.ofSeconds(5), 3, Duration.ofMillis(10), Duration.ofSeconds(30));

    @Test
    void getAnd404(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "hello");
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            assertThat(client.get(s.base().resolve("a.txt"))).asString().isEqualTo("hello");
            assertThat(client.getIfExists(s.base().resolve("missing"))).isEmpty();
            assertThatThrownBy(() -> client.get(s.base().resolve("missing")))
                    .isInstanceOf(RepositoryException.class).hasMessage("not found (404): " + s.base().resolve("missing"));
        }
    }

    @Test
    void retriesServerErrorsAndDroppedConnections(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "hello");
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            AtomicInteger n = new AtomicInteger();
            s.fault(p -> switch (n.incrementAndGet()) { case 1 -> 503; case 2 -> -1; default -> 0; });
            assertThat(client.get(s.base().resolve("a.txt"))).asString().isEqualTo("hello");
            assertThat(s.requests()).hasSize(3);
        }
    }

    @Test
    void givesUpAfterRetries_andDoesNotRetry4xx(@TempDir Path dir) throws Exception {
        try (StaticHttpServer s = StaticHttpServer.serve(dir)) {
            s.fault(p -> 500);
            assertThatThrownBy(() -> client.get(s.base().resolve("x")))
                    .hasMessage("cannot fetch " + s.base().resolve("x") + " after 4 attempts: HTTP 500");
            assertThat(s.requests()).hasSize(4);
            s.fault(p -> 403);
            assertThatThrownBy(() -> client.get(s.base().resolve("y"))).hasMessage("HTTP 403 for " + s.base().resolve("y"));
            assertThat(s.requests()).hasSize(5);
        }
    }

    @Test
    void fileUris(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "local");
        assertThat(client.get(dir.resolve("a.txt").toUri())).asString().isEqualTo("local");
        assertThat(client.getIfExists(dir.resolve("none").toUri())).isEmpty();
        assertThatThrownBy(() -> client.get(java.net.URI.create("ftp://x.invalid/a"))).hasMessageContaining("unsupported URL scheme 'ftp'");
    }
}
