package dev.kolibri.sbom;

import com.github.packageurl.PackageURL;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static dev.kolibri.sbom.Fixtures.DEBIAN;
import static dev.kolibri.sbom.Fixtures.FEDORA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PurlsTest {
    private static SbomPackage debNamed(String name) {
        return Fixtures.debPackages().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static SbomPackage rpmNamed(String name) {
        return Fixtures.rpmPackages().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static void assertPurl(PackageURL actual, String canonical, String type, String ns, String name, String version,
                                   Map<String, String> qualifiers) throws Exception {
        assertThat(actual.canonicalize()).isEqualTo(canonical);
        PackageURL parsed = new PackageURL(canonical);
        assertThat(parsed).isEqualTo(actual);
        assertThat(parsed.getType()).isEqualTo(type);
        assertThat(parsed.getNamespace()).isEqualTo(ns);
        assertThat(parsed.getName()).isEqualTo(name);
        assertThat(parsed.getVersion()).isEqualTo(version);
        assertThat(parsed.getQualifiers() == null ? Map.of() : parsed.getQualifiers()).isEqualTo(new TreeMap<>(qualifiers));
    }

    @Test
    void deb_sameSource_hasNoUpstream() throws Exception {
        assertPurl(Purls.of(debNamed("openssl"), DEBIAN),
                "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
                "deb", "debian", "openssl", "3.0.11-1~deb12u2", Map.of("arch", "amd64", "distro", "debian-12"));
    }

    @Test
    void deb_otherSourceName_upstreamIsSourceName() throws Exception {
        assertPurl(Purls.of(debNamed("libstdc++6"), DEBIAN),
                "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&distro=debian-12&upstream=gcc-12",
                "deb", "debian", "libstdc++6", "12.2.0-14", Map.of("arch", "amd64", "distro", "debian-12", "upstream", "gcc-12"));
    }

    @Test
    void deb_binNmu_upstreamCarriesSourceVersion() throws Exception {
        assertPurl(Purls.of(debNamed("libbz2-1.0"), DEBIAN),
                "pkg:deb/debian/libbz2-1.0@1.0.8-5%2Bb1?arch=amd64&distro=debian-12&upstream=bzip2%401.0.8-5",
                "deb", "debian", "libbz2-1.0", "1.0.8-5+b1",
                Map.of("arch", "amd64", "distro", "debian-12", "upstream", "bzip2@1.0.8-5"));
    }

    @Test
    void deb_epochStaysInVersion() throws Exception {
        assertPurl(Purls.of(debNamed("zlib1g"), DEBIAN),
                "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib".replace("1:1", "1%3A1"),
                "deb", "debian", "zlib1g", "1:1.2.13.dfsg-1", Map.of("arch", "amd64", "distro", "debian-12", "upstream", "zlib"));
    }

    @Test
    void rpm_epochAndSourceRpm() throws Exception {
        assertPurl(Purls.of(rpmNamed("openssl-libs"), FEDORA),
                "pkg:rpm/fedora/openssl-libs@3.2.2-3.fc40?arch=x86_64&distro=fedora-40&epoch=1&upstream=openssl-3.2.2-3.fc40.src.rpm",
                "rpm", "fedora", "openssl-libs", "3.2.2-3.fc40",
                Map.of("arch", "x86_64", "distro", "fedora-40", "epoch", "1", "upstream", "openssl-3.2.2-3.fc40.src.rpm"));
    }

    @Test
    void rpm_sourceNameWithoutFileName_isTurnedIntoSrpmName() throws Exception {
        var p = new SbomPackage("rpm", "libstdc++", "2:14.1.1-7.fc40", "x86_64", "gcc", "14.1.1-7.fc40",
                null, null, null, null, null);
        assertThat(p.epoch()).isEqualTo("2");
        assertThat(p.version()).isEqualTo("14.1.1-7.fc40");
        assertPurl(Purls.of(p, FEDORA),
                "pkg:rpm/fedora/libstdc%2B%2B@14.1.1-7.fc40?arch=x86_64&distro=fedora-40&epoch=2&upstream=gcc-14.1.1-7.fc40.src.rpm",
                "rpm", "fedora", "libstdc++", "14.1.1-7.fc40",
                Map.of("arch", "x86_64", "distro", "fedora-40", "epoch", "2", "upstream", "gcc-14.1.1-7.fc40.src.rpm"));
    }

    @Test
    void rpm_redHatFamilyUsesRedhatNamespace() {
        assertThat(Purls.of(rpmNamed("bash"), new OsInfo("rhel", "9.4")).canonicalize())
                .startsWith("pkg:rpm/redhat/bash@5.2.26-3.fc40?").contains("distro=rhel-9.4");
    }

    @Test
    void image_digestIsTheVersion() throws Exception {
        var image = Fixtures.debImage();
        assertPurl(Purls.image(image),
                "pkg:oci/python@sha256%3A" + image.digest().hex() + "?arch=amd64&tag=3.11",
                "oci", null, "python", image.digest().toString(), Map.of("arch", "amd64", "tag", "3.11"));
    }

    @Test
    void image_index_hasNoArchAndUsesLastPathSegment() throws Exception {
        var image = Fixtures.rpmInput().image();
        assertPurl(Purls.image(image), "pkg:oci/bash@sha256%3A" + image.digest().hex(),
                "oci", null, "bash", image.digest().toString(), Map.of());
    }

    @Test
    void source_debAndRpm() {
        assertThat(Purls.source(SourcePackage.of(debNamed("libbz2-1.0")), DEBIAN).canonicalize())
                .isEqualTo("pkg:deb/debian/bzip2@1.0.8-5?arch=source&distro=debian-12");
        assertThat(Purls.source(SourcePackage.of(rpmNamed("zlib-ng-compat")), FEDORA).canonicalize())
                .isEqualTo("pkg:rpm/fedora/zlib-ng@2.1.7-1.fc40?arch=src&distro=fedora-40");
    }

    @Test
    void badSourceRpmName_isRefusedWithItsName() {
        var p = new SbomPackage("rpm", "x", "1-1", "noarch", "nodashes.src.rpm", null, null, null, null, null, null);
        assertThatThrownBy(() -> Purls.of(p, FEDORA)).isInstanceOf(SbomException.class)
                .hasMessageContaining("nodashes.src.rpm").hasMessageContaining("NAME-VERSION-RELEASE.src.rpm");
    }

    @Test
    void badPackageFields_areRefused() {
        assertThatThrownBy(() -> new SbomPackage("apk", "x", "1", "x86_64", null, null, null, null, null, null, null))
                .isInstanceOf(SbomException.class).hasMessageContaining("apk");
        assertThatThrownBy(() -> new SbomPackage("deb", "x", "1", "amd64", null, null, null, null, "ABC", null, null))
                .isInstanceOf(SbomException.class).hasMessageContaining("sha256");
        assertThatThrownBy(() -> new SbomPackage("rpm", "x", "1:1-1", "x86_64", null, null, null, null, null, null, "2"))
                .isInstanceOf(SbomException.class).hasMessageContaining("epoch");
        assertThatThrownBy(() -> new SbomPackage("deb", "x", "1", "amd64", null, null, null, null, null, null, "1"))
                .isInstanceOf(SbomException.class).hasMessageContaining("Debian epoch");
    }
}
