package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * SPDX 2.3 JSON for an image: the image as the described root package ({@code CONTAINER}), every installed
 * package inside it, every source package they were built from ({@code SOURCE}), every file added by
 * {@code contents:} as a file (SHA-1 and SHA-256), contained in one package per entry (purpose FILE) that the image
 * CONTAINS, and the relationships
 * {@code DESCRIBES}, {@code CONTAINS}, {@code DEPENDS_ON} and {@code GENERATED_FROM}.
 *
 * <p>The bytes are a function of the input alone. The {@code documentNamespace} is
 * {@code https://kolibri.invalid/spdx/NAME/sha256-HEX/UUID}, UUID a name-based (v5) UUID of the rest of the
 * document: equal documents share a namespace and any change of content gives a new one, as the SPDX spec
 * asks; {@code .invalid} (RFC 2606) can never be someone else's real host.
 */
public final class SpdxWriter {
    static final String NAMESPACE_BASE = "https://kolibri.invalid/spdx/";
    static final String IMAGE_ID = "SPDXRef-Image";
    private static final Pattern ID_UNSAFE = Pattern.compile("[^A-Za-z0-9.\\-]");
    private static final String NOASSERTION = "NOASSERTION";
    /**
     * SPDX 2.3's download location form (spec clause 7.7, as the SPDX tools check it): a host with a top-level
     * domain. Mirrors on an IP address, {@code localhost} or a bare host name do not fit; those URLs go into
     * the package comment and the location becomes NOASSERTION.
     */
    private static final Pattern DOWNLOAD_LOCATION = Pattern.compile(
            "^(((git|hg|svn|bzr)\\+)?([^:/?#]+://)?[a-z0-9]+([\\-\\.]{1}[a-z0-9]+){0,100}\\.[a-z]{2,5}(:[0-9]{1,5})?(/.*)?)$");

    private SpdxWriter() {}

    public static byte[] write(SbomInput input) {
        Graph g = Graph.of(input);
        ImageSubject image = input.image();
        Ids ids = new Ids(g);

        ObjectNode doc = Json.object();
        doc.put("spdxVersion", "SPDX-2.3");
        doc.put("dataLicense", "CC0-1.0");
        doc.put("SPDXID", "SPDXRef-DOCUMENT");
        doc.put("name", image.tag() == null ? image.name() + "@" + image.digest() : image.name() + ":" + image.tag());
        doc.put("documentNamespace", "");
        ObjectNode creation = doc.putObject("creationInfo");
        creation.put("created", Json.timestamp(input.epoch()));
        creation.putArray("creators").add("Tool: kolibri-" + input.toolVersion());

        ArrayNode packages = doc.putArray("packages");
        packages.add(imagePackage(image));
        // SPDX licence identifiers compare case-insensitively: two packages that spell one LicenseRef in two cases
        // ("BSD-3-clause-Intel", "BSD-3-clause-intel") must share one extracted-licence entry.
        var spellings = new TreeSet<String>();
        for (SbomPackage p : g.packages().values()) spellings.addAll(Licenses.licenseRefs(declared(p)));
        var canonical = new java.util.TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        for (String ref : spellings) canonical.putIfAbsent(ref, ref);
        var licenseRefs = new TreeSet<String>();
        for (SbomPackage p : g.packages().values()) {
            packages.add(binaryPackage(g, ids, p, Licenses.renameRefs(declared(p), canonical), licenseRefs));
        }
        for (SourcePackage s : g.sourcePackages()) {
            packages.add(sourcePackage(g, ids, s));
        }
        if (!licenseRefs.isEmpty()) {
            ArrayNode extracted = doc.putArray("hasExtractedLicensingInfos");
            for (String ref : licenseRefs) {
                ObjectNode info = extracted.addObject();
                info.put("licenseId", ref);
                String name = ref.substring(ref.indexOf("LicenseRef-") + "LicenseRef-".length());
                info.put("name", name);
                info.put("extractedText", "A licence without an SPDX identifier, called '" + name
                        + "' by the package's copyright information; its text is in the package's copyright file.");
            }
        }

        var byEntry = new java.util.TreeMap<String, java.util.List<SbomFile>>();
        for (SbomFile f : input.files()) byEntry.computeIfAbsent(f.entry(), k -> new java.util.ArrayList<>()).add(f);
        for (var e : byEntry.entrySet()) packages.add(contentsPackage(ids, e.getKey(), e.getValue()));
        if (!input.files().isEmpty()) {
            ArrayNode files = doc.putArray("files");
            for (SbomFile f : input.files()) files.add(file(ids, f));
        }

        ArrayNode rels = doc.putArray("relationships");
        relationship(rels, "SPDXRef-DOCUMENT", "DESCRIBES", IMAGE_ID);
        for (String key : g.packages().keySet()) relationship(rels, IMAGE_ID, "CONTAINS", ids.binary(key));
        for (String entry : byEntry.keySet()) relationship(rels, IMAGE_ID, "CONTAINS", ids.contents(entry));
        for (SbomFile f : input.files()) relationship(rels, ids.contents(f.entry()), "CONTAINS", ids.file(f));
        g.dependsOn().forEach((from, tos) -> tos.forEach(to -> relationship(rels, ids.binary(from), "DEPENDS_ON", ids.binary(to))));
        for (String key : g.packages().keySet()) {
            relationship(rels, ids.binary(key), "GENERATED_FROM", ids.source(g.sources().get(key)));
        }

        byte[] body = Json.bytes(doc);
        String uuid = Json.uuid5(NAMESPACE_BASE + HexFormat.of().formatHex(Digests.sha256(body))).toString();
        doc.put("documentNamespace", NAMESPACE_BASE + image.name() + "/" + image.digest().dashed() + "/" + uuid);
        return Json.bytes(doc);
    }

    private static ObjectNode imagePackage(ImageSubject image) {
        ObjectNode n = Json.object();
        n.put("name", image.name());
        n.put("SPDXID", IMAGE_ID);
        n.put("versionInfo", image.digest().toString());
        n.put("downloadLocation", NOASSERTION);
        n.put("filesAnalyzed", false);
        n.put("licenseConcluded", NOASSERTION);
        n.put("licenseDeclared", NOASSERTION);
        n.put("copyrightText", NOASSERTION);
        purlRef(n, Purls.image(image).canonicalize());
        n.put("primaryPackagePurpose", "CONTAINER");
        return n;
    }

    /** The package's declared licence as a normalized SPDX expression, or null. */
    private static String declared(SbomPackage p) {
        return p.license() == null ? null : Licenses.normalize(p.license());
    }

    private static ObjectNode binaryPackage(Graph g, Ids ids, SbomPackage p, String license, TreeSet<String> licenseRefs) {
        ObjectNode n = Json.object();
        n.put("name", p.name());
        n.put("SPDXID", ids.binary(p.key()));
        n.put("versionInfo", p.fullVersion());
        Supplier supplier = Supplier.parse(p.supplier());
        n.put("supplier", supplier == null ? NOASSERTION : supplier.spdx());
        String url = p.downloadLocation();
        boolean urlFits = url != null && DOWNLOAD_LOCATION.matcher(url).matches();
        n.put("downloadLocation", urlFits ? url : NOASSERTION);
        n.put("filesAnalyzed", false);
        if (p.sha256() != null) {
            ObjectNode c = n.putArray("checksums").addObject();
            c.put("algorithm", "SHA256");
            c.put("checksumValue", p.sha256());
        }
        SourcePackage src = g.sources().get(p.key());
        n.put("sourceInfo", "built from source package " + src.name() + " " + src.version());
        n.put("licenseConcluded", NOASSERTION);
        n.put("licenseDeclared", license == null ? NOASSERTION : license);
        licenseRefs.addAll(Licenses.licenseRefs(license));
        n.put("copyrightText", NOASSERTION);
        var comment = new StringBuilder();
        if (p.license() != null && license == null) {
            comment.append("declared licence, not an SPDX expression: ").append(p.license());
        }
        if (url != null && !urlFits) {
            comment.append(comment.isEmpty() ? "" : "; ").append("downloaded from ").append(url);
        }
        if (!comment.isEmpty()) n.put("comment", comment.toString());
        purlRef(n, g.purls().get(p.key()).canonicalize());
        return n;
    }

    private static ObjectNode sourcePackage(Graph g, Ids ids, SourcePackage s) {
        ObjectNode n = Json.object();
        n.put("name", s.name());
        n.put("SPDXID", ids.source(s));
        n.put("versionInfo", s.version());
        n.put("downloadLocation", NOASSERTION);
        n.put("filesAnalyzed", false);
        n.put("licenseConcluded", NOASSERTION);
        n.put("licenseDeclared", NOASSERTION);
        n.put("copyrightText", NOASSERTION);
        purlRef(n, Purls.source(s, g.input().os()).canonicalize());
        n.put("primaryPackagePurpose", "SOURCE");
        return n;
    }

    /** A file no package installed ({@code contents:}), with SHA-1 (required) and SHA-256. */
    private static ObjectNode file(Ids ids, SbomFile f) {
        ObjectNode n = Json.object();
        n.put("fileName", "." + f.path());
        n.put("SPDXID", ids.file(f));
        ArrayNode sums = n.putArray("checksums");
        ObjectNode sha1 = sums.addObject();
        sha1.put("algorithm", "SHA1");
        sha1.put("checksumValue", f.sha1());
        ObjectNode sha256 = sums.addObject();
        sha256.put("algorithm", "SHA256");
        sha256.put("checksumValue", f.sha256());
        n.put("licenseConcluded", NOASSERTION);
        n.put("copyrightText", NOASSERTION);
        n.put("comment", "added by contents: to " + f.entry());
        return n;
    }

    /**
     * The files of one {@code contents:} entry as a package (purpose FILE, files analyzed: they are all listed), so
     * that the image, whose package files are not listed, keeps {@code filesAnalyzed: false}.
     */
    private static ObjectNode contentsPackage(Ids ids, String entry, java.util.List<SbomFile> files) {
        ObjectNode n = Json.object();
        n.put("name", "contents:" + entry);
        n.put("SPDXID", ids.contents(entry));
        n.put("downloadLocation", NOASSERTION);
        n.put("filesAnalyzed", true);
        // SPDX 2.3 clause 7.9: SHA-1 of the files' SHA-1s (lower-case hex), sorted, concatenated
        String sums = String.join("", files.stream().map(SbomFile::sha1).sorted().toList());
        n.putObject("packageVerificationCode").put("packageVerificationCodeValue",
                HexFormat.of().formatHex(sha1(sums.getBytes(StandardCharsets.US_ASCII))));
        n.put("licenseConcluded", NOASSERTION);
        n.put("licenseDeclared", NOASSERTION);
        n.putArray("licenseInfoFromFiles").add(NOASSERTION);
        n.put("copyrightText", NOASSERTION);
        n.put("comment", "local files added by the definition's contents: entry for " + entry);
        n.put("primaryPackagePurpose", "FILE");
        return n;
    }

    private static byte[] sha1(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-1").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }

    private static void purlRef(ObjectNode pkg, String purl) {
        ObjectNode ref = pkg.putArray("externalRefs").addObject();
        ref.put("referenceCategory", "PACKAGE-MANAGER");
        ref.put("referenceType", "purl");
        ref.put("referenceLocator", purl);
    }

    private static void relationship(ArrayNode rels, String from, String type, String to) {
        ObjectNode r = rels.addObject();
        r.put("spdxElementId", from);
        r.put("relationshipType", type);
        r.put("relatedSpdxElement", to);
    }

    /** Stable, unique SPDX ids: the sanitised key, plus a short hash of the key when sanitising changed it. */
    private static final class Ids {
        private final Map<String, String> binary = new HashMap<>();
        private final Map<SourcePackage, String> source = new HashMap<>();
        private final Map<String, String> file = new HashMap<>();
        private final Map<String, String> contents = new HashMap<>();

        Ids(Graph g) {
            var used = new HashMap<String, String>();
            for (SbomFile f : g.input().files()) {
                file.put(f.path(), unique(used, "SPDXRef-File-", f.path().substring(1), "file " + f.path()));
                contents.computeIfAbsent(f.entry(), e -> unique(used, "SPDXRef-Contents-", e.equals("/") ? "root" : e.substring(1), "contents " + e));
            }
            for (SbomPackage p : g.packages().values()) {
                binary.put(p.key(), unique(used, "SPDXRef-Package-" + p.ecosystem() + "-", p.name() + "-" + p.arch(), p.key()));
            }
            for (SourcePackage s : g.sourcePackages()) {
                source.put(s, unique(used, "SPDXRef-SourcePackage-" + s.ecosystem() + "-", s.name() + "-" + s.version(),
                        "source " + s.name() + " " + s.version()));
            }
        }

        String binary(String key) {
            return binary.get(key);
        }

        String contents(String entry) {
            return contents.get(entry);
        }

        String file(SbomFile f) {
            return file.get(f.path());
        }

        String source(SourcePackage s) {
            return source.get(s);
        }

        private static String unique(Map<String, String> used, String prefix, String raw, String what) {
            String safe = ID_UNSAFE.matcher(raw).replaceAll("-");
            if (!safe.equals(raw)) {
                safe += "-" + HexFormat.of().formatHex(Digests.sha256(raw.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
            }
            String id = prefix + safe;
            String previous = used.putIfAbsent(id, what);
            if (previous != null) {
                throw new SbomException("SPDX id " + id + " would name both " + previous + " and " + what
                        + ": rename one of the packages");
            }
            return id;
        }
    }
}
