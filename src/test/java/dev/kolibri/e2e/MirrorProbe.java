package dev.kolibri.e2e;

import dev.kolibri.repo.AptSource;
import dev.kolibri.repo.AptSources;
import org.junit.jupiter.api.Assumptions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** For tests tagged {@code mirror}: this machine's apt sources, or a visible skip when a suite is not reachable. */
final class MirrorProbe {
    private MirrorProbe() {}

    /**
     * The machine's apt sources when the source {@code url: system} takes for {@code suite} answers its InRelease;
     * else the calling test is skipped with the reason.
     */
    static AptSources reachable(String suite) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/etc/apt")), "skipped: no /etc/apt on this machine");
        AptSources apt = AptSources.system();
        Optional<AptSource> src = apt.sourceFor(suite);
        Assumptions.assumeTrue(src.isPresent(), "skipped: this machine has no apt source for " + suite + " or its archive");
        URI probe = src.get().uri().resolve("dists/" + suite + "/InRelease");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(10))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            Assumptions.assumeTrue(r.statusCode() == 200, "skipped: " + probe + " answered HTTP " + r.statusCode());
        } catch (java.io.IOException e) {
            Assumptions.abort("skipped: the mirror is unreachable (" + probe + "): " + e);
        }
        return apt;
    }
}
