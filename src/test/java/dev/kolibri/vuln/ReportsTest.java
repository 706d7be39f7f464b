package dev.kolibri.vuln;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ScanReport debianReport() {
        return Scan.run("out/python", Fixtures.debian12(), "Debian:12", OsvDb.load(Fixtures.osv()),
                Vex.load(Fixtures.resource("vex/openvex.json")));
    }

    @Test
    void table_listsFindingsAndSummary() {
        String table = Reports.table(debianReport());
        String[] lines = table.split("\n");
        assertThat(lines[0]).matches("ID +ALIASES +SEVERITY +PACKAGE +INSTALLED +FIXED +FIX");
        assertThat(table).contains("DEBIAN-CVE-2099-0003").contains("3.0.15-1").contains("low 3.1").contains("no\n");
        assertThat(table).containsPattern("DEBIAN-CVE-2023-4781 +CVE-2023-4781 +high +vim +2:9.0.1378-2 +2:9.0.1378-2\\+deb12u1 +yes");
        assertThat(lines[lines.length - 1]).isEqualTo("6 findings (2 high, 3 low, 1 unknown), 1 suppressed by VEX");
        assertThat(Reports.table(new ScanReport("x", "Debian:12", List.of(), List.of()))).isEqualTo("0 findings, 0 suppressed by VEX\n");
    }

    @Test
    void json_roundTripsTheFacts() throws Exception {
        JsonNode root = JSON.readTree(Reports.json(debianReport()));
        assertThat(root.path("summary").path("total").asInt()).isEqualTo(6);
        assertThat(root.path("summary").path("suppressed").asInt()).isEqualTo(1);
        JsonNode vim = null;
        for (JsonNode f : root.path("findings")) if (f.path("package").asText().equals("vim")) vim = f;
        assertThat(vim).isNotNull();
        assertThat(vim.path("fixedVersion").asText()).isEqualTo("2:9.0.1378-2+deb12u1");
        assertThat(vim.path("fixAvailable").asBoolean()).isTrue();
        assertThat(vim.path("severity").path("label").asText()).isEqualTo("high");
        assertThat(vim.path("severity").path("score").isNull()).isTrue();
        assertThat(root.path("suppressed").get(0).path("justification").asText()).isEqualTo("vulnerable_code_not_in_execute_path");
        assertThat(Reports.json(debianReport())).isEqualTo(Reports.json(debianReport()));
    }

    /** The streamed JSON report is the very text the earlier tree-based writer gave (kept here as the oracle). */
    @Test
    void json_sameTextAsJacksonTree() throws Exception {
        Finding.Rating scored = new Finding.Rating(Severity.CRITICAL, 9.8, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS_V3");
        Finding.Rating ten = new Finding.Rating(Severity.CRITICAL, 10.0, "v", "CVSS_V3");
        List<Finding> findings = List.of(
                new Finding("X-1", List.of("CVE-1", "GHSA-\"q\""), "tab\tnl\nquote\" back\\ ctl\u0001 é ✓ 😀", scored, "p", "src",
                        "pkg:deb/debian/p@1", "1", "2", "osv:Debian:12"),
                new Finding("X-2", List.of(), "", Finding.Rating.UNKNOWN, "q", null, null, "1:2~3", null, "osv:Debian:12"),
                new Finding("X-3", List.of("A"), "s", ten, "r", "r", null, "0", null, "vex:doc"));
        ScanReport report = new ScanReport("t\"arget", "Debian:12", findings,
                List.of(new Suppressed(findings.get(2), "inline_mitigations_already_exist", "vex:doc")));
        assertThat(Reports.json(report)).isEqualTo(treeJson(report));
        assertThat(Reports.json(debianReport())).isEqualTo(treeJson(debianReport()));
        ScanReport empty = new ScanReport("x", "Debian:12", List.of(), List.of());
        assertThat(Reports.json(empty)).isEqualTo(treeJson(empty));
    }

    private static String treeJson(ScanReport report) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        var root = json.createObjectNode();
        root.put("target", report.target());
        root.put("ecosystem", report.ecosystem());
        var summary = root.putObject("summary");
        summary.put("total", report.findings().size());
        for (Severity sev : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.NONE, Severity.UNKNOWN)) {
            summary.put(sev.label(), report.summary().get(sev));
        }
        summary.put("suppressed", report.suppressed().size());
        var findings = root.putArray("findings");
        for (Finding f : report.findings()) findings.add(treeFinding(json, f));
        var suppressed = root.putArray("suppressed");
        for (Suppressed s : report.suppressed()) {
            var n = treeFinding(json, s.finding());
            n.put("justification", s.justification());
            n.put("suppressedBy", s.source());
            suppressed.add(n);
        }
        return json.writeValueAsString(root) + "\n";
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode treeFinding(ObjectMapper json, Finding f) {
        var n = json.createObjectNode();
        n.put("id", f.id());
        var aliases = n.putArray("aliases");
        f.aliases().forEach(aliases::add);
        n.put("summary", f.summary());
        var sev = n.putObject("severity");
        sev.put("label", f.severity().label());
        if (f.rating().score() == null) sev.putNull("score");
        else sev.put("score", f.rating().score());
        sev.put("vector", f.rating().vector());
        sev.put("source", f.rating().source());
        n.put("package", f.packageName());
        n.put("sourcePackage", f.sourceName());
        n.put("purl", f.purl());
        n.put("installedVersion", f.installedVersion());
        n.put("fixedVersion", f.fixedVersion());
        n.put("fixAvailable", f.fixAvailable());
        n.put("dataSource", f.dataSource());
        return n;
    }

    /** No SARIF 2.1.0 schema is available offline here: the structure the schema requires is checked by hand. */
    @Test
    void sarif_hasTheRequiredStructure() throws Exception {
        ScanReport report = debianReport();
        JsonNode root = JSON.readTree(Reports.sarif(report));
        assertThat(root.path("version").asText()).isEqualTo("2.1.0");
        assertThat(root.path("runs")).hasSize(1);
        JsonNode run = root.path("runs").get(0);
        JsonNode driver = run.path("tool").path("driver");
        assertThat(driver.path("name").asText()).isEqualTo("kolibri");
        Set<String> ruleIds = new HashSet<>();
        for (JsonNode rule : driver.path("rules")) {
            assertThat(ruleIds.add(rule.path("id").asText())).as("unique rule ids").isTrue();
            assertThat(rule.path("shortDescription").path("text").asText()).isNotEmpty();
            assertThat(rule.path("properties").path("security-severity").asText()).matches("\\d+\\.\\d");
        }
        assertThat(ruleIds).hasSize(report.findings().stream().map(Finding::id).distinct().toList().size());
        assertThat(run.path("results")).hasSize(report.findings().size());
        for (JsonNode r : run.path("results")) {
            String id = r.path("ruleId").asText();
            assertThat(driver.path("rules").get(r.path("ruleIndex").asInt()).path("id").asText()).isEqualTo(id);
            assertThat(r.path("level").asText()).isIn("error", "warning", "note");
            assertThat(r.path("message").path("text").asText()).startsWith(id + " in ");
            JsonNode logical = r.path("locations").get(0).path("logicalLocations").get(0);
            assertThat(logical.path("name").asText()).isNotEmpty();
        }
        JsonNode vimRule = null;
        for (JsonNode rule : driver.path("rules")) if (rule.path("id").asText().equals("DEBIAN-CVE-2023-4781")) vimRule = rule;
        assertThat(vimRule.path("properties").path("security-severity").asText()).isEqualTo("7.0");
        assertThat(Reports.level(Severity.CRITICAL)).isEqualTo("error");
        assertThat(Reports.level(Severity.MEDIUM)).isEqualTo("warning");
        assertThat(Reports.level(Severity.LOW)).isEqualTo("note");
        assertThat(run.path("properties").path("summary").path("high").asInt()).isEqualTo(2);
    }

    @Test
    void gate_failsAtOrAboveTheLevel_ignoringSuppressed() {
        ScanReport report = debianReport(); // the critical libssl3 finding is suppressed by VEX
        assertThat(Gate.parse("critical").fails(report)).isFalse();
        assertThat(Gate.parse("high").fails(report)).isTrue();
        assertThat(Gate.parse("medium").fails(report)).isTrue();
        assertThat(Gate.parse("low").fails(report)).isTrue();
        ScanReport onlyUnknown = new ScanReport("x", "Debian:12", List.of(new Finding("X-1", List.of(), "", Finding.Rating.UNKNOWN,
                "a", "a", null, "1", null, "osv:Debian:12")), List.of());
        assertThat(Gate.parse("medium").fails(onlyUnknown)).isFalse();
        assertThat(Gate.parse("low").fails(onlyUnknown)).isTrue();
        assertThatThrownBy(() -> Gate.parse("none")).isInstanceOf(VulnException.class);
    }
}
