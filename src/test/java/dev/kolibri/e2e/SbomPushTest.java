package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.oci.Platform;
import dev.kolibri.testing.RegistryServer;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SBOMs of a built image travel with it to a registry, through {@code build --push} and through a plain
 * {@code push} of the layout: each platform manifest gets both documents as OCI 1.1 referrers (read back from the
 * {@code sha256-<hex>} referrers tag of distribution 2.8 with skopeo), the SPDX one also under cosign's
 * {@code sha256-<hex>.sbom} tag, and {@code sbom --download --format F} returns the format asked for.
 */
class SbomPushTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path shared;
    static Fixture fixture;
    static Fixture.Served served;
    static RegistryServer reg;

    @TempDir Path dir;

    @BeforeAll
    static void serve() throws IOException {
        Tools.require("docker-registry", "skopeo");
        fixture = Fixture.get();
        served = fixture.serve(shared);
        reg = RegistryServer.start(shared.resolve("reg"));
    }

    @AfterAll
    static void stop() {
        if (served != null) served.close();
        if (reg != null) reg.close();
    }

    Cli cli() {
        return Cli.withCache(dir.resolve("cache")).env("REGISTRY_AUTH_FILE", dir.resolve("no-auth.json").toString())
                .env("CONTAINERS_REGISTRIES_CONF", dir.resolve("no-registries.conf").toString());
    }

    static Cli.Result ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private static JsonNode skopeoRaw(String ref) throws IOException {
        List<String> cmd = List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref);
        return JSON.readTree(Tools.run(null, Map.of(), cmd).orFail(cmd).out());
    }

    private Path built(String name) throws IOException {
        Path def = fixture.definition(dir.resolve("defs"), served, name, List.of("fixture-base", "hello"),
                "entrypoint: [/usr/bin/hello]");
        ok(cli().run(dir, "build", def.toString(), "-o", dir.resolve("out/" + name).toString()));
        return dir.resolve("out/" + name);
    }

    /** What a registry holds for one image: both SBOMs per platform, as referrers, SPDX under cosign's tag. */
    private void assertSbomsTravelled(Path layoutDir, String repoRef) throws IOException {
        OciLayout layout = LayoutReader.open(layoutDir);
        List<Descriptor> platforms = layout.index(layout.resolve("1")).manifests();
        assertThat(platforms).hasSize(2);
        for (Descriptor m : platforms) {
            String hex = m.digest().hex();
            JsonNode cosign = skopeoRaw(repoRef + ":sha256-" + hex + ".sbom");
            assertThat(cosign.path("layers")).hasSize(1);
            assertThat(cosign.path("layers").get(0).path("mediaType").asText()).isEqualTo("text/spdx+json");

            JsonNode referrers = skopeoRaw(repoRef + ":sha256-" + hex);
            List<String> types = new ArrayList<>();
            for (JsonNode d : referrers.path("manifests")) types.add(d.path("artifactType").asText());
            assertThat(types).contains("application/spdx+json", "application/vnd.cyclonedx+json");
            for (JsonNode d : referrers.path("manifests")) {
                JsonNode art = skopeoRaw(repoRef + "@" + d.path("digest").asText());
                assertThat(art.path("subject").path("digest").asText()).isEqualTo(m.digest().toString());
            }

            String platform = m.platform().toString();
            Cli.Result spdx = ok(cli().run(dir, "sbom", "--download", repoRef + ":1", "--platform", platform, "--format", "spdx"));
            assertThat(JSON.readTree(spdx.out()).path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
            String arch = m.platform().architecture();
            assertThat(spdx.out()).isEqualTo(Files.readString(dev.kolibri.build.ImageBuilder.sbomDirOf(layoutDir, "1")
                    .resolve(arch + ".spdx.json")));
            Cli.Result cdx = ok(cli().run(dir, "sbom", "--download", repoRef + ":1", "--platform", platform, "--format", "cyclonedx"));
            assertThat(JSON.readTree(cdx.out()).path("bomFormat").asText()).isEqualTo("CycloneDX");
            Cli.Result any = ok(cli().run(dir, "sbom", "--download", repoRef + ":1", "--platform", platform));
            assertThat(any.out()).as("cosign's .sbom tag: SPDX").isEqualTo(spdx.out());
        }
    }

    @Test
    void buildPush_attachesSpdxAndCycloneDx_eachFindable() throws IOException {
        Path def = fixture.definition(dir.resolve("defs"), served, "hello", List.of("fixture-base", "hello"),
                "entrypoint: [/usr/bin/hello]");
        String ref = reg.host() + "/team/built";
        Path out = dir.resolve("out/hello");
        ok(cli().run(dir, "build", def.toString(), "-o", out.toString(), "--push", ref));
        assertSbomsTravelled(out, ref);
    }

    @Test
    void plainPush_ofABuiltLayout_carriesItsSboms() throws IOException {
        Path out = built("plain");
        String ref = reg.host() + "/team/plain";
        Cli.Result r = ok(cli().run(dir, "push", out + ":1", ref, "--json"));
        assertThat(JSON.readTree(r.out()).path("sboms")).hasSize(4);
        assertSbomsTravelled(out, ref);
        // pushed again: nothing new, the same referrers (no duplicates in the referrers tag)
        ok(cli().run(dir, "push", out + ":1", ref));
        OciLayout layout = LayoutReader.open(out);
        Descriptor amd = layout.index(layout.resolve("1")).manifests().stream()
                .filter(d -> d.platform().equals(Platform.LINUX_AMD64)).findFirst().orElseThrow();
        assertThat(skopeoRaw(ref + ":sha256-" + amd.digest().hex()).path("manifests")).hasSize(2);
    }
}
