package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpdxWriterTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<SbomInput> inputs() {
        return Stream.of(Fixtures.debInput(), Fixtures.rpmInput());
    }

    private static JsonNode tree(byte[] b) throws Exception {
        return MAPPER.readTree(b);
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void write_validatesAgainstOfficialSpdx23Schema(SbomInput in) throws Exception {
        assertThat(Validators.spdxSchemaErrors(SpdxWriter.write(in))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void write_passesSpdxLibraryVerification(SbomInput in, @TempDir Path dir) throws Exception {
        assertThat(Validators.spdxModelErrors(SpdxWriter.write(in), dir)).isEmpty();
    }

    @Test
    void schemaValidator_rejectsABrokenDocument() throws Exception {
        var doc = (com.fasterxml.jackson.databind.node.ObjectNode) tree(SpdxWriter.write(Fixtures.debInput()));
        doc.remove("SPDXID");
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("packages").get(1)).put("filesAnalyzed", "no");
        assertThat(Validators.spdxSchemaErrors(MAPPER.writeValueAsBytes(doc))).hasSizeGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void write_relationshipsAreComplete(SbomInput in) throws Exception {
        JsonNode doc = tree(SpdxWriter.write(in));
        Map<String, String> idByPurl = new HashMap<>();
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode p : doc.get("packages")) {
            byId.put(p.get("SPDXID").asText(), p);
            idByPurl.put(p.get("externalRefs").get(0).get("referenceLocator").asText(), p.get("SPDXID").asText());
        }
        Set<List<String>> rels = new HashSet<>();
        for (JsonNode r : doc.get("relationships")) {
            rels.add(List.of(r.get("spdxElementId").asText(), r.get("relationshipType").asText(), r.get("relatedSpdxElement").asText()));
            assertThat(byId.keySet()).as("relationship ends exist").contains(r.get("relatedSpdxElement").asText());
        }
        assertThat(rels).contains(List.of("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image"));
        assertThat(byId.get("SPDXRef-Image").get("primaryPackagePurpose").asText()).isEqualTo("CONTAINER");
        Map<String, String> idByKey = new HashMap<>();
        for (SbomPackage p : in.packages()) {
            String id = idByPurl.get(Purls.of(p, in.os()).canonicalize());
            assertThat(id).as("package %s is in the document under its purl", p.key()).isNotNull();
            idByKey.put(p.key(), id);
            assertThat(rels).contains(List.of("SPDXRef-Image", "CONTAINS", id));
            String srcId = idByPurl.get(Purls.source(SourcePackage.of(p), in.os()).canonicalize());
            assertThat(srcId).isNotNull();
            assertThat(byId.get(srcId).get("primaryPackagePurpose").asText()).isEqualTo("SOURCE");
            assertThat(rels).contains(List.of(id, "GENERATED_FROM", srcId));
        }
        int dependsEdges = 0;
        for (var e : in.dependsOn().entrySet()) {
            for (String to : e.getValue()) {
                if (to.equals(e.getKey())) continue;
                assertThat(rels).contains(List.of(idByKey.get(e.getKey()), "DEPENDS_ON", idByKey.get(to)));
                dependsEdges++;
            }
        }
        long sources = in.packages().stream().map(SourcePackage::of).distinct().count();
        assertThat(doc.get("packages")).hasSize(1 + in.packages().size() + (int) sources);
        assertThat(rels).hasSize(1 + 2 * in.packages().size() + dependsEdges);
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void write_isByteIdenticalAndStableUnderReordering(SbomInput in) {
        byte[] first = SpdxWriter.write(in);
        assertThat(SpdxWriter.write(in)).isEqualTo(first);
        for (long seed = 1; seed <= 5; seed++) {
            assertThat(SpdxWriter.write(Fixtures.shuffled(in, seed))).as("seed %d", seed).isEqualTo(first);
        }
        String text = new String(first, StandardCharsets.UTF_8);
        assertThat(text).endsWith("}\n").doesNotContain("\r").contains("\n  \"spdxVersion\": \"SPDX-2.3\",\n");
    }

    /** Found on the real nodejs image: libnode and another package spell one Debian licence in two cases. */
    @Test
    void licenseRefs_differingOnlyInCase_shareOneExtractedLicence(@TempDir Path dir) throws Exception {
        List<SbomPackage> pkgs = List.of(
                Fixtures.deb("liba", "1.0-1", "amd64", "liba", "1.0-1", "LicenseRef-BSD-3-clause-Intel AND MIT"),
                Fixtures.deb("libb", "2.0-1", "amd64", "libb", "2.0-1", "LicenseRef-BSD-3-clause-intel"));
        SbomInput in = new SbomInput(Fixtures.debImage(), pkgs, Map.of(), Fixtures.EPOCH, "0.1.0", Fixtures.DEBIAN);
        byte[] bytes = SpdxWriter.write(in);
        JsonNode doc = tree(bytes);
        List<String> ids = new ArrayList<>();
        doc.get("hasExtractedLicensingInfos").forEach(e -> ids.add(e.get("licenseId").asText()));
        assertThat(ids).containsExactly("LicenseRef-BSD-3-clause-Intel");
        List<String> declared = new ArrayList<>();
        doc.get("packages").forEach(p -> declared.add(p.path("licenseDeclared").asText()));
        assertThat(declared).contains("LicenseRef-BSD-3-clause-Intel AND MIT", "LicenseRef-BSD-3-clause-Intel");
        assertThat(Validators.spdxModelErrors(bytes, dir)).isEmpty();
        assertThat(Validators.spdxSchemaErrors(bytes)).isEmpty();
    }

    @Test
    void write_headerFieldsComeFromTheInput() throws Exception {
        SbomInput in = Fixtures.debInput();
        JsonNode doc = tree(SpdxWriter.write(in));
        assertThat(doc.get("name").asText()).isEqualTo("python:3.11");
        assertThat(doc.get("dataLicense").asText()).isEqualTo("CC0-1.0");
        assertThat(doc.get("creationInfo").get("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(doc.get("creationInfo").get("creators").get(0).asText()).isEqualTo("Tool: kolibri-0.1.0");
        assertThat(doc.get("documentNamespace").asText())
                .matches("https://kolibri\\.invalid/spdx/python/sha256-" + in.image().digest().hex() + "/[0-9a-f-]{36}");
    }

    @Test
    void namespace_changesWithContentAndNotOtherwise() throws Exception {
        SbomInput in = Fixtures.debInput();
        String ns = tree(SpdxWriter.write(in)).get("documentNamespace").asText();
        var fewer = new ArrayList<>(in.packages());
        fewer.removeIf(p -> p.name().equals("netbase"));
        var other = new SbomInput(in.image(), fewer, in.dependsOn(), in.epoch(), in.toolVersion(), in.os());
        assertThat(tree(SpdxWriter.write(other)).get("documentNamespace").asText()).isNotEqualTo(ns);
        assertThat(tree(SpdxWriter.write(Fixtures.shuffled(in, 9))).get("documentNamespace").asText()).isEqualTo(ns);
    }

    @Test
    void packageFields_licenceSupplierChecksum() throws Exception {
        JsonNode doc = tree(SpdxWriter.write(Fixtures.debInput()));
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode p : doc.get("packages")) {
            if (!p.has("primaryPackagePurpose")) byName.put(p.get("name").asText(), p);
        }
        JsonNode ssl = byName.get("libssl3");
        assertThat(ssl.get("licenseDeclared").asText()).isEqualTo("Apache-2.0 AND (Artistic-1.0-Perl OR GPL-1.0-or-later)");
        assertThat(ssl.get("licenseConcluded").asText()).isEqualTo("NOASSERTION");
        assertThat(ssl.get("supplier").asText()).isEqualTo("Organization: Debian Maintainers (maint@lists.example.org)");
        assertThat(ssl.get("checksums").get(0).get("algorithm").asText()).isEqualTo("SHA256");
        assertThat(ssl.get("checksums").get(0).get("checksumValue").asText()).hasSize(64);
        assertThat(ssl.get("sourceInfo").asText()).isEqualTo("built from source package openssl 3.0.11-1~deb12u2");
        assertThat(ssl.get("downloadLocation").asText()).startsWith("https://archive.example.org/debian/pool/main/libssl3_");
        JsonNode py = byName.get("libpython3.11-minimal");
        assertThat(py.get("licenseDeclared").asText()).isEqualTo("NOASSERTION");
        assertThat(py.get("comment").asText()).contains("GPL-2+ with OpenSSL exception");
        assertThat(byName.get("libc6").get("licenseDeclared").asText()).isEqualTo("NOASSERTION");
        assertThat(byName.get("libc6").has("comment")).isFalse();
        List<String> refs = new ArrayList<>();
        doc.get("hasExtractedLicensingInfos").forEach(i -> refs.add(i.get("licenseId").asText()));
        assertThat(refs).containsExactly("LicenseRef-PD-debian", "LicenseRef-public-domain");
        assertThat(byName.get("libstdc++6").get("SPDXID").asText()).matches("SPDXRef-Package-deb-libstdc--6-amd64-[0-9a-f]{8}");
    }

    @Test
    void downloadLocationOnAnIpAddress_becomesNoassertionAndAComment() throws Exception {
        JsonNode doc = tree(SpdxWriter.write(Fixtures.rpmInput()));
        JsonNode bash = null;
        for (JsonNode p : doc.get("packages")) if (p.get("name").asText().equals("bash") && p.has("checksums")) bash = p;
        assertThat(bash.get("downloadLocation").asText()).isEqualTo("NOASSERTION");
        assertThat(bash.get("comment").asText()).isEqualTo("downloaded from http://127.0.0.1:8080/fedora/Packages/bash-5.2.26-3.fc40.x86_64.rpm");
    }

    @Test
    void readBackPackage_withoutChecksumOrUrl_isStillValid(@TempDir Path dir) throws Exception {
        var p = new SbomPackage("deb", "libc6", "2.36-9", "amd64", "glibc", null, null, null, null, null, null);
        var in = new SbomInput(Fixtures.debImage(), List.of(p), Map.of(), 0, "0.1.0", Fixtures.DEBIAN);
        byte[] b = SpdxWriter.write(in);
        assertThat(Validators.spdxSchemaErrors(b)).isEmpty();
        assertThat(Validators.spdxModelErrors(b, dir)).isEmpty();
        JsonNode pkg = tree(b).get("packages").get(1);
        assertThat(pkg.has("checksums")).isFalse();
        assertThat(pkg.get("supplier").asText()).isEqualTo("NOASSERTION");
        assertThat(pkg.get("downloadLocation").asText()).isEqualTo("NOASSERTION");
    }

    @Test
    void imageWithoutPackages_isStillAValidDocument(@TempDir Path dir) throws Exception {
        var in = new SbomInput(Fixtures.debImage(), List.of(), null, 0, "0.1.0", new OsInfo("debian", null));
        byte[] spdx = SpdxWriter.write(in);
        assertThat(Validators.spdxSchemaErrors(spdx)).isEmpty();
        assertThat(Validators.spdxModelErrors(spdx, dir)).isEmpty();
        assertThat(tree(spdx).get("packages")).hasSize(1);
        byte[] cdx = CycloneDxWriter.write(in);
        assertThat(Validators.cycloneDxErrors(cdx)).isEmpty();
    }

    @Test
    void unknownDependencyKey_isAnErrorNamingIt() {
        SbomInput in = Fixtures.debInput();
        var bad = new SbomInput(in.image(), in.packages(), Map.of("libc6:amd64", List.of("libfoo:amd64")), in.epoch(), in.toolVersion(), in.os());
        assertThatThrownBy(() -> SpdxWriter.write(bad)).isInstanceOf(SbomException.class)
                .hasMessageContaining("libfoo:amd64").hasMessageContaining("libc6:amd64").hasMessageContaining("NAME:ARCH");
    }

    @Test
    void duplicatePackage_isAnError() {
        SbomInput in = Fixtures.debInput();
        var twice = new ArrayList<>(in.packages());
        twice.add(Fixtures.deb("libc6", "2.36-9+deb12u7", "amd64", "glibc", null, null));
        var bad = new SbomInput(in.image(), twice, Map.of(), in.epoch(), in.toolVersion(), in.os());
        assertThatThrownBy(() -> SpdxWriter.write(bad)).isInstanceOf(SbomException.class)
                .hasMessageContaining("libc6:amd64").hasMessageContaining("twice");
    }
}
