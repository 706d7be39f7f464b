package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HexFormat;

/**
 * CycloneDX 1.6 JSON for an image: the image as {@code metadata.component} ({@code container}), the
 * operating system and every installed package as components ({@code bom-ref} = purl), every file added by
 * {@code contents:} as a {@code file} component ({@code bom-ref} = {@code file:PATH}, SHA-1 and SHA-256), and a dependency
 * graph (the image depends on all of them; each package on its own dependencies).
 *
 * <p>The bytes are a function of the input alone; {@code serialNumber} is a name-based (v5) UUID of the image
 * digest and the rest of the document, so the same BOM keeps its serial and a changed one gets a new one.
 */
public final class CycloneDxWriter {
    private CycloneDxWriter() {}

    public static byte[] write(SbomInput input) {
        Graph g = Graph.of(input);
        ImageSubject image = input.image();
        String imageRef = Purls.image(image).canonicalize();
        String osRef = "os:" + input.os().distro();

        ObjectNode bom = Json.object();
        bom.put("bomFormat", "CycloneDX");
        bom.put("specVersion", "1.6");
        bom.put("serialNumber", "");
        bom.put("version", 1);
        ObjectNode metadata = bom.putObject("metadata");
        metadata.put("timestamp", Json.timestamp(input.epoch()));
        ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
        tool.put("type", "application");
        tool.put("name", "kolibri");
        tool.put("version", input.toolVersion());
        ObjectNode subject = metadata.putObject("component");
        subject.put("type", "container");
        subject.put("bom-ref", imageRef);
        subject.put("name", image.name());
        subject.put("version", image.digest().toString());
        subject.put("purl", imageRef);
        if (image.tag() != null) property(subject, "kolibri:tag", image.tag());

        ArrayNode components = bom.putArray("components");
        ObjectNode os = components.addObject();
        os.put("type", "operating-system");
        os.put("bom-ref", osRef);
        os.put("name", input.os().id());
        if (input.os().versionId() != null) os.put("version", input.os().versionId());
        for (SbomPackage p : g.packages().values()) {
            components.add(component(g, p));
        }
        for (SbomFile f : input.files()) components.add(file(f));

        ArrayNode deps = bom.putArray("dependencies");
        ObjectNode root = deps.addObject();
        root.put("ref", imageRef);
        ArrayNode rootOn = root.putArray("dependsOn");
        rootOn.add(osRef);
        for (String key : g.packages().keySet()) rootOn.add(g.purls().get(key).canonicalize());
        for (SbomFile f : input.files()) rootOn.add(fileRef(f));
        deps.addObject().put("ref", osRef);
        for (SbomFile f : input.files()) deps.addObject().put("ref", fileRef(f));
        for (String key : g.packages().keySet()) {
            ObjectNode d = deps.addObject();
            d.put("ref", g.purls().get(key).canonicalize());
            var on = g.dependsOn().get(key);
            if (on != null) {
                ArrayNode arr = d.putArray("dependsOn");
                for (String to : on) arr.add(g.purls().get(to).canonicalize());
            }
        }

        byte[] body = Json.bytes(bom);
        bom.put("serialNumber", "urn:uuid:" + Json.uuid5("https://kolibri.invalid/cyclonedx/" + image.digest()
                + "/" + HexFormat.of().formatHex(Digests.sha256(body))));
        return Json.bytes(bom);
    }

    private static ObjectNode component(Graph g, SbomPackage p) {
        String purl = g.purls().get(p.key()).canonicalize();
        ObjectNode c = Json.object();
        c.put("type", "library");
        c.put("bom-ref", purl);
        Supplier supplier = Supplier.parse(p.supplier());
        if (supplier != null) {
            ObjectNode s = c.putObject("supplier");
            s.put("name", supplier.name());
            if (supplier.email() != null) s.putArray("contact").addObject().put("email", supplier.email());
        }
        c.put("name", p.name());
        c.put("version", p.fullVersion());
        if (p.license() != null) {
            String expr = Licenses.normalize(p.license());
            ObjectNode l = c.putArray("licenses").addObject();
            if (expr != null) l.put("expression", expr);
            else l.putObject("license").put("name", p.license());
        }
        if (p.sha256() != null) {
            ObjectNode h = c.putArray("hashes").addObject();
            h.put("alg", "SHA-256");
            h.put("content", p.sha256());
        }
        c.put("purl", purl);
        if (p.downloadLocation() != null) {
            ObjectNode ref = c.putArray("externalReferences").addObject();
            ref.put("type", "distribution");
            ref.put("url", p.downloadLocation());
        }
        SourcePackage src = g.sources().get(p.key());
        property(c, "kolibri:arch", p.arch());
        property(c, "kolibri:source", src.name() + " " + src.version());
        return c;
    }

    /** A file no package installed ({@code contents:}): type {@code file}, named by its path, with its hashes. */
    private static ObjectNode file(SbomFile f) {
        ObjectNode c = Json.object();
        c.put("type", "file");
        c.put("bom-ref", fileRef(f));
        c.put("name", f.path());
        ArrayNode hashes = c.putArray("hashes");
        ObjectNode sha1 = hashes.addObject();
        sha1.put("alg", "SHA-1");
        sha1.put("content", f.sha1());
        ObjectNode sha256 = hashes.addObject();
        sha256.put("alg", "SHA-256");
        sha256.put("content", f.sha256());
        property(c, "kolibri:contents", f.entry());
        return c;
    }

    private static String fileRef(SbomFile f) {
        return "file:" + f.path();
    }

    private static void property(ObjectNode component, String name, String value) {
        ArrayNode props = component.has("properties") ? (ArrayNode) component.get("properties") : component.putArray("properties");
        ObjectNode prop = props.addObject();
        prop.put("name", name);
        prop.put("value", value);
    }
}
