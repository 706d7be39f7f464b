package dev.kolibri.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SbomStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void kind_followsTheTreeChecks() throws Exception {
        assertThat(kind("{\"spdxVersion\": null, \"bomFormat\": \"CycloneDX\"}")).isEqualTo(SbomStream.Kind.SPDX);
        assertThat(kind("{\"bomFormat\": \"x\", \"bomFormat\": \"CycloneDX\"}")).isEqualTo(SbomStream.Kind.CYCLONEDX);
        assertThat(kind("{\"bomFormat\": \"CycloneDX\", \"bomFormat\": 1}")).isEqualTo(SbomStream.Kind.OTHER);
        assertThat(kind("{\"packages\": {}, \"specDigest\": 5}")).isEqualTo(SbomStream.Kind.LOCK);
        assertThat(kind("[1, 2]")).isEqualTo(SbomStream.Kind.OTHER);
        assertThat(kind("")).isEqualTo(SbomStream.Kind.OTHER);
    }

    private static SbomStream.Kind kind(String json) throws Exception {
        return SbomStream.kind(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Seeded property: on random CycloneDX documents the streaming reader gives what the tree reader gives. */
    @Test
    void randomCycloneDx_streamEqualsTree() throws Exception {
        long seed = Long.getLong("kolibri.seed", new Random().nextLong());
        Random rnd = new Random(seed);
        int compared = 0;
        for (int n = 0; n < 500; n++) {
            StringBuilder doc = new StringBuilder("{\"bomFormat\": \"CycloneDX\"");
            for (int k = 0, nk = 1 + rnd.nextInt(2); k < nk; k++) doc.append(", \"components\": ").append(components(rnd, 0));
            if (rnd.nextBoolean()) doc.append(", \"metadata\": {\"component\": {\"purl\": \"pkg:deb/debian/zz@1\"}}");
            doc.append('}');
            String json = doc.toString();
            String distro = rnd.nextInt(3) == 0 ? "debian-12" : null;
            Object expected;
            try {
                expected = SbomPackages.cyclonedx("bom.json", JSON.readTree(json), distro);
            } catch (ScanInputException e) {
                expected = e.getMessage();
            }
            Object actual;
            try {
                assertThat(SbomStream.kind(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(SbomStream.Kind.CYCLONEDX);
                actual = SbomStream.cyclonedx("bom.json", json.getBytes(StandardCharsets.UTF_8), distro);
            } catch (ScanInputException e) {
                actual = e.getMessage();
            }
            assertThat(actual).as("seed %d (rerun with -Dkolibri.seed=%d): %s", seed, seed, json).isEqualTo(expected);
            if (expected instanceof ScanTarget t && !t.packages().isEmpty()) compared++;
        }
        assertThat(compared).as("seed %d", seed).isGreaterThan(50);
    }

    private static String components(Random rnd, int depth) {
        int shape = rnd.nextInt(10);
        if (shape == 0) return "null";
        if (shape == 1) return "\"x\"";
        boolean asObject = shape == 2;
        StringBuilder sb = new StringBuilder(asObject ? "{" : "[");
        for (int i = 0, n = rnd.nextInt(5); i < n; i++) {
            if (i > 0) sb.append(", ");
            if (asObject) sb.append("\"k").append(i).append("\": ");
            sb.append(rnd.nextInt(12) == 0 ? "7" : component(rnd, depth));
        }
        return sb.append(asObject ? "}" : "]").toString();
    }

    private static String component(Random rnd, int depth) {
        StringBuilder sb = new StringBuilder("{\"bom-ref\": \"r\"");
        String[] types = {"\"library\"", "\"operating-system\"", "null", "1", "{\"a\": [1]}"};
        String[] names = {"\"debian\"", "\"almalinux\"", "null", "12", "12.50", "true", "[\"x\"]", "\"bin\""};
        String[] versions = {"\"12\"", "\"9.4\"", "12", "9.40", "null", "\"1.0-1\"", "-0", "1e2"};
        String[] purls = {"\"pkg:deb/debian/a@1.0-1?arch=amd64\"", "\"pkg:deb/debian/b@2%3A1.0?arch=amd64&upstream=bsrc\"",
                "\"pkg:rpm/almalinux/c@1-1.el9?arch=x86_64&epoch=1\"", "\"pkg:deb/debian/s@1?arch=source\"", "\"pkg:pypi/x@1\"",
                "null", "\"pkg:deb/debian/d@1?distro=debian-11\"", "\"pkg:deb/debian/e@1?arch=amd64&distro=debian-12\"", "\"not a purl\""};
        if (rnd.nextInt(4) > 0) sb.append(", \"type\": ").append(types[rnd.nextInt(types.length)]);
        if (rnd.nextInt(3) > 0) sb.append(", \"name\": ").append(names[rnd.nextInt(names.length)]);
        if (rnd.nextInt(3) > 0) sb.append(", \"version\": ").append(versions[rnd.nextInt(versions.length)]);
        if (rnd.nextInt(4) > 0) sb.append(", \"purl\": ").append(purls[rnd.nextInt(purls.length - (rnd.nextInt(5) == 0 ? 0 : 1))]);
        if (depth < 2 && rnd.nextInt(4) == 0) sb.append(", \"components\": ").append(components(rnd, depth + 1));
        if (rnd.nextInt(8) == 0) sb.append(", \"purl\": ").append(purls[rnd.nextInt(3)]);
        return sb.append('}').toString();
    }

    @Test
    void benchShapedSbom_sameAsTree() throws Exception {
        String json = """
                {"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"operating-system","bom-ref":"os","name":"debian","version":"12"},
                {"type":"library","name":"bin00000","version":"9.1-2","purl":"pkg:deb/debian/bin00000@9.1-2?arch=amd64&distro=debian-12&upstream=src00042"}]}
                """;
        JsonNode tree = JSON.readTree(json);
        ScanTarget t = SbomStream.cyclonedx("b.json", json.getBytes(StandardCharsets.UTF_8), null);
        assertThat(t).isEqualTo(SbomPackages.cyclonedx("b.json", tree, null));
        assertThat(t.packages()).singleElement().satisfies(p -> assertThat(p.sourceName()).isEqualTo("src00042"));
    }
}
