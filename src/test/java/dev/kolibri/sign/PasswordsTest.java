package dev.kolibri.sign;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordsTest {
    private static Passwords.Prompt answers(List<String> asked, String... replies) {
        Deque<String> q = new ArrayDeque<>(List.of(replies));
        return p -> {
            asked.add(p);
            String r = q.poll();
            return r == null ? null : r.toCharArray();
        };
    }

    @Test
    void resolve_kolibriPasswordWinsOverCosign() throws Exception {
        assertThat(Passwords.resolve(Map.of("KOLIBRI_PASSWORD", "k", "COSIGN_PASSWORD", "c"), (java.io.Console) null)).containsExactly('k');
    }

    @Test
    void resolve_cosignPasswordSetButEmpty_isEmptyPassword() throws Exception {
        List<String> asked = new ArrayList<>();
        assertThat(Passwords.resolve(Map.of("COSIGN_PASSWORD", ""), answers(asked, "typed"), false)).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void resolve_noEnvNoTerminal_saysWhatToSet() {
        assertThatThrownBy(() -> Passwords.resolve(Map.of("PATH", "/bin"), (java.io.Console) null))
                .isInstanceOf(KeyException.class).hasMessageContaining("KOLIBRI_PASSWORD").hasMessageContaining("COSIGN_PASSWORD");
    }

    @Test
    void resolve_noEnv_prompts() throws Exception {
        List<String> asked = new ArrayList<>();
        assertThat(Passwords.resolve(Map.of(), answers(asked, "typed"), false)).containsExactly('t', 'y', 'p', 'e', 'd');
        assertThat(asked).hasSize(1);
    }

    @Test
    void resolveNew_asksTwice_mismatchRefused() throws Exception {
        List<String> asked = new ArrayList<>();
        assertThat(Passwords.resolve(Map.of(), answers(asked, "a", "a"), true)).containsExactly('a');
        assertThat(asked).hasSize(2);
        assertThatThrownBy(() -> Passwords.resolve(Map.of(), answers(new ArrayList<>(), "a", "b"), true))
                .isInstanceOf(KeyException.class).hasMessageContaining("differ");
    }

    @Test
    void resolve_endOfInput_refused() {
        assertThatThrownBy(() -> Passwords.resolve(Map.of(), answers(new ArrayList<>()), false)).isInstanceOf(KeyException.class).hasMessageContaining("end of input");
    }
}
