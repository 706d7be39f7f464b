package dev.kolibri.pkg.rpm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpmTest {
    @Test
    void ecosystem() {
        Rpm r = Rpm.INSTANCE;
        assertThat(r.id()).isEqualTo("rpm");
        assertThat(r.versions()).isSameAs(RpmVersions.INSTANCE);
        assertThat(r.archOf("amd64")).isEqualTo("x86_64");
        assertThat(r.archOf("x86_64")).isEqualTo("x86_64");
        assertThat(r.archOf("arm64")).isEqualTo("aarch64");
        assertThat(r.archOf("aarch64")).isEqualTo("aarch64");
        assertThat(r.isArchIndependent("noarch")).isTrue();
        assertThat(r.isArchIndependent("x86_64")).isFalse();
        assertThat(r.isArchIndependent("all")).isFalse();
        assertThatThrownBy(() -> r.archOf("vax")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vax");
        assertThat(r.versions().compare("1:1.0-1", "2.0-1")).isPositive();
    }
}
