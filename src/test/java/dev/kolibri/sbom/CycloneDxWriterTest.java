package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.packageurl.PackageURL;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CycloneDxWriterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<SbomInput> inputs() {
        return Stream.of(Fixtures.debInput(), Fixtures.rpmInput());
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void write_validatesAgainstOfficialCycloneDx16Schema(SbomInput in) throws Exception {
        assertThat(Validators.cycloneDxErrors(CycloneDxWriter.write(in))).isEmpty();
    }

    @Test
    void schemaValidator_rejectsABrokenDocument() throws Exception {
        var bom = (ObjectNode) MAPPER.readTree(CycloneDxWriter.write(Fixtures.debInput()));
        ((ObjectNode) bom.get("components").get(1)).put("type", "wheel");
        bom.put("serialNumber", "not-a-urn");
        assertThat(Validators.cycloneDxErrors(MAPPER.writeValueAsBytes(bom))).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void write_parsesBackWithCycloneDxCore_componentsAndDependenciesComplete(SbomInput in) throws Exception {
        Bom bom = new JsonParser().parse(CycloneDxWriter.write(in));
        assertThat(bom.getSpecVersion()).isEqualTo("1.6");
        assertThat(bom.getVersion()).isEqualTo(1);
        Component image = bom.getMetadata().getComponent();
        assertThat(image.getType()).isEqualTo(Component.Type.CONTAINER);
        assertThat(image.getVersion()).isEqualTo(in.image().digest().toString());
        assertThat(image.getPurl()).isEqualTo(Purls.image(in.image()).canonicalize());
        assertThat(bom.getMetadata().getTimestamp().toInstant().getEpochSecond()).isEqualTo(in.epoch());

        Map<String, Component> byPurl = bom.getComponents().stream()
                .filter(c -> c.getPurl() != null).collect(Collectors.toMap(Component::getPurl, c -> c));
        assertThat(byPurl).hasSize(in.packages().size());
        assertThat(bom.getComponents()).filteredOn(c -> c.getType() == Component.Type.OPERATING_SYSTEM)
                .singleElement().satisfies(os -> assertThat(os.getName()).isEqualTo(in.os().id()));
        Map<String, String> purlByKey = new HashMap<>();
        for (SbomPackage p : in.packages()) {
            String purl = Purls.of(p, in.os()).canonicalize();
            purlByKey.put(p.key(), purl);
            Component c = byPurl.get(purl);
            assertThat(c).as("component for %s", p.key()).isNotNull();
            assertThat(c.getBomRef()).isEqualTo(purl);
            assertThat(new PackageURL(c.getPurl()).getName()).isEqualTo(p.name());
            assertThat(c.getVersion()).isEqualTo(p.fullVersion());
            assertThat(c.getType()).isEqualTo(Component.Type.LIBRARY);
            assertThat(c.getHashes()).singleElement().satisfies(h -> assertThat(h.getValue()).isEqualTo(p.sha256()));
        }

        Map<String, Set<String>> deps = new HashMap<>();
        for (Dependency d : bom.getDependencies()) {
            deps.put(d.getRef(), d.getDependencies() == null ? Set.of()
                    : d.getDependencies().stream().map(Dependency::getRef).collect(Collectors.toSet()));
        }
        assertThat(deps.get(image.getBomRef())).containsAll(purlByKey.values());
        for (SbomPackage p : in.packages()) {
            var expected = new TreeSet<String>();
            in.dependsOn().getOrDefault(p.key(), List.of()).stream().filter(k -> !k.equals(p.key()))
                    .forEach(k -> expected.add(purlByKey.get(k)));
            assertThat(deps.get(purlByKey.get(p.key()))).as("dependencies of %s", p.key()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void write_isByteIdenticalAndStableUnderReordering(SbomInput in) {
        byte[] first = CycloneDxWriter.write(in);
        assertThat(CycloneDxWriter.write(in)).isEqualTo(first);
        for (long seed = 1; seed <= 5; seed++) {
            assertThat(CycloneDxWriter.write(Fixtures.shuffled(in, seed))).as("seed %d", seed).isEqualTo(first);
        }
        assertThat(new String(first, StandardCharsets.UTF_8)).endsWith("}\n").contains("\n  \"specVersion\": \"1.6\",\n");
    }

    @Test
    void serialNumber_isAVersion5UrnThatFollowsTheContent() throws Exception {
        SbomInput in = Fixtures.debInput();
        String serial = MAPPER.readTree(CycloneDxWriter.write(in)).get("serialNumber").asText();
        assertThat(serial).matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        var later = new SbomInput(in.image(), in.packages(), in.dependsOn(), in.epoch() + 1, in.toolVersion(), in.os());
        assertThat(MAPPER.readTree(CycloneDxWriter.write(later)).get("serialNumber").asText()).isNotEqualTo(serial);
    }

    @Test
    void licences_expressionOrName() throws Exception {
        JsonNode bom = MAPPER.readTree(CycloneDxWriter.write(Fixtures.debInput()));
        Map<String, JsonNode> byName = new HashMap<>();
        bom.get("components").forEach(c -> byName.put(c.get("name").asText(), c));
        assertThat(byName.get("libssl3").get("licenses").get(0).get("expression").asText())
                .isEqualTo("Apache-2.0 AND (Artistic-1.0-Perl OR GPL-1.0-or-later)");
        assertThat(byName.get("libpython3.11-minimal").get("licenses").get(0).get("license").get("name").asText())
                .isEqualTo("GPL-2+ with OpenSSL exception");
        assertThat(byName.get("libc6").has("licenses")).isFalse();
        JsonNode props = byName.get("libbz2-1.0").get("properties");
        assertThat(props.toString()).contains("\"kolibri:source\"").contains("\"bzip2 1.0.8-5\"").contains("\"kolibri:arch\"");
        assertThat(byName.get("libssl3").get("supplier").get("name").asText()).isEqualTo("Debian Maintainers");
        assertThat(byName.get("libssl3").get("externalReferences").get(0).get("type").asText()).isEqualTo("distribution");
        assertThat(bom.get("metadata").get("tools").get("components").get(0).get("version").asText()).isEqualTo("0.1.0");
    }
}
