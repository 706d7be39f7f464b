package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProvenanceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEF_SHA = Fixtures.sha("definition");
    private static final String LOCK_SHA = Fixtures.sha("lock");

    private static ProvenanceInput input(List<SbomPackage> packages, List<String> archs) {
        return new ProvenanceInput(Fixtures.debImage(), "images/python.yaml", DEF_SHA, "builder", archs, LOCK_SHA,
                Fixtures.EPOCH, packages, "0.1.0");
    }

    @Test
    void statement_hasInTotoAndSlsaShape() throws Exception {
        var in = input(Fixtures.debPackages(), List.of("arm64", "amd64"));
        JsonNode st = MAPPER.readTree(Provenance.write(in));
        assertThat(st.get("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(st.get("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
        assertThat(st.get("subject")).hasSize(1);
        assertThat(st.get("subject").get(0).get("name").asText()).isEqualTo("python");
        assertThat(st.get("subject").get(0).get("digest").get("sha256").asText()).isEqualTo(in.image().digest().hex());

        JsonNode def = st.get("predicate").get("buildDefinition");
        assertThat(def.get("buildType").asText()).isEqualTo("https://kolibri.dev/build/v1");
        assertThat(def.get("externalParameters").get("definition").get("path").asText()).isEqualTo("images/python.yaml");
        assertThat(def.get("externalParameters").get("definition").get("digest").get("sha256").asText()).isEqualTo(DEF_SHA);
        assertThat(def.get("externalParameters").get("variant").asText()).isEqualTo("builder");
        assertThat(def.get("externalParameters").get("archs").toString()).isEqualTo("[\"amd64\",\"arm64\"]");
        assertThat(def.get("internalParameters").get("lockDigest").get("sha256").asText()).isEqualTo(LOCK_SHA);
        assertThat(def.get("internalParameters").get("sourceDateEpoch").asLong()).isEqualTo(Fixtures.EPOCH);

        JsonNode deps = def.get("resolvedDependencies");
        assertThat(deps).hasSize(Fixtures.debPackages().size());
        List<String> names = new ArrayList<>();
        for (JsonNode d : deps) {
            names.add(d.get("name").asText());
            assertThat(d.get("digest").get("sha256").asText()).matches("[0-9a-f]{64}");
            assertThat(d.get("uri").asText()).startsWith("https://archive.example.org/");
        }
        assertThat(names).isSorted().contains("deb:libc6_2.36-9+deb12u4_amd64", "deb:zlib1g_1:1.2.13.dfsg-1_amd64");

        JsonNode run = st.get("predicate").get("runDetails");
        assertThat(run.get("builder").get("id").asText()).isEqualTo("https://kolibri.dev/builder");
        assertThat(run.get("builder").get("version").get("kolibri").asText()).isEqualTo("0.1.0");
        assertThat(run.get("metadata").get("invocationId").asText()).matches("urn:uuid:[0-9a-f-]{36}");
        assertThat(run.get("metadata").has("startedOn")).isFalse();
    }

    @Test
    void predicateOnly_isThePredicateObject() throws Exception {
        var in = input(Fixtures.rpmPackages(), List.of("x86_64"));
        JsonNode whole = MAPPER.readTree(Provenance.write(in));
        assertThat(MAPPER.readTree(Provenance.writePredicate(in))).isEqualTo(whole.get("predicate"));
    }

    @Test
    void write_isDeterministicUnderReordering() {
        byte[] first = Provenance.write(input(Fixtures.debPackages(), List.of("amd64", "arm64")));
        var shuffled = new ArrayList<>(Fixtures.debPackages());
        Collections.shuffle(shuffled, new Random(3));
        assertThat(Provenance.write(input(shuffled, List.of("arm64", "amd64")))).isEqualTo(first);
        assertThat(new String(first, java.nio.charset.StandardCharsets.UTF_8)).endsWith("}\n");
    }

    @Test
    void samePackageForTwoArchs_isListedOnce_butConflictingDigestsAreRefused() {
        var all = Fixtures.deb("tzdata", "2024a-0+deb12u1", "all", null, null, null);
        var in = input(List.of(all, all), List.of("amd64", "arm64"));
        assertThat(new String(Provenance.write(in))).containsOnlyOnce("deb:tzdata_");
        var other = new SbomPackage("deb", "tzdata", "2024a-0+deb12u1", "all", null, null, null, null,
                Fixtures.sha("other bytes"), null, null);
        assertThatThrownBy(() -> Provenance.write(input(List.of(all, other), List.of("amd64"))))
                .isInstanceOf(SbomException.class).hasMessageContaining("tzdata").hasMessageContaining("two different sha256");
    }

    @Test
    void badInput_isRefusedWithAClearMessage() {
        var noSha = new SbomPackage("deb", "libc6", "2.36-9", "amd64", "glibc", null, null, null, null, null, null);
        assertThatThrownBy(() -> input(List.of(noSha), List.of("amd64")))
                .isInstanceOf(SbomException.class).hasMessageContaining("libc6:amd64").hasMessageContaining("no sha256");
        assertThatThrownBy(() -> new ProvenanceInput(Fixtures.debImage(), "x.yaml", "nothex", null, List.of(), LOCK_SHA, 0, List.of(), "1"))
                .isInstanceOf(SbomException.class).hasMessageContaining("x.yaml").hasMessageContaining("nothex");
    }
}
