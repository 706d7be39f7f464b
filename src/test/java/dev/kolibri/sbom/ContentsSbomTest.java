package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Files added by {@code contents:} in both SBOM formats: listed with hashes, valid by the official schemas and tools. */
class ContentsSbomTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String hex(String alg, String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static SbomInput input() throws Exception {
        return Fixtures.debInput().withFiles(List.of(
                new SbomFile("/app/b.txt", hex("SHA-1", "b"), hex("SHA-256", "b"), "/app"),
                new SbomFile("/app/a b(1).txt", hex("SHA-1", "a"), hex("SHA-256", "a"), "/app"),
                new SbomFile("/usr/local/share/ca-certificates/proxy.crt", hex("SHA-1", "c"), hex("SHA-256", "c"),
                        "/usr/local/share/ca-certificates")));
    }

    @Test
    void spdx_filesInOnePackagePerEntry_thatTheImageContains(@TempDir Path dir) throws Exception {
        byte[] doc = SpdxWriter.write(input());
        assertThat(Validators.spdxSchemaErrors(doc)).isEmpty();
        assertThat(Validators.spdxModelErrors(doc, dir)).isEmpty();
        JsonNode s = JSON.readTree(doc);
        assertThat(s.path("files")).hasSize(3);
        JsonNode a = s.path("files").get(0);
        assertThat(a.path("fileName").asText()).isEqualTo("./app/a b(1).txt");
        assertThat(a.path("checksums").toString()).contains(hex("SHA-1", "a")).contains(hex("SHA-256", "a"));
        String rels = s.path("relationships").toString();
        assertThat(rels).contains("{\"spdxElementId\":\"SPDXRef-Image\",\"relationshipType\":\"CONTAINS\",\"relatedSpdxElement\":\"SPDXRef-Contents-app\"}");
        assertThat(rels).contains("{\"spdxElementId\":\"SPDXRef-Contents-app\",\"relationshipType\":\"CONTAINS\",\"relatedSpdxElement\":\""
                + a.path("SPDXID").asText() + "\"}");
        JsonNode pkg = null;
        for (JsonNode p : s.path("packages")) if (p.path("SPDXID").asText().equals("SPDXRef-Contents-app")) pkg = p;
        assertThat(pkg).isNotNull();
        String sorted = String.join("", List.of(hex("SHA-1", "a"), hex("SHA-1", "b")).stream().sorted().toList());
        String code = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(sorted.getBytes(StandardCharsets.US_ASCII)));
        assertThat(pkg.path("packageVerificationCode").path("packageVerificationCodeValue").asText()).isEqualTo(code);
        assertThat(SpdxWriter.write(input())).isEqualTo(doc);
    }

    @Test
    void cyclonedx_fileComponentsWithHashes_inTheImagesDependencies() throws Exception {
        byte[] doc = CycloneDxWriter.write(input());
        assertThat(Validators.cycloneDxErrors(doc)).isEmpty();
        JsonNode c = JSON.readTree(doc);
        JsonNode file = null;
        for (JsonNode x : c.path("components")) if (x.path("name").asText().equals("/app/b.txt")) file = x;
        assertThat(file).isNotNull();
        assertThat(file.path("type").asText()).isEqualTo("file");
        assertThat(file.path("bom-ref").asText()).isEqualTo("file:/app/b.txt");
        assertThat(file.path("hashes").toString()).contains(hex("SHA-256", "b")).contains(hex("SHA-1", "b"));
        assertThat(c.path("dependencies").get(0).path("dependsOn").toString()).contains("\"file:/app/b.txt\"");
        assertThat(CycloneDxWriter.write(input())).isEqualTo(doc);
    }

    @Test
    void noFiles_sameDocumentsAsBefore() throws Exception {
        SbomInput plain = Fixtures.debInput();
        assertThat(SpdxWriter.write(plain.withFiles(List.of()))).isEqualTo(SpdxWriter.write(plain));
        assertThat(JSON.readTree(SpdxWriter.write(plain)).has("files")).isFalse();
    }
}
