package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.tools.SpdxToolsHelper;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Oracles no one here wrote: the official SPDX 2.3 and CycloneDX 1.6 JSON schemas, and the SPDX tools' model check. */
/** Official-schema validation of SBOMs, for the tests of every package that writes them. */
public final class Validators {
    private Validators() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Schema spdxSchema;

    /** Schema errors against the SPDX 2.3 JSON schema shipped in org.spdx:tools-java (what its Verify uses). */
    public static synchronized List<String> spdxSchemaErrors(byte[] json) throws Exception {
        if (spdxSchema == null) {
            try (InputStream in = SpdxToolsHelper.class.getResourceAsStream("/resources/spdx-schema-v2.3.json")) {
                if (in == null) throw new AssertionError("tools-java no longer ships resources/spdx-schema-v2.3.json");
                spdxSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09).getSchema(in);
            }
        }
        JsonNode node = MAPPER.readTree(json);
        return spdxSchema.validate(node).stream().map(Object::toString).toList();
    }

    /**
     * The SPDX Java library's own verification of a parsed document (relationships resolve, licence expressions
     * parse against the SPDX licence list, ids are well formed, ...), i.e. the second half of {@code Verify}.
     */
    public static List<String> spdxModelErrors(byte[] json, Path dir) throws Exception {
        System.setProperty("SPDXParser.OnlyUseLocalLicenses", "true");
        SpdxToolsHelper.initialize();
        Path file = Files.write(dir.resolve("sbom.spdx.json"), json);
        SpdxDocument doc = SpdxToolsHelper.deserializeDocumentCompatV2(file.toFile(), SpdxToolsHelper.SerFileType.JSON);
        return doc.verify();
    }

    /** Schema errors against the CycloneDX 1.6 JSON schema bundled in org.cyclonedx:cyclonedx-core-java. */
    public static List<String> cycloneDxErrors(byte[] json) throws Exception {
        return new JsonParser().validate(json, Version.VERSION_16).stream().map(Throwable::getMessage).toList();
    }
}
