package dev.kolibri.vuln;

import dev.kolibri.pkg.deb.DebVersions;
import dev.kolibri.pkg.rpm.RpmVersions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class VexTest {
    private static final List<Vex.Statement> CSAF = Vex.load(Fixtures.resource("vex/cve-2023-0464.json"));
    private static final List<Vex.Statement> OPENVEX = Vex.load(Fixtures.resource("vex/openvex.json"));

    @Test
    void csaf_productIdsBecomePurlsThroughBranchesAndRelationships() {
        assertThat(CSAF).extracting(Vex.Statement::vulnerability, Vex.Statement::purl, Vex.Statement::status, Vex.Statement::justification)
                .containsExactly(
                        tuple("CVE-2023-0464", "pkg:rpm/redhat/compat-openssl11?arch=src", Vex.Status.NOT_AFFECTED, "vulnerable_code_not_present"),
                        tuple("CVE-2023-0464", "pkg:rpm/redhat/openssl@3.0.7-6.el9_2?arch=src&epoch=1", Vex.Status.FIXED,
                                "vendor_fix: For details on how to apply this update, refer to the advisory."),
                        tuple("CVE-2023-0464", "pkg:rpm/redhat/libxyz?arch=src", Vex.Status.AFFECTED, "no_fix_planned: Will not fix"));
        assertThat(CSAF.getFirst().source()).isEqualTo("csaf:CVE-2023-0464");
        assertThat(CSAF.getFirst().rating().score()).isEqualTo(7.5);
    }

    private static Finding finding(String id, List<String> aliases, String pkg, String source, String installed, String fixed) {
        return new Finding(id, aliases, "", new Finding.Rating(Severity.HIGH, 7.5, null, "CVSS_V3"), pkg, source, null, installed, fixed, "osv:Red Hat:enterprise_linux:9::baseos");
    }

    @Test
    void csaf_suppressesNotAffectedAndFixed_completesFixes_addsKnownAffected() {
        List<ScannedPackage> pkgs = List.of(
                ScannedPackage.rpm("openssl-libs", "1:3.0.7-25.el9_3", "x86_64", "openssl"),
                ScannedPackage.rpm("openssl", "1:3.0.7-1.el9", "x86_64", "openssl"),
                ScannedPackage.rpm("compat-openssl11", "1:1.1.1k-4.el9_0", "x86_64", "compat-openssl11"),
                ScannedPackage.rpm("libxyz", "1.0-1.el9", "x86_64", "libxyz"));
        List<Finding> findings = List.of(
                finding("RHSA-2023:3722", List.of("CVE-2023-0464"), "openssl-libs", "openssl", "1:3.0.7-25.el9_3", null),
                finding("CVE-2023-0464", List.of(), "openssl", "openssl", "1:3.0.7-1.el9", null),
                finding("CVE-2023-0464", List.of(), "compat-openssl11", "compat-openssl11", "1:1.1.1k-4.el9_0", null),
                finding("CVE-2099-1111", List.of(), "compat-openssl11", "compat-openssl11", "1:1.1.1k-4.el9_0", null));
        Vex.Result r = Vex.apply(findings, pkgs, CSAF, RpmVersions.INSTANCE);
        assertThat(r.suppressed()).extracting(s -> s.finding().packageName(), Suppressed::justification, Suppressed::source).containsExactly(
                tuple("compat-openssl11", "vulnerable_code_not_present", "csaf:CVE-2023-0464"),
                tuple("openssl-libs", "fixed in 1:3.0.7-6.el9_2", "csaf:CVE-2023-0464"));
        assertThat(r.findings()).extracting(Finding::packageName, Finding::id, Finding::fixedVersion, Finding::fixAvailable).containsExactly(
                tuple("compat-openssl11", "CVE-2099-1111", null, false),
                tuple("libxyz", "CVE-2023-0464", null, false),
                tuple("openssl", "CVE-2023-0464", "1:3.0.7-6.el9_2", true));
        Finding added = r.findings().get(1);
        assertThat(added.dataSource()).isEqualTo("csaf:CVE-2023-0464");
        assertThat(added.severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void openVex_suppressesByAliasAndSourcePurl_andAddsAffected() {
        List<ScannedPackage> pkgs = Fixtures.debian12();
        List<Finding> findings = new Matcher(OsvDb.load(Fixtures.osv())).match(pkgs, "Debian:12");
        Vex.Result r = Vex.apply(findings, pkgs, OPENVEX, DebVersions.INSTANCE);
        assertThat(r.suppressed()).singleElement().satisfies(s -> {
            assertThat(s.finding().id()).isEqualTo("DEBIAN-CVE-2024-5535");
            assertThat(s.finding().packageName()).isEqualTo("libssl3");
            assertThat(s.justification()).isEqualTo("vulnerable_code_not_in_execute_path");
            assertThat(s.source()).isEqualTo("openvex:https://example.invalid/vex/kolibri-python-2024-001");
        });
        assertThat(r.findings()).hasSize(findings.size() - 1 + 1);
        assertThat(r.findings()).extracting(Finding::id).contains("DEBIAN-CVE-2023-50495"); // under_investigation changes nothing
        assertThat(r.findings()).filteredOn(f -> f.id().equals("CVE-2024-9999"))
                .extracting(Finding::packageName, Finding::fixAvailable).containsExactly(tuple("zlib1g", false));
    }

    @Test
    void openVex_versionedPurlOnlyCoversThatVersion() {
        List<ScannedPackage> pkgs = List.of(ScannedPackage.deb("libssl3", "3.0.13-1~deb12u1", "amd64", "openssl", "3.0.13-1~deb12u1"));
        List<Finding> findings = new Matcher(OsvDb.load(Fixtures.osv())).match(pkgs, "Debian:12");
        Vex.Result r = Vex.apply(findings, pkgs, OPENVEX, DebVersions.INSTANCE);
        assertThat(r.suppressed()).isEmpty();
        assertThat(r.findings()).extracting(Finding::id).contains("DEBIAN-CVE-2024-5535");
    }

    @Test
    void badDocuments_areNamed() {
        assertThatThrownBy(() -> Vex.parse("{\"a\": 1}".getBytes(StandardCharsets.UTF_8), "x.json"))
                .isInstanceOf(VulnException.class).hasMessageContaining("unrecognized VEX document x.json");
        assertThatThrownBy(() -> Vex.parse("{\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"maybe\"}]}"
                .getBytes(StandardCharsets.UTF_8), "y.json")).hasMessageContaining("unknown status 'maybe'");
        assertThatThrownBy(() -> Vex.parse("{".getBytes(StandardCharsets.UTF_8), "z.json")).hasMessageContaining("z.json: not valid JSON");
    }
}
