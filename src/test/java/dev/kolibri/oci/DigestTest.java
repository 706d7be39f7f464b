package dev.kolibri.oci;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestTest {
    @Test
    void sha256_ofBytes_matchesKnownValue() {
        assertThat(Digest.sha256("abc".getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void parse_rejectsMalformed() {
        assertThatThrownBy(() -> Digest.parse("sha256:XYZ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Digest.parse("nodigest")).hasMessageContaining("nodigest");
    }
}
