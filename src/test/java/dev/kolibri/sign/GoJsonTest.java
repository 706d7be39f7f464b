package dev.kolibri.sign;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected strings are what Go's encoding/json writes for the same values. */
class GoJsonTest {
    private static String json(Object o) {
        return new String(GoJson.bytes(o), StandardCharsets.UTF_8);
    }

    @Test
    void float64_likeGo() {
        assertThat(GoJson.float64(1458239713.0)).isEqualTo("1458239713");
        assertThat(GoJson.float64(8.314)).isEqualTo("8.314");
        assertThat(GoJson.float64(0.1)).isEqualTo("0.1");
        assertThat(GoJson.float64(-2.5)).isEqualTo("-2.5");
        assertThat(GoJson.float64(1e20)).isEqualTo("100000000000000000000");
        assertThat(GoJson.float64(1e21)).isEqualTo("1e+21");
        assertThat(GoJson.float64(1.5e-7)).isEqualTo("1.5e-7");
        assertThat(GoJson.float64(0.000001)).isEqualTo("0.000001");
        assertThat(GoJson.float64(0)).isEqualTo("0");
    }

    @Test
    void strings_escapedLikeGo() {
        assertThat(json("q\"b\\n\n\t\u0001<>&\u2029é😀")).isEqualTo("\"q\\\"b\\\\n\\n\\t\\u0001\\u003c\\u003e\\u0026\\u2029é😀\"");
        assertThat(json("\ud800x")).isEqualTo("\"\\ufffdx\"");
    }

    @Test
    void maps_sortedByUtf8Bytes_structsKeepOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", Arrays.asList(true, null, "x"));
        m.put("B", Map.of());
        assertThat(json(m)).isEqualTo("{\"B\":{},\"a\":[true,null,\"x\"],\"b\":1}");
        assertThat(json(new GoJson.Struct().put("z", 1).put("a", 2))).isEqualTo("{\"z\":1,\"a\":2}");
    }
}
