package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildEvents;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.build.RpmImageFixture;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.repo.AptSources;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.StaticHttpServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The SBOMs of an RPM image build (fixture repository of {@link RpmImageFixture}) against the official schemas. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpmBuildSbomTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    Path sidecar;
    Lockfile lock;

    @BeforeAll
    void build(@TempDir Path dir) throws Exception {
        RpmImageFixture.Repo repo = RpmImageFixture.copy(dir);
        try (StaticHttpServer http = StaticHttpServer.serve(repo.dir())) {
            Path def = RpmImageFixture.definition(dir, "python", http.base().toString(), """
                    packages: [pyrt]
                    """);
            Kolibri k = new Kolibri(new ContentStore(dir.resolve("cache")), Progress.SILENT, BuildEvents.SILENT,
                    AptSources.load(Files.createDirectories(dir.resolve("apt"))), dir);
            ImageSpec spec = Kolibri.load(def, null);
            lock = k.lock(spec);
            Path out = dir.resolve("out/python");
            k.build(spec, new BuildOptions(out, List.of(), null, true, false, Compression.GZIP, null));
            sidecar = dir.resolve("out/python/sbom/1");
        }
    }

    @Test
    void spdx_validates(@TempDir Path tmp) throws Exception {
        byte[] spdx = Files.readAllBytes(sidecar.resolve("amd64.spdx.json"));
        assertThat(Validators.spdxSchemaErrors(spdx)).isEmpty();
        assertThat(Validators.spdxModelErrors(spdx, tmp)).isEmpty();
    }

    @Test
    void cycloneDx_validates() throws Exception {
        assertThat(Validators.cycloneDxErrors(Files.readAllBytes(sidecar.resolve("amd64.cdx.json")))).isEmpty();
    }

    @Test
    void spdx_listsTheLockedPackagesWithRpmPurlsDigestsAndLicences() throws Exception {
        JsonNode doc = MAPPER.readTree(Files.readAllBytes(sidecar.resolve("amd64.spdx.json")));
        Set<String> purls = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        for (JsonNode p : doc.get("packages")) {
            String purpose = p.path("primaryPackagePurpose").asText();
            if (purpose.equals("CONTAINER") || purpose.equals("SOURCE")) continue;
            names.add(p.get("name").asText());
            for (JsonNode r : p.get("externalRefs")) {
                if (r.get("referenceType").asText().equals("purl")) purls.add(r.get("referenceLocator").asText());
            }
            if (p.get("name").asText().equals("libgreet")) {
                assertThat(p.get("licenseDeclared").asText()).isEqualTo("Apache-2.0");
                assertThat(p.get("checksums").toString()).contains(lock.packagesFor("amd64").stream()
                        .filter(l -> l.name().equals("libgreet")).findFirst().orElseThrow().sha256());
            }
        }
        assertThat(names).isEqualTo(new TreeSet<>(lock.packagesFor("amd64").stream().map(l -> l.name()).toList()));
        assertThat(purls).contains("pkg:rpm/kolibrifix/libgreet@1.0-4?arch=x86_64&distro=kolibrifix-1&epoch=2&upstream=fixture-1-1.src.rpm");
    }

    @Test
    void provenance_namesRpmPackages() throws Exception {
        String prov = Files.readString(sidecar.resolve("provenance.intoto.json"));
        assertThat(prov).contains("\"name\": \"rpm:libgreet_").doesNotContain("\"deb:");
    }
}
