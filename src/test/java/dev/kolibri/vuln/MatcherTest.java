package dev.kolibri.vuln;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class MatcherTest {
    private static final OsvDb DB = OsvDb.load(Fixtures.osv());

    private static List<Finding> scan(List<ScannedPackage> pkgs, String eco) {
        return new Matcher(DB).match(pkgs, eco);
    }

    @Test
    void debian12_matchesBySourceWithEcosystemSemantics() {
        List<Finding> f = scan(Fixtures.debian12(), "Debian:12");
        assertThat(f).extracting(Finding::packageName, Finding::id, Finding::fixedVersion).containsExactly(
                tuple("libfoo1", "DEBIAN-CVE-2099-0001", null),                       // binNMU: source version 1.2-3 <= last_affected
                tuple("libncursesw6", "DEBIAN-CVE-2023-50495", null),                 // last_affected is inclusive; Debian:11 DLA ignored
                tuple("libssl3", "DEBIAN-CVE-2024-5535", "3.0.15-1~deb12u1"),
                tuple("libssl3", "DEBIAN-CVE-2099-0003", "3.0.15-1"),
                tuple("openssl", "DEBIAN-CVE-2099-0003", "3.0.15-1"),                  // ~deb12u1 sorts before 3.0.15-1
                tuple("vim", "DEBIAN-CVE-2023-4781", "2:9.0.1378-2+deb12u1"));         // epoch compared
    }

    @Test
    void finding_carriesSeverityAliasesAndSource() {
        Finding libssl = scan(Fixtures.debian12(), "Debian:12").stream()
                .filter(x -> x.id().equals("DEBIAN-CVE-2024-5535")).findFirst().orElseThrow();
        assertThat(libssl.aliases()).containsExactly("CVE-2024-5535");
        assertThat(libssl.rating()).isEqualTo(new Finding.Rating(Severity.CRITICAL, 9.1, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H", "CVSS_V3"));
        assertThat(libssl.summary()).startsWith("Issue summary: Calling the OpenSSL API").doesNotContain("\n");
        assertThat(libssl.sourceName()).isEqualTo("openssl");
        assertThat(libssl.installedVersion()).isEqualTo("3.0.14-1~deb12u2");
        assertThat(libssl.fixAvailable()).isTrue();
        assertThat(libssl.dataSource()).isEqualTo("osv:Debian:12");

        Finding vim = scan(Fixtures.debian12(), "Debian:12").stream().filter(x -> x.packageName().equals("vim")).findFirst().orElseThrow();
        assertThat(vim.rating().severity()).isEqualTo(Severity.HIGH);
        assertThat(vim.rating().score()).isNull();
        assertThat(vim.rating().source()).isEqualTo("CVSS_V4");
        Finding foo = scan(Fixtures.debian12(), "Debian:12").getFirst();
        assertThat(foo.rating()).isEqualTo(new Finding.Rating(Severity.LOW, null, "LOW", "database_specific"));
        assertThat(foo.fixAvailable()).isFalse();
    }

    @Test
    void fixedVersionInstalled_isNotAFinding_butBelowIntroducedOrAboveLimitNeither() {
        assertThat(scan(List.of(ScannedPackage.deb("libssl3", "3.0.15-1", "amd64", "openssl", "3.0.15-1")), "Debian:12")).isEmpty();
        assertThat(scan(List.of(ScannedPackage.deb("libssl3", "3.2.1-1", "amd64", "openssl", "3.2.1-1")), "Debian:12")).isEmpty();
        // second introduced range, no fix: below the limit still affected, and no fix is offered
        assertThat(scan(List.of(ScannedPackage.deb("libssl3", "3.1.5-1", "amd64", "openssl", "3.1.5-1")), "Debian:12"))
                .extracting(Finding::id, Finding::fixedVersion).containsExactly(tuple("DEBIAN-CVE-2099-0003", null));
        // the binary version is what was installed, the comparison used the source version
        assertThat(scan(List.of(ScannedPackage.deb("libfoo1", "1.2-4+b1", "amd64", "foo", "1.2-4")), "Debian:12")).isEmpty();
    }

    @Test
    void anotherRelease_neverMatches() {
        List<Finding> f = scan(Fixtures.debian11(), "Debian:11");
        assertThat(f).extracting(Finding::packageName, Finding::id, Finding::fixedVersion).containsExactly(
                tuple("libncursesw6", "DLA-3682-1", "6.2+20201114-2+deb11u2"),
                tuple("libssl1.1", "DEBIAN-CVE-2024-5535", "1.1.1w-0+deb11u2"));
        // the Debian 11 packages scanned as Debian 12: only Debian:12 ranges apply
        assertThat(scan(Fixtures.debian11(), "Debian:12")).extracting(Finding::id)
                .doesNotContain("DLA-3682-1");
        assertThat(scan(Fixtures.debian12(), "Ubuntu:22.04")).isEmpty();
    }

    @Test
    void withdrawnRecords_areIgnored() {
        assertThat(scan(Fixtures.debian12(), "Debian:12")).extracting(Finding::id).doesNotContain("DEBIAN-CVE-2099-0002");
    }

    @Test
    void alma9_matchesByBinaryAndSourceNameOnce() {
        List<Finding> f = scan(Fixtures.alma9(), "AlmaLinux:9");
        assertThat(f).extracting(Finding::packageName, Finding::id, Finding::installedVersion, Finding::fixedVersion).containsExactly(
                tuple("openssl-libs", "ALSA-2024:2447", "1:3.0.7-25.el9_3", "1:3.0.7-27.el9"));
        assertThat(f.getFirst().rating()).isEqualTo(new Finding.Rating(Severity.MEDIUM, null, "Moderate", "database_specific"));
        assertThat(f.getFirst().summary()).isEqualTo("Moderate: openssl and openssl-fips-provider security update");
    }

    @Test
    void rhel9_foldsRepositoryVariantsButNotEus() {
        List<Finding> f = scan(Fixtures.rhel9(), "Red Hat:enterprise_linux:9");
        assertThat(f).extracting(Finding::packageName, Finding::id, Finding::fixedVersion).containsExactly(
                tuple("libcurl-minimal", "RHSA-2024:9999", "7.76.1-29.el9_4.1"));
        assertThat(f.getFirst().severity()).isEqualTo(Severity.HIGH);
        assertThat(scan(Fixtures.rhel9(), "AlmaLinux:9")).extracting(Finding::id).doesNotContain("RHSA-2024:9999");
    }

    @Test
    void explicitVersionsList_matchesWithoutRanges() {
        OsvRecord r = Osv.parse("{\"id\": \"X-1\", \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"bar\"},"
                + " \"versions\": [\"1.0-1\", \"1.0-2\"]}]}", "inline");
        Matcher m = new Matcher(OsvDb.of(List.of(r)));
        assertThat(m.match(List.of(ScannedPackage.deb("bar", "1.0-2", "amd64", null, null)), "Debian:12")).hasSize(1);
        assertThat(m.match(List.of(ScannedPackage.deb("bar", "1.0-3", "amd64", null, null)), "Debian:12")).isEmpty();
    }

    @Test
    void unsortedEvents_areSortedBeforeEvaluation() {
        OsvRecord r = Osv.parse("{\"id\": \"X-2\", \"affected\": [{\"package\": {\"ecosystem\": \"AlmaLinux:9\", \"name\": \"baz\"},"
                + " \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"fixed\": \"2.0-1\"}, {\"introduced\": \"3.0-1\"}, {\"introduced\": \"1.0-1\"}, {\"fixed\": \"3.5-1\"}]}]}]}", "inline");
        Matcher m = new Matcher(OsvDb.of(List.of(r)));
        for (String[] c : new String[][] {{"0.9-1", "no"}, {"1.0-1", "2.0-1"}, {"1.9-9", "2.0-1"}, {"2.0-1", "no"}, {"3.1-1", "3.5-1"}, {"3.5-1", "no"}}) {
            List<Finding> f = m.match(List.of(ScannedPackage.rpm("baz", c[0], "x86_64", "baz")), "AlmaLinux:9");
            if (c[1].equals("no")) assertThat(f).as(c[0]).isEmpty();
            else assertThat(f).as(c[0]).extracting(Finding::fixedVersion).containsExactly(c[1]);
        }
    }
}
