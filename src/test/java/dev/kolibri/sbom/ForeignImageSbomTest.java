package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.cli.Main;
import dev.kolibri.repo.AptSource;
import dev.kolibri.repo.AptSources;
import dev.kolibri.repo.HttpMetadataClient;
import dev.kolibri.repo.RepositoryException;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kolibri sbom} on an image Kolibri did not build: a Debian 12 root made by mmdebstrap from this machine's
 * apt source, packed into an OCI layout by umoci. Its package list must be dpkg-query's.
 */
@Tag("mirror")
class ForeignImageSbomTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void sbom_ofAnMmdebstrapImagePackedByUmoci_listsExactlyWhatDpkgQueryLists(@TempDir Path dir) throws Exception {
        Tools.require("mmdebstrap", "umoci", "dpkg-query");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/etc/apt")), "skipped: no /etc/apt on this machine");
        Optional<AptSource> src = AptSources.system().forSuite("bookworm");
        Assumptions.assumeTrue(src.isPresent(), "skipped: this machine has no apt source for bookworm");
        URI mirror = src.get().uri();
        try {
            Assumptions.assumeTrue(new HttpMetadataClient().getIfExists(mirror.resolve("dists/bookworm/InRelease")).isPresent(),
                    "skipped: the mirror has no dists/bookworm/InRelease");
        } catch (RepositoryException e) {
            Assumptions.abort("skipped: the mirror is unreachable: " + e.getMessage());
        }

        Path root = dir.resolve("root");
        Path bundle = dir.resolve("bundle");
        try {
            check(dir, root, bundle, mirror);
        } finally {
            // Absolute symlinks in a root file system make JUnit's @TempDir clean-up warn at length; rm is quiet.
            Tools.run(null, java.util.Map.of(), List.of("rm", "-rf", root.toString(), bundle.toString()));
        }
    }

    private static void check(Path dir, Path root, Path bundle, URI mirror) throws Exception {
        Tools.ok(null, "mmdebstrap", "--quiet", "--variant=essential", "--mode=root", "bookworm", root.toString(),
                mirror.toString());
        Path layout = dir.resolve("layout");
        Tools.ok(null, "umoci", "init", "--layout", layout.toString());
        Tools.ok(null, "umoci", "new", "--image", layout + ":bookworm");
        Tools.ok(null, "umoci", "unpack", "--image", layout + ":bookworm", bundle.toString());
        Tools.ok(null, "cp", "-a", root + "/.", bundle.resolve("rootfs").toString());
        Tools.ok(null, "umoci", "repack", "--image", layout + ":bookworm", bundle.toString());

        Set<String> expected = Arrays.stream(Tools.ok(null, "dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"),
                        "-W", "-f", "${Package}\\n").out().split("\n"))
                .filter(s -> !s.isBlank()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(expected).contains("libc6", "dpkg", "base-files").hasSizeGreaterThan(30);

        Path spdxFile = dir.resolve("bookworm.spdx.json");
        StringWriter err = new StringWriter();
        int rc = Main.run(new String[] {"sbom", layout + ":bookworm", "-o", spdxFile.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(rc).as(err.toString()).isZero();
        byte[] spdx = Files.readAllBytes(spdxFile);
        assertThat(Validators.spdxSchemaErrors(spdx)).isEmpty();
        assertThat(Validators.spdxModelErrors(spdx, Files.createDirectories(dir.resolve("verify")))).isEmpty();
        Set<String> listed = new TreeSet<>();
        JsonNode doc = MAPPER.readTree(spdx);
        for (JsonNode p : doc.get("packages")) {
            String purpose = p.path("primaryPackagePurpose").asText();
            if (!purpose.equals("CONTAINER") && !purpose.equals("SOURCE")) listed.add(p.get("name").asText());
        }
        assertThat(listed).isEqualTo(expected);
        assertThat(doc.toString()).contains("distro=debian-12");

        StringWriter cdx = new StringWriter();
        rc = Main.run(new String[] {"sbom", layout + ":bookworm", "--format", "cyclonedx"}, new PrintWriter(cdx),
                new PrintWriter(err));
        assertThat(rc).as(err.toString()).isZero();
        assertThat(Validators.cycloneDxErrors(cdx.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty();
        List<String> libraries = MAPPER.readTree(cdx.toString()).get("components").findValuesAsText("type");
        assertThat(libraries.stream().filter("library"::equals).count()).isEqualTo(expected.size());
    }
}
