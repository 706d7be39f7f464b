package dev.kolibri.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.oci.Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatementTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Digest DIGEST = Digest.parse("sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f");

    @Test
    void toJson_cosignLayout_fieldOrderAndSortedPredicate() throws Exception {
        JsonNode predicate = JSON.readTree("{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"x<y\",\"b\":[1,2.5,1e21,1.0E-7]}");
        Statement s = Statement.of("example.com/app", DIGEST, Statement.predicateType("spdxjson"), predicate);
        assertThat(new String(s.toJson(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://spdx.dev/Document\","
                        + "\"subject\":[{\"name\":\"example.com/app\",\"digest\":{\"sha256\":\"" + DIGEST.hex() + "\"}}],"
                        + "\"predicate\":{\"b\":[1,2.5,1e+21,1e-7],\"name\":\"x\\u003cy\",\"spdxVersion\":\"SPDX-2.3\"}}");
    }

    @Test
    void parse_roundTrip() throws Exception {
        Statement s = Statement.of("example.com/app", DIGEST, Statement.CYCLONEDX, JSON.readTree("{\"bomFormat\":\"CycloneDX\"}"));
        Statement back = Statement.parse(s.toJson());
        assertThat(back).isEqualTo(s);
        assertThat(back.subjects().get(0).digest()).containsEntry("sha256", DIGEST.hex());
    }

    @Test
    void parse_v1Statement_accepted() throws Exception {
        Statement s = Statement.parse(("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":\"" + DIGEST.hex()
                + "\"}}],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}").getBytes(StandardCharsets.UTF_8));
        assertThat(s.type()).isEqualTo(Statement.TYPE_V1);
        assertThat(s.predicateType()).isEqualTo(Statement.SLSA_PROVENANCE_V1);
    }

    @Test
    void parse_notAStatement_refused() {
        assertThatThrownBy(() -> Statement.parse("{\"_type\":\"https://in-toto.io/Link/v1\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class).hasMessageContaining("expected an in-toto Statement");
        assertThatThrownBy(() -> Statement.parse("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"p\",\"subject\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class).hasMessageContaining("no subject");
        assertThatThrownBy(() -> Statement.parse("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"p\",\"subject\":[{\"name\":\"a\"}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PayloadException.class).hasMessageContaining("no digest");
    }

    @Test
    void predicateType_cosignNames() {
        assertThat(Statement.predicateType("slsaprovenance")).isEqualTo("https://slsa.dev/provenance/v0.2");
        assertThat(Statement.predicateType("slsaprovenance02")).isEqualTo("https://slsa.dev/provenance/v0.2");
        assertThat(Statement.predicateType("slsaprovenance1")).isEqualTo("https://slsa.dev/provenance/v1");
        assertThat(Statement.predicateType("spdx")).isEqualTo("https://spdx.dev/Document");
        assertThat(Statement.predicateType("cyclonedx")).isEqualTo("https://cyclonedx.org/bom");
        assertThat(Statement.predicateType("custom")).isEqualTo("https://cosign.sigstore.dev/attestation/v1");
        assertThat(Statement.predicateType("https://example.com/p/v1")).isEqualTo("https://example.com/p/v1");
        assertThatThrownBy(() -> Statement.predicateType("sbom")).hasMessageContaining("unknown predicate type 'sbom'");
    }

    @Test
    void attestation_signedStatement_verifiesAndParses() throws Exception {
        KeyPair pair = CosignKeys.generate();
        Statement s = Statement.of("example.com/app", DIGEST, Statement.SLSA_PROVENANCE_V1, JSON.readTree("{\"buildDefinition\":{}}"));
        Dsse.Envelope env = Dsse.parse(Dsse.sign(s, pair.getPrivate()).toJson());
        assertThat(env.payloadType()).isEqualTo(Dsse.IN_TOTO);
        assertThat(Dsse.verify(env, pair.getPublic())).isTrue();
        assertThat(Statement.parse(env.payload())).isEqualTo(s);
    }
}
