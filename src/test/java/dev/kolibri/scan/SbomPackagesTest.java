package dev.kolibri.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.packageurl.PackageURL;
import dev.kolibri.lock.LockedRepository;
import dev.kolibri.vuln.ScannedPackage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SbomPackagesTest {
    private static final String DIGEST = "sha256:" + "0".repeat(64);

    @Test
    void debPurl_upstreamWithVersion_givesSourceVersion() throws Exception {
        ScannedPackage p = SbomPackages.deb(new PackageURL("pkg:deb/debian/libfoo1@1.0-1%2Bb1?arch=amd64&upstream=foo%401.0-1&distro=debian-12"));
        assertThat(p.name()).isEqualTo("libfoo1");
        assertThat(p.version()).isEqualTo("1.0-1+b1");
        assertThat(p.sourceName()).isEqualTo("foo");
        assertThat(p.sourceVersion()).isEqualTo("1.0-1");
        ScannedPackage same = SbomPackages.deb(new PackageURL("pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&upstream=openssl"));
        assertThat(same.sourceName()).isEqualTo("openssl");
        assertThat(same.sourceVersion()).isEqualTo("3.0.15-1~deb12u1");
    }

    @Test
    void rpmPurl_epochAndSourceRpm() throws Exception {
        ScannedPackage p = SbomPackages.rpm(new PackageURL(
                "pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm&distro=rhel-9.4"));
        assertThat(p.version()).isEqualTo("1:3.0.7-27.el9");
        assertThat(p.sourceName()).isEqualTo("openssl");
        assertThat(SbomPackages.srpmName("python3.11-3.11.9-1.fc40.src.rpm")).isEqualTo("python3.11");
    }

    @Test
    void cyclonedx_osComponentGivesEcosystem_sourceAndOtherTypesSkipped() throws Exception {
        String bom = """
                {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
                  {"type": "operating-system", "name": "almalinux", "version": "9.4"},
                  {"type": "library", "name": "openssl-libs", "purl": "pkg:rpm/almalinux/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm"},
                  {"type": "library", "name": "openssl", "purl": "pkg:rpm/almalinux/openssl@3.0.7-27.el9?arch=src"},
                  {"type": "library", "name": "requests", "purl": "pkg:pypi/requests@2.31.0",
                   "components": [{"type": "library", "purl": "pkg:rpm/almalinux/zlib@1.2.11-40.el9?arch=x86_64"}]}
                ]}
                """;
        ScanTarget t = SbomPackages.cyclonedx("bom.json", new ObjectMapper().readTree(bom), null);
        assertThat(t.ecosystem()).isEqualTo("AlmaLinux:9");
        assertThat(t.packages()).extracting(ScannedPackage::name).containsExactly("openssl-libs", "zlib");
    }

    @Test
    void spdx_mixedDistros_needDistro() throws Exception {
        String doc = """
                {"spdxVersion": "SPDX-2.3", "packages": [
                  {"externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:deb/debian/a@1?arch=amd64&distro=debian-12"}]},
                  {"externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:deb/debian/b@1?arch=amd64&distro=debian-11"}]}]}
                """;
        var root = new ObjectMapper().readTree(doc);
        assertThatThrownBy(() -> SbomPackages.spdx("x.spdx.json", root, null))
                .isInstanceOf(ScanInputException.class).hasMessageContaining("several distributions [debian-11, debian-12]");
        assertThat(SbomPackages.spdx("x.spdx.json", root, "debian-11").ecosystem()).isEqualTo("Debian:11");
    }

    @Test
    void malformedPurl_namesDocument() throws Exception {
        var root = new ObjectMapper().readTree("""
                {"spdxVersion": "SPDX-2.3", "packages": [{"externalRefs": [{"referenceType": "purl", "referenceLocator": "not a purl"}]}]}
                """);
        assertThatThrownBy(() -> SbomPackages.spdx("x.spdx.json", root, "debian-12"))
                .isInstanceOf(ScanInputException.class).hasMessageContaining("x.spdx.json: malformed package URL 'not a purl'");
    }

    @Test
    void distros_suitesAndValues() {
        assertThat(Distros.debianRelease("bookworm-security")).isEqualTo("12");
        assertThat(Distros.debianRelease("trixie")).isEqualTo("13");
        assertThat(Distros.debianRelease("bullseye-updates")).isEqualTo("11");
        assertThat(Distros.parse("debian-12").key()).isEqualTo("Debian:12");
        assertThat(Distros.parse("Debian:12").key()).isEqualTo("Debian:12");
        assertThat(Distros.parse("rhel-9.4").key()).isEqualTo("Red Hat:enterprise_linux:9");
        assertThatThrownBy(() -> Distros.parse("plan9")).isInstanceOf(ScanInputException.class).hasMessageContaining("debian-12");
        LockedRepository main = new LockedRepository("a", null, "http://a.invalid/", "bookworm", null, DIGEST, null);
        LockedRepository sec = new LockedRepository("b", null, "http://b.invalid/", "bookworm-security", null, DIGEST, null);
        LockedRepository old = new LockedRepository("c", null, "http://c.invalid/", "bullseye", null, DIGEST, null);
        LockedRepository odd = new LockedRepository("d", null, "http://d.invalid/", "nodistro", null, DIGEST, null);
        assertThat(Distros.ofRepositories(List.of(main, sec), "l").key()).isEqualTo("Debian:12");
        assertThatThrownBy(() -> Distros.ofRepositories(List.of(main, old), "l")).hasMessageContaining("mixes Debian releases [11, 12]");
        assertThatThrownBy(() -> Distros.ofRepositories(List.of(odd), "l")).hasMessageContaining("'nodistro'").hasMessageContaining("--distro");
    }
}
