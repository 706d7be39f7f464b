package dev.kolibri.sign;

import dev.kolibri.oci.Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expected bytes are those of sigstore's payload_test.go (TestMarshalCosign), i.e. what cosign signs. */
class SimpleSigningTest {
    private static final Digest DIGEST = Digest.parse("sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f");

    private static String payload(String ref, Map<String, Object> annotations) {
        return new String(SimpleSigning.payload(ref, DIGEST, annotations), StandardCharsets.UTF_8);
    }

    @Test
    void payload_noAnnotations_optionalNull() {
        assertThat(payload("example.com/test/image", null)).isEqualTo(
                "{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/test/image\"},\"image\":{\"docker-manifest-digest\":\"sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
        assertThat(payload("example.com/test/image", Map.of())).endsWith("\"optional\":null}");
    }

    @Test
    void payload_annotations_sortedLikeGo() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("timestamp", 1458239713);
        a.put("creator", "atomic");
        assertThat(payload("example.com/atomic/test/image", a)).isEqualTo(
                "{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/atomic/test/image\"},\"image\":{\"docker-manifest-digest\":\"sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f\"},\"type\":\"cosign container image signature\"},\"optional\":{\"creator\":\"atomic\",\"timestamp\":1458239713}}");
    }

    @Test
    void payload_nestedAnnotations_matchCosign() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("foo", "bar");
        nested.put("false", true);
        nested.put("nothing", null);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("creator", "anyone");
        a.put("some_struct", nested);
        a.put("CamelCase WithSpace", 8.314);
        assertThat(payload("example.com/cosign/test/image", a)).isEqualTo(
                "{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/cosign/test/image\"},\"image\":{\"docker-manifest-digest\":\"sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f\"},\"type\":\"cosign container image signature\"},\"optional\":{\"CamelCase WithSpace\":8.314,\"creator\":\"anyone\",\"some_struct\":{\"false\":true,\"foo\":\"bar\",\"nothing\":null}}}");
    }

    @Test
    void parse_cosignPayload_givesReferenceDigestAnnotations() throws Exception {
        byte[] p = ("{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/cosign/test/image\"},\"image\":{\"docker-manifest-digest\":\"" + DIGEST
                + "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"creator\":\"anyone\",\"n\":3}}").getBytes(StandardCharsets.UTF_8);
        SimpleSigning.Parsed parsed = SimpleSigning.parse(p);
        assertThat(parsed.dockerReference()).isEqualTo("example.com/cosign/test/image");
        assertThat(parsed.manifestDigest()).isEqualTo(DIGEST);
        assertThat(parsed.annotations()).containsEntry("creator", "anyone").containsEntry("n", 3.0);
        // and back to the same bytes
        assertThat(SimpleSigning.payload(parsed.dockerReference(), parsed.manifestDigest(), parsed.annotations())).isEqualTo(p);
    }

    @Test
    void parse_optionalNull_emptyAnnotations() throws Exception {
        SimpleSigning.Parsed parsed = SimpleSigning.parse(SimpleSigning.payload("h:5000/a/b", DIGEST, null));
        assertThat(parsed.annotations()).isEmpty();
        assertThat(parsed.dockerReference()).isEqualTo("h:5000/a/b");
    }

    @Test
    void parse_otherType_refused() {
        byte[] p = "{\"critical\":{\"identity\":{\"docker-reference\":\"e/i\"},\"image\":{\"docker-manifest-digest\":\"sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f\"},\"type\":\"atomic container signature\"},\"optional\":{}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SimpleSigning.parse(p)).isInstanceOf(PayloadException.class).hasMessageContaining("'atomic container signature'");
    }

    @Test
    void parse_hostileOrBrokenPayloads_refusedWithReason() {
        assertThatThrownBy(() -> SimpleSigning.parse("nope".getBytes(StandardCharsets.UTF_8))).isInstanceOf(PayloadException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> SimpleSigning.parse("[]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(PayloadException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> SimpleSigning.parse("{}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(PayloadException.class).hasMessageContaining("no 'critical'");
        assertThatThrownBy(() -> SimpleSigning.parse(("{\"critical\":{\"identity\":{\"docker-reference\":\"e/i\"},\"image\":{\"docker-manifest-digest\":\"sha256:xyz\"},\"type\":\"cosign container image signature\"}}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class).hasMessageContaining("manifest digest is invalid");
        assertThatThrownBy(() -> SimpleSigning.parse(("{\"critical\":{\"identity\":{\"docker-reference\":\"e/i\"},\"image\":{\"docker-manifest-digest\":\"" + DIGEST + "\"},\"type\":\"cosign container image signature\",\"extra\":1}}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class).hasMessageContaining("unknown critical field 'extra'");
    }

    @Test
    void payload_referenceWithTagOrDigest_refused() {
        assertThatThrownBy(() -> SimpleSigning.payload("example.com/app:1.0", DIGEST, null)).hasMessageContaining("without tag or digest");
        assertThatThrownBy(() -> SimpleSigning.payload("example.com/app@" + DIGEST, DIGEST, null)).hasMessageContaining("without tag or digest");
        assertThat(payload("localhost:5000/app", null)).contains("\"docker-reference\":\"localhost:5000/app\"");
    }

    @Test
    void payload_htmlCharacters_escapedAsGoDoes() {
        assertThat(payload("e/i", Map.of("note", "a<b>&c\u2028"))).contains("\"note\":\"a\\u003cb\\u003e\\u0026c\\u2028\"");
    }
}
