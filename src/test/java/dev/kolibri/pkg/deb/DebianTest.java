package dev.kolibri.pkg.deb;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DebianTest {
    @Test
    void ecosystem() {
        Debian d = Debian.INSTANCE;
        assertThat(d.id()).isEqualTo("deb");
        assertThat(d.versions()).isSameAs(DebVersions.INSTANCE);
        assertThat(d.archOf("amd64")).isEqualTo("amd64");
        assertThat(d.archOf("x86_64")).isEqualTo("amd64");
        assertThat(d.archOf("arm64")).isEqualTo("arm64");
        assertThat(d.archOf("aarch64")).isEqualTo("arm64");
        assertThat(d.archOf("ppc64le")).isEqualTo("ppc64el");
        assertThat(d.archOf("s390x")).isEqualTo("s390x");
        assertThat(d.archOf("386")).isEqualTo("i386");
        assertThat(d.isArchIndependent("all")).isTrue();
        assertThat(d.isArchIndependent("amd64")).isFalse();
        assertThatThrownBy(() -> d.archOf("sparc9")).hasMessageContaining("unknown architecture 'sparc9'");
    }
}
