package dev.kolibri.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON scan inputs with Jackson's streaming parser instead of a tree: what kind of document it is, and the
 * packages of a CycloneDX SBOM, with exactly the results of {@link SbomPackages#cyclonedx} on the parsed tree (the
 * last of duplicate keys wins; values are read as {@code JsonNode.asText()} reads them). An SBOM of ten thousand
 * components is read without building a tree or loading databind.
 */
final class SbomStream {
    private static final JsonFactory FACTORY = new JsonFactory();

    private SbomStream() {}

    enum Kind { SPDX, CYCLONEDX, LOCK, OTHER }

    /** The kind of a JSON document, checked in this order: SPDX, CycloneDX, lockfile. The whole document is parsed. */
    static Kind kind(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                if (t != null) p.skipChildren();
                return Kind.OTHER;
            }
            boolean spdx = false, specDigest = false, packages = false;
            String bomFormat = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "spdxVersion" -> spdx = true;
                    case "specDigest" -> specDigest = true;
                    case "packages" -> packages = true;
                    default -> { }
                }
                if (field.equals("bomFormat")) bomFormat = text(p);
                else p.skipChildren();
            }
            if (spdx) return Kind.SPDX;
            if ("CycloneDX".equals(bomFormat)) return Kind.CYCLONEDX;
            if (specDigest && packages) return Kind.LOCK;
            return Kind.OTHER;
        }
    }

    /** A CycloneDX SBOM's packages; see {@link SbomPackages#cyclonedx}. */
    static ScanTarget cyclonedx(String name, byte[] json, String distro) {
        List<Component> components = List.of();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals("components")) components = components(p);
                    else p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the document was parsed whole by kind() already
        }
        List<Purl> purls = new ArrayList<>();
        List<String> os = new ArrayList<>();
        collect(components, purls, os, name);
        return SbomPackages.target(name, "cyclonedx", purls, distro, os.isEmpty() ? null : os.getFirst());
    }

    /** One component: the fields the scan reads ({@code null} when absent or JSON null), and its own components. */
    private record Component(String type, String name, String version, String purl, List<Component> components) {}

    private static void collect(List<Component> components, List<Purl> purls, List<String> os, String name) {
        for (Component c : components) {
            if ("operating-system".equals(c.type) && c.name != null && c.version != null) os.add(c.name + "-" + c.version);
            if (c.purl != null) purls.add(SbomPackages.parse(c.purl, name));
            collect(c.components, purls, os, name);
        }
    }

    /** The components of the current value: an array's elements or an object's values (as iterating a JsonNode does). */
    private static List<Component> components(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_ARRAY && t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return List.of();
        }
        JsonToken end = t == JsonToken.START_ARRAY ? JsonToken.END_ARRAY : JsonToken.END_OBJECT;
        List<Component> out = new ArrayList<>();
        while (true) {
            JsonToken v = p.nextToken();
            if (v == end) break;
            if (v == JsonToken.FIELD_NAME) v = p.nextToken();
            if (v == JsonToken.START_OBJECT) out.add(component(p));
            else p.skipChildren();
        }
        return out;
    }

    private static Component component(JsonParser p) throws IOException {
        String type = null, name = null, version = null, purl = null;
        boolean hasType = false;
        List<Component> nested = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "type" -> {
                    type = text(p);
                    hasType = true;
                }
                case "name" -> name = v == JsonToken.VALUE_NULL ? null : text(p);
                case "version" -> version = v == JsonToken.VALUE_NULL ? null : text(p);
                case "purl" -> purl = v == JsonToken.VALUE_NULL ? null : text(p);
                case "components" -> nested = components(p);
                default -> p.skipChildren();
            }
        }
        return new Component(hasType ? type : "", name, version, purl, nested);
    }

    /** The current value as {@code JsonNode.asText()} gives it; containers are skipped and read as "". */
    private static String text(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue().toString();
            case VALUE_NUMBER_FLOAT -> Double.toString(p.getDoubleValue());
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> {
                p.skipChildren();
                yield "";
            }
        };
    }
}
