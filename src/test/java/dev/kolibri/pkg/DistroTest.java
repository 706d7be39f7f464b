package dev.kolibri.pkg;

import dev.kolibri.pkg.deb.Debian;
import dev.kolibri.pkg.rpm.Rpm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The distro identity a repository's signed metadata names, with the Release fields of Debian's real suites. */
class DistroTest {
    private static RepositoryRelease rel(String origin, String label, String suite, String codename, String version) {
        return new RepositoryRelease(origin, label, suite, codename, version);
    }

    @Test
    void debian_releaseFieldsOfItsSuites() {
        Distro main = Debian.INSTANCE.distroOf(rel("Debian", "Debian", "oldstable", "bookworm", "12.12"));
        assertThat(main).isEqualTo(new Distro("debian", "12", "bookworm", "Debian GNU/Linux", null));
        assertThat(main.key()).isEqualTo("debian-12");
        assertThat(main.osRelease()).containsEntry("PRETTY_NAME", "Debian GNU/Linux 12 (bookworm)")
                .containsEntry("VERSION", "12 (bookworm)").containsEntry("VERSION_CODENAME", "bookworm")
                .containsEntry("ID", "debian").doesNotContainKey("ID_LIKE");
        assertThat(Debian.INSTANCE.distroOf(rel("Debian", "Debian-Security", "stable-security", "trixie-security", "13")).key())
                .isEqualTo("debian-13");
        assertThat(Debian.INSTANCE.distroOf(rel("Debian", "Debian", "stable-updates", "trixie-updates", "13-updates")).key())
                .isEqualTo("debian-13");
        assertThat(Debian.INSTANCE.distroOf(rel("Debian Backports", "Debian Backports", "stable-backports", "trixie-backports", "13-backports")).key())
                .isEqualTo("debian-13");
        // -security Releases of older archives carry no Version: the codename tells it
        assertThat(Debian.INSTANCE.distroOf(rel("Debian", "Debian-Security", null, "bullseye-security", null)).key()).isEqualTo("debian-11");
        Distro sid = Debian.INSTANCE.distroOf(rel("Debian", "Debian", "unstable", "sid", null));
        assertThat(sid.versionId()).isNull();
        assertThat(sid.key()).isEqualTo("debian");
        assertThat(sid.prettyName()).isEqualTo("Debian GNU/Linux sid");
        assertThat(sid.osRelease()).doesNotContainKeys("VERSION_ID", "VERSION").containsEntry("VERSION_CODENAME", "sid");
    }

    @Test
    void debian_otherOriginsAndMissingOnes() {
        Distro ubuntu = Debian.INSTANCE.distroOf(rel("Ubuntu", "Ubuntu", "noble", "noble", "24.04"));
        assertThat(ubuntu).isEqualTo(new Distro("ubuntu", "24.04", "noble", "Ubuntu", "debian"));
        assertThat(Debian.INSTANCE.distroOf(rel(null, null, null, "trixie", null)).key()).isEqualTo("debian-13");
        assertThat(Debian.INSTANCE.distroOf(rel(null, null, "nodistro", "nodistro", null))).isNull();
        assertThat(Debian.INSTANCE.distroOf(rel("Node Source", null, null, "nodistro", null)).id()).isEqualTo("node");
    }

    @Test
    void baseDistro_isTheFirstReleaseOfItsOwn() {
        RepositoryRelease backports = rel("Debian Backports", "Debian Backports", "oldstable-backports", "bookworm-backports", "12-backports");
        RepositoryRelease security = rel("Debian", "Debian-Security", "oldstable-security", "bookworm-security", "12");
        RepositoryRelease bookworm = rel("Debian", "Debian", "oldstable", "bookworm", "12.12");
        RepositoryRelease thirdParty = rel("Node Source", "Node Source", "nodistro", "nodistro", null);
        assertThat(Debian.INSTANCE.baseDistro(List.of(backports, security, bookworm)).codename()).isEqualTo("bookworm");
        assertThat(Debian.INSTANCE.baseDistro(List.of(thirdParty, bookworm)).key()).isEqualTo("debian-12");
        assertThat(Debian.INSTANCE.baseDistro(List.of(security)).key()).isEqualTo("debian-12");
        assertThat(Debian.INSTANCE.baseDistro(List.of())).isNull();
    }

    @Test
    void rpm_fromTheSystemReleaseProvider() {
        // the lock and the image read the provider by one rule (SystemRelease)
        assertThat(dev.kolibri.pkg.rpm.SystemRelease.of("fedora-release-common", "43-1", List.of("system-release(43)")))
                .map(dev.kolibri.pkg.rpm.SystemRelease::id).contains("fedora");
        assertThat(dev.kolibri.pkg.rpm.SystemRelease.of("redhat-release", "9.4-1", List.of("system-release")))
                .map(dev.kolibri.pkg.rpm.SystemRelease::id).contains("rhel");
        assertThat(dev.kolibri.pkg.rpm.SystemRelease.of("glibc", "2.40-1", List.of("glibc = 2.40-1"))).isEmpty();
        Distro fedora = Rpm.INSTANCE.distroOf(rel("fedora", "updates", null, null, "43"));
        assertThat(fedora.key()).isEqualTo("fedora-43");
        assertThat(fedora.osRelease()).containsEntry("NAME", "Fedora Linux").containsEntry("PRETTY_NAME", "Fedora Linux 43");
        assertThat(Rpm.INSTANCE.distroOf(rel("rhel", null, null, null, "9.4")).idLike()).isEqualTo("fedora");
        assertThat(Rpm.INSTANCE.distroOf(rel(null, "fixture", null, null, null))).isNull();
    }
}
