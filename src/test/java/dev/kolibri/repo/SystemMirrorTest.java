package dev.kolibri.repo;

import dev.kolibri.pkg.Package;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code url: system} end to end: this machine's apt source for bookworm, its keyring, the real mirror. */
@Tag("mirror")
class SystemMirrorTest {

    @Test
    void bookwormMainAmd64_throughTheMachinesAptSource() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/etc/apt")), "skipped: no /etc/apt on this machine");
        AptSources apt = AptSources.system();
        Optional<AptSource> src = apt.forSuite("bookworm");
        Assumptions.assumeTrue(src.isPresent(), "skipped: this machine has no apt source for bookworm");
        MetadataClient client = new HttpMetadataClient();
        URI inRelease = src.get().uri().resolve("dists/bookworm/InRelease");
        try {
            Assumptions.assumeTrue(client.getIfExists(inRelease).isPresent(), "skipped: the mirror has no " + inRelease);
        } catch (RepositoryException e) {
            Assumptions.abort("skipped: the mirror is unreachable: " + e.getMessage());
        }
        DebSource source = apt.debSource(src.get(), "bookworm", List.of("main"));
        RepoSnapshot snap = DebRepository.load(source, "amd64", client, apt.allowExpired(src.get()));
        assertThat(snap.packages().size()).isGreaterThan(50_000);
        Package py = snap.packages().stream().filter(p -> p.name().equals("python3.11-minimal")).findFirst().orElseThrow();
        assertThat(py.sourceName()).isEqualTo("python3.11");
        assertThat(py.location()).startsWith(src.get().uri().toString()).endsWith(".deb");
        assertThat(py.sha256()).hasSize(64);
        assertThat(snap.packages()).allMatch(p -> p.arch().equals("amd64") || p.arch().equals("all"));
    }
}
