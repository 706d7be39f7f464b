package dev.kolibri.registry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengeTest {
    @Test
    void bearer_withQuotedCommas() {
        Challenge c = Challenge.parse("Bearer realm=\"https://auth.example/token\",service=\"reg\",scope=\"repository:a/b:pull,push\"");
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.param("realm")).isEqualTo("https://auth.example/token");
        assertThat(c.param("service")).isEqualTo("reg");
        assertThat(c.param("scope")).isEqualTo("repository:a/b:pull,push");
    }

    @Test
    void bearerIsPreferred_andNoneWhenAbsent() {
        assertThat(Challenge.of(List.of("Basic realm=\"x\"", "Bearer realm=\"y\"")).scheme()).isEqualTo("bearer");
        assertThat(Challenge.of(List.of("basic realm=x")).param("realm")).isEqualTo("x");
        assertThat(Challenge.of(List.of())).isSameAs(Challenge.NONE);
    }
}
