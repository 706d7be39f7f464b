package dev.kolibri.oci;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonDocumentsTest {
    private static final Digest D1 = Digest.sha256(new byte[]{1});
    private static final Digest D2 = Digest.sha256(new byte[]{2});

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void config_isCanonical() {
        ImageConfig c = ImageConfig.of(Platform.LINUX_ARM64, "65532", List.of("A=1"), List.of("/bin/x"), List.of(),
                "/w", Map.of("z", "1", "a", "2"), 0, List.of(D1), List.of("layer one"));
        assertThat(s(c.toJson())).isEqualTo("{\"created\":\"1970-01-01T00:00:00Z\",\"architecture\":\"arm64\",\"os\":\"linux\","
                + "\"config\":{\"User\":\"65532\",\"Env\":[\"A=1\"],\"Entrypoint\":[\"/bin/x\"],\"WorkingDir\":\"/w\","
                + "\"Labels\":{\"a\":\"2\",\"z\":\"1\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + D1 + "\"]},"
                + "\"history\":[{\"created\":\"1970-01-01T00:00:00Z\",\"created_by\":\"layer one\"}]}");
        assertThat(ImageConfig.parse(c.toJson())).isEqualTo(c);
        assertThat(ImageConfig.parse(c.toJson()).toJson()).isEqualTo(c.toJson());
    }

    @Test
    void config_portsAndVolumes_areObjectsOfEmptyObjects_sortedAndRoundTripped() {
        ImageConfig c = ImageConfig.of(Platform.LINUX_AMD64, "65532", List.of(), List.of("/x"), List.of(), null,
                Map.of(), 0, List.of(D1), List.of("l")).withPortsAndVolumes(List.of("8443/tcp", "8080/tcp"),
                List.of("/var/lib/b", "/var/lib/a"));
        assertThat(s(c.toJson())).contains("\"ExposedPorts\":{\"8080/tcp\":{},\"8443/tcp\":{}}")
                .contains("\"Volumes\":{\"/var/lib/a\":{},\"/var/lib/b\":{}}");
        assertThat(ImageConfig.parse(c.toJson())).isEqualTo(c);
        assertThat(c.exposedPorts()).containsExactly("8080/tcp", "8443/tcp");
        ImageConfig none = ImageConfig.of(Platform.LINUX_AMD64, null, null, null, null, null, null, 0, List.of(), List.of());
        assertThat(s(none.toJson())).doesNotContain("ExposedPorts").doesNotContain("Volumes");
    }

    @Test
    void config_needsOneHistoryEntryPerLayer() {
        assertThatThrownBy(() -> ImageConfig.of(Platform.LINUX_AMD64, null, null, null, null, null, null, 0,
                List.of(D1, D2), List.of("x"))).hasMessageContaining("2 layers, 1 history entries");
    }

    @Test
    void config_parsesForeignConfigs() {
        String docker = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-02T03:04:05.123456789+01:00\","
                + "\"config\":{\"Env\":null,\"Cmd\":[\"sh\"],\"ExposedPorts\":{\"80/tcp\":{}}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + D2 + "\"]},"
                + "\"history\":[{\"created_by\":\"ENV x\",\"empty_layer\":true},{\"created_by\":\"ADD\"}]}";
        ImageConfig c = ImageConfig.parse(docker.getBytes(StandardCharsets.UTF_8));
        assertThat(c.created()).isEqualTo(Instant.parse("2024-01-02T02:04:05.123456789Z"));
        assertThat(c.cmd()).containsExactly("sh");
        assertThat(c.env()).isEmpty();
        assertThat(c.history()).extracting(ImageConfig.History::emptyLayer).containsExactly(true, false);
        assertThat(c.diffIds()).containsExactly(D2);
    }

    @Test
    void config_badInput_namesTheProblem() {
        assertThatThrownBy(() -> ImageConfig.parse("{\"os\":\"linux\",\"rootfs\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(OciFormatException.class).hasMessageContaining("missing field 'architecture'");
        assertThatThrownBy(() -> ImageConfig.parse("[1]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ImageConfig.parse("{\"architecture\":\"x\",\"os\":\"linux\",\"rootfs\":{\"diff_ids\":[\"md5:1\"]}}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("md5:1");
        assertThatThrownBy(() -> ImageConfig.parse("{\"architecture\":\"x\",\"os\":\"linux\",\"created\":\"yesterday\",\"rootfs\":{}}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("bad time 'yesterday'");
        assertThatThrownBy(() -> ImageConfig.parse("{".getBytes(StandardCharsets.UTF_8))).isInstanceOf(OciFormatException.class);
    }

    @Test
    void manifest_isCanonical_andRoundTrips() {
        Descriptor cfg = new Descriptor(MediaTypes.IMAGE_CONFIG, D1, 10, null, null, null);
        Descriptor layer = new Descriptor(MediaTypes.LAYER_GZIP, D2, 20, Map.of("k", "v"), null, null);
        Manifest m = new Manifest(cfg, List.of(layer), Map.of("b", "1", "a", "2"), null, null);
        assertThat(s(m.toJson())).isEqualTo("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.IMAGE_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.IMAGE_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":10},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.LAYER_GZIP + "\",\"digest\":\"" + D2 + "\",\"size\":20,"
                + "\"annotations\":{\"k\":\"v\"}}],\"annotations\":{\"a\":\"2\",\"b\":\"1\"}}");
        assertThat(Manifest.parse(m.toJson())).isEqualTo(m);

        Descriptor subject = new Descriptor(MediaTypes.IMAGE_MANIFEST, D1, 5, null, null, null);
        Manifest artifact = new Manifest(new Descriptor(MediaTypes.EMPTY_JSON, D2, 2, null, null, null), List.of(),
                null, subject, MediaTypes.SPDX_JSON);
        assertThat(s(artifact.toJson())).contains("\"artifactType\":\"application/spdx+json\",\"config\"")
                .contains("\"layers\":[],\"subject\":{");
        assertThat(Manifest.parse(artifact.toJson())).isEqualTo(artifact);
    }

    @Test
    void index_isCanonical_andRoundTrips() {
        Descriptor amd = new Descriptor(MediaTypes.IMAGE_MANIFEST, D1, 10, null, Platform.LINUX_AMD64, null);
        Descriptor armv7 = new Descriptor(MediaTypes.IMAGE_MANIFEST, D2, 11, Map.of("x", "y"), Platform.ofArch("armhf"), null);
        ImageIndex i = new ImageIndex(List.of(amd, armv7), Map.of("a", "b"), null, null);
        assertThat(s(i.toJson())).isEqualTo("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.IMAGE_INDEX + "\","
                + "\"manifests\":[{\"mediaType\":\"" + MediaTypes.IMAGE_MANIFEST + "\",\"digest\":\"" + D1 + "\",\"size\":10,"
                + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"" + MediaTypes.IMAGE_MANIFEST + "\",\"digest\":\"" + D2 + "\",\"size\":11,"
                + "\"annotations\":{\"x\":\"y\"},\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}}],"
                + "\"annotations\":{\"a\":\"b\"}}");
        assertThat(ImageIndex.parse(i.toJson())).isEqualTo(i);
    }

    @Test
    void parse_refusesWrongDocuments() {
        Manifest m = Manifest.of(new Descriptor(MediaTypes.IMAGE_CONFIG, D1, 1, null, null, null), List.of());
        assertThatThrownBy(() -> ImageIndex.parse(m.toJson())).hasMessageContaining("mediaType is " + MediaTypes.IMAGE_MANIFEST);
        assertThatThrownBy(() -> Manifest.parse("{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("schemaVersion must be 2");
        assertThatThrownBy(() -> Manifest.parse(("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + D1
                + "\",\"size\":-1},\"layers\":[]}").getBytes(StandardCharsets.UTF_8))).hasMessageContaining("no valid size");
        assertThatThrownBy(() -> Manifest.parse("{\"schemaVersion\":2,\"layers\":[]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("descriptor is not an object");
    }
}
