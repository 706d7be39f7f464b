package dev.kolibri.vuln;

import dev.kolibri.pkg.deb.DebVersions;
import dev.kolibri.pkg.rpm.RpmVersions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EcosystemsTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "debian, 12, Debian:12, DEB",
            "debian, 11, Debian:11, DEB",
            "ubuntu, 22.04, Ubuntu:22.04, DEB",
            "rhel, 9.4, Red Hat:enterprise_linux:9, RPM",
            "almalinux, 9.3, AlmaLinux:9, RPM",
            "rocky, 8.9, Rocky Linux:8, RPM",
            "fedora, 40, Fedora:40, RPM",
            "opensuse-leap, 15.5, openSUSE:Leap 15.5, RPM",
            "sles, 15.5, SUSE:Linux Enterprise 15 SP5, RPM",
            "sles, 15, SUSE:Linux Enterprise 15, RPM",
    })
    void osRelease_mapsToOsvEcosystem(String id, String versionId, String key, Ecosystems.Family family) {
        Ecosystems.OsEcosystem e = Ecosystems.of(id, versionId);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.family()).isEqualTo(family);
        assertThat(e.scheme()).isSameAs(family == Ecosystems.Family.DEB ? DebVersions.INSTANCE : RpmVersions.INSTANCE);
    }

    @Test
    void advisoryEcosystems_foldToTheReleaseKey() {
        Ecosystems.OsEcosystem rhel = Ecosystems.of("rhel", "9.4");
        assertThat(rhel.accepts("Red Hat:enterprise_linux:9::appstream")).isTrue();
        assertThat(rhel.accepts("Red Hat:enterprise_linux:9::baseos")).isTrue();
        assertThat(rhel.accepts("Red Hat:enterprise_linux:9")).isTrue();
        assertThat(rhel.accepts("Red Hat:enterprise_linux:8::appstream")).isFalse();
        assertThat(rhel.accepts("Red Hat:rhel_eus:9.2::baseos")).isFalse();
        assertThat(rhel.accepts("AlmaLinux:9")).isFalse();
        assertThat(Ecosystems.of("ubuntu", "22.04").accepts("Ubuntu:22.04:LTS")).isTrue();
        assertThat(Ecosystems.of("ubuntu", "22.04").accepts("Ubuntu:Pro:22.04:LTS")).isFalse();
        Ecosystems.OsEcosystem sles = Ecosystems.of("sles", "15.5");
        assertThat(sles.accepts("SUSE:Linux Enterprise Module for Basesystem 15 SP5")).isTrue();
        assertThat(sles.accepts("SUSE:Linux Enterprise Server 15 SP5-LTSS")).isTrue();
        assertThat(sles.accepts("SUSE:Linux Enterprise Server 15 SP4")).isFalse();
        assertThat(Ecosystems.of("debian", "12").accepts("Debian:11")).isFalse();
        assertThat(Ecosystems.of("debian", "12").accepts("Debian:12")).isTrue();
    }

    @Test
    void explicitEcosystem_parses() {
        assertThat(Ecosystems.parse("Red Hat:enterprise_linux:9::baseos").key()).isEqualTo("Red Hat:enterprise_linux:9");
        assertThat(Ecosystems.parse("Debian:12").family()).isEqualTo(Ecosystems.Family.DEB);
        assertThatThrownBy(() -> Ecosystems.parse("PyPI")).isInstanceOf(VulnException.class).hasMessageContaining("unsupported OSV ecosystem 'PyPI'");
    }

    @Test
    void unknownOs_failsWithAHint() {
        assertThatThrownBy(() -> Ecosystems.of("gentoo", "2.15")).hasMessageContaining("pass the OSV ecosystem explicitly");
        assertThatThrownBy(() -> Ecosystems.of("debian", null)).hasMessageContaining("has no VERSION_ID");
    }
}
