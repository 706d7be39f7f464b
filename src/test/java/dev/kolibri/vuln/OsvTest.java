package dev.kolibri.vuln;

import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OsvTest {

    @Test
    void directory_loadsEveryJsonRecursivelyInPathOrder() {
        List<OsvRecord> all = Osv.load(Fixtures.osv());
        assertThat(all).extracting(OsvRecord::id).containsExactly(
                "DEBIAN-CVE-2023-4781", "DEBIAN-CVE-2023-50495", "DEBIAN-CVE-2024-5535", "DEBIAN-CVE-2099-0001",
                "DEBIAN-CVE-2099-0002", "DEBIAN-CVE-2099-0003", "DLA-3682-1", "ALSA-2024:2447", "RHSA-2024:9999");
    }

    @Test
    void record_fieldsAreRead() {
        OsvRecord r = Osv.load(Fixtures.resource("osv/debian/DEBIAN-CVE-2024-5535.json")).getFirst();
        assertThat(r.aliases()).containsExactly("CVE-2024-5535");
        assertThat(r.modified()).isEqualTo("2024-10-28T10:51:07Z");
        assertThat(r.withdrawn()).isNull();
        assertThat(r.details()).startsWith("Issue summary:");
        assertThat(r.severity()).containsExactly(new OsvRecord.SeverityEntry("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H"));
        OsvRecord.Affected deb12 = r.affected().get(1);
        assertThat(deb12.ecosystem()).isEqualTo("Debian:12");
        assertThat(deb12.name()).isEqualTo("openssl");
        assertThat(deb12.purl()).isEqualTo("pkg:deb/debian/openssl?arch=source");
        assertThat(deb12.ranges().getFirst().events()).containsExactly(
                new OsvRecord.Event(OsvRecord.EventKind.INTRODUCED, "0"), new OsvRecord.Event(OsvRecord.EventKind.FIXED, "3.0.15-1~deb12u1"));
        assertThat(deb12.versions()).hasSize(5);
        assertThat(deb12.severity()).isEqualTo("not yet assigned");

        OsvRecord alma = Osv.load(Fixtures.resource("osv/rpm/ALSA-2024-2447.json")).getFirst();
        assertThat(alma.databaseSeverity()).isEqualTo("Moderate");
        assertThat(alma.related()).contains("CVE-2024-0727");
        OsvRecord withdrawn = Osv.load(Fixtures.resource("osv/debian/DEBIAN-CVE-2099-0002.json")).getFirst();
        assertThat(withdrawn.isWithdrawn()).isTrue();
    }

    @Test
    void zip_readsTheSameRecords(@TempDir Path tmp) {
        Tools.require("zip");
        Path zip = tmp.resolve("all.zip");
        Tools.ok(Fixtures.osv(), "zip", "-q", "-r", zip.toString(), ".");
        assertThat(Osv.load(zip)).extracting(OsvRecord::id).containsExactlyInAnyOrderElementsOf(
                Osv.load(Fixtures.osv()).stream().map(OsvRecord::id).toList());
    }

    @Test
    void malformedRecord_errorNamesTheFile(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("good.json"), "{\"id\": \"X-1\", \"affected\": []}");
        Path sub = Files.createDirectories(tmp.resolve("sub"));
        Files.writeString(sub.resolve("bad.json"), "{\"id\": \"X-2\", \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"a\"},"
                + " \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": 0}]}]}]}");
        assertThatThrownBy(() -> Osv.load(tmp)).isInstanceOf(VulnException.class)
                .hasMessageContaining("malformed OSV record in " + sub.resolve("bad.json"))
                .hasMessageContaining("range event 'introduced' must be a string");
        Files.writeString(sub.resolve("bad.json"), "{\"id\": \"X-2\", \"affected\": [");
        assertThatThrownBy(() -> Osv.load(tmp)).hasMessageContaining("bad.json: not valid JSON");
        Files.writeString(sub.resolve("bad.json"), "{\"summary\": \"no id\"}");
        assertThatThrownBy(() -> Osv.load(tmp)).hasMessageContaining("required field 'id' is missing");
        Files.writeString(sub.resolve("bad.json"), "{\"id\": \"X-3\", \"affected\": [{\"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\", \"fixed\": \"1\"}]}]}]}");
        assertThatThrownBy(() -> Osv.load(tmp)).hasMessageContaining("has both introduced and fixed");
        Files.writeString(sub.resolve("bad.json"), "[1]");
        assertThatThrownBy(() -> Osv.load(tmp)).hasMessageContaining("a record must be a JSON object");
    }

    @Test
    void unknownFieldsAndArrays_areTolerated() {
        OsvRecord r = Osv.parse("{\"id\": \"X-1\", \"schema_version\": \"9.9\", \"new\": {\"a\": [1]},"
                + " \"affected\": [{\"package\": {\"ecosystem\": \"Debian:12\", \"name\": \"a\", \"extra\": 1}, \"whatever\": true}]}", "inline");
        assertThat(r.affected()).hasSize(1);
        assertThat(r.affected().getFirst().ranges()).isEmpty();
    }

    @Test
    void missingSource_saysWhatToGive(@TempDir Path tmp) {
        assertThatThrownBy(() -> Osv.load(tmp.resolve("nope"))).hasMessageContaining("does not exist: give a directory or zip");
    }
}
