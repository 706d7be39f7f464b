package dev.kolibri.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/image-spec.schema.json, written by hand, against the loader and against an outside validator. */
class SchemaTest {
    static final Path SCHEMA = Path.of("docs/image-spec.schema.json");
    static final List<String> EXAMPLES = List.of("python.yaml", "minimal.yaml", "fedora.yaml", "contents.yaml");

    static JsonNode schema() throws IOException {
        return new ObjectMapper().readTree(SCHEMA.toFile());
    }

    static List<String> keys(JsonNode properties) {
        List<String> out = new ArrayList<>();
        properties.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void schema_namesExactlyTheKeysTheLoaderKnows() throws IOException {
        JsonNode s = schema();
        assertThat(keys(s.get("properties"))).containsExactlyInAnyOrderElementsOf(SpecLoader.TOP_KEYS);
        assertThat(keys(s.at("/$defs/repository/properties"))).containsExactlyInAnyOrderElementsOf(SpecLoader.REPOSITORY_KEYS);
        assertThat(keys(s.at("/properties/layering/properties"))).containsExactlyInAnyOrderElementsOf(SpecLoader.LAYERING_KEYS);
        assertThat(keys(s.at("/properties/limits/properties"))).containsExactlyInAnyOrderElementsOf(SpecLoader.LIMIT_KEYS);
        assertThat(keys(s.at("/$defs/variant/properties"))).containsExactlyInAnyOrderElementsOf(SpecLoader.VARIANT_KEYS);
        assertThat(keys(s.at("/$defs/content/properties"))).containsExactlyInAnyOrderElementsOf(SpecLoader.CONTENT_KEYS);
        List<String> required = new ArrayList<>();
        s.get("required").forEach(n -> required.add(n.asText()));
        assertThat(required).containsExactlyElementsOf(SpecLoader.REQUIRED_KEYS);
        assertThat(s.at("/properties/layering/properties/budget/maximum").asInt()).isEqualTo(Layering.MAX_BUDGET);
    }

    /** Validates YAML files with python3-jsonschema (draft 2020-12); prints one line per file: ok or the first error. */
    static Map<String, String> validate(List<Path> files) {
        Assumptions.assumeTrue(Tools.onPath("python3"), "skipped: python3 is not installed");
        Tools.Result probe = Tools.run(null, Map.of(), List.of("python3", "-c", "import jsonschema, yaml"));
        Assumptions.assumeTrue(probe.exit() == 0, "skipped: python3-jsonschema / python3-yaml are not installed (run .ci/install-deps)");
        String script = """
                import json, sys, yaml, jsonschema
                schema = json.load(open(sys.argv[1]))
                v = jsonschema.Draft202012Validator(schema)
                for f in sys.argv[2:]:
                    errors = sorted(v.iter_errors(yaml.safe_load(open(f))), key=lambda e: list(e.path))
                    print(f + "\\t" + ("ok" if not errors else errors[0].message))
                """;
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", script, SCHEMA.toAbsolutePath().toString()));
        files.forEach(f -> cmd.add(f.toString()));
        String out = Tools.run(null, Map.of(), cmd).orFail(cmd).out();
        Map<String, String> result = new java.util.TreeMap<>();
        for (String line : out.strip().split("\n")) {
            String[] parts = line.split("\t", 2);
            result.put(Path.of(parts[0]).getFileName().toString(), parts[1]);
        }
        return result;
    }

    @Test
    void examples_validateAgainstSchema() {
        List<Path> files = EXAMPLES.stream().map(SpecLoaderTest::example).toList();
        Map<String, String> result = validate(files);
        assertThat(result).hasSize(EXAMPLES.size()).allSatisfy((f, verdict) -> assertThat(verdict).as(f).isEqualTo("ok"));
        files.forEach(SpecLoader::load);
    }

    /** The catalog's own definitions ({@code images/*.yaml}) are valid by the schema too, as editors will check them. */
    @Test
    void catalogDefinitions_validateAgainstSchema() throws IOException {
        List<Path> files;
        try (var s = java.nio.file.Files.list(Path.of("images"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(9);
        Map<String, String> result = validate(files);
        assertThat(result).hasSize(files.size()).allSatisfy((f, verdict) -> assertThat(verdict).as(f).isEqualTo("ok"));
    }

    @Test
    void definitionsTheLoaderRefuses_schemaRefusesToo(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Map<String, String> bad = Map.ofEntries(
                Map.entry("no-repositories-nor-distro.yaml", "name: p\npackages: [p]\n"),
                Map.entry("distro-name.yaml", "name: p\ndistro: Debian/13\npackages: [p]\n"));
        bad = new java.util.HashMap<>(bad);
        bad.putAll(Map.of(
                "unknown-key.yaml", "name: p\nrepositories: [{type: rpm, url: system}]\npackages: [p]\npakages: [q]\n",
                "no-suite.yaml", "name: p\nrepositories: [{type: deb, url: system}]\npackages: [p]\n",
                "no-keyring.yaml", "name: p\nrepositories: [{type: rpm, url: \"http://127.0.0.1/r\"}]\npackages: [p]\n",
                "budget.yaml", "name: p\nrepositories: [{type: rpm, url: system}]\npackages: [p]\nlayering: {budget: 128}\n",
                "arch.yaml", "name: p\nrepositories: [{type: rpm, url: system}]\npackages: [p]\narchs: [sparc]\n",
                "variant-key.yaml", "name: p\nrepositories: [{type: rpm, url: system}]\npackages: [p]\nvariants: {b: {users: 0}}\n",
                "name.yaml", "name: P\nrepositories: [{type: rpm, url: system}]\npackages: [p]\n",
                "contents-proc.yaml", "name: p\nrepositories: [{type: rpm, url: system}]\npackages: [p]\ncontents: [{from: a, to: /proc/x}]\n",
                "contents-absolute.yaml", "name: p\nrepositories: [{type: rpm, url: system}]\npackages: [p]\ncontents: [{from: /a, to: /a}]\n",
                "contents-owner.yaml", "name: p\nrepositories: [{type: rpm, url: system}]\npackages: [p]\ncontents: [{from: a, to: /a, owner: root}]\n"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Path f = dir.resolve(e.getKey());
            java.nio.file.Files.writeString(f, e.getValue());
            files.add(f);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpecLoader.load(f)).as(e.getKey()).isInstanceOf(SpecException.class);
        }
        Map<String, String> result = validate(files);
        assertThat(result).hasSize(bad.size()).allSatisfy((f, verdict) -> assertThat(verdict).as(f).isNotEqualTo("ok"));
    }
}
