package dev.kolibri.vuln;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.kolibri.pkg.VersionScheme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * VEX: CSAF 2.0 VEX documents (as Red Hat publishes them: a {@code product_tree} whose branches,
 * {@code full_product_names} and {@code relationships} give product ids and purls, and {@code vulnerabilities} with
 * {@code product_status}, {@code flags}, {@code threats}, {@code remediations}) and OpenVEX documents
 * ({@code statements} with {@code vulnerability}, {@code products}, {@code status}, {@code justification}).
 * Both become {@link Statement}s about a vulnerability and a package (by purl), which {@link #apply} uses to
 * suppress, complete or add findings.
 */
public final class Vex {
    /** Made on first use: a scan without VEX documents does not need databind. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private Vex() {}

    public enum Status { NOT_AFFECTED, AFFECTED, FIXED, UNDER_INVESTIGATION }

    /**
     * One VEX statement about one package.
     *
     * @param purl          the package's purl (a version in it restricts the statement to that version)
     * @param justification the flag/justification/remediation text, or null
     * @param rating        severity the document gives (CSAF threats/scores), or {@link Finding.Rating#UNKNOWN}
     * @param source        {@code csaf:<tracking id>} or {@code openvex:<@id>}
     */
    public record Statement(String vulnerability, String purl, Status status, String justification, Finding.Rating rating, String source) {}

    /** Findings left after VEX (sorted), and the ones suppressed with their reasons. */
    public record Result(List<Finding> findings, List<Suppressed> suppressed) {
        public Result {
            findings = List.copyOf(findings);
            suppressed = List.copyOf(suppressed);
        }
    }

    /** Reads a CSAF VEX or OpenVEX JSON file. */
    public static List<Statement> load(Path file) {
        try {
            if (Files.size(file) > Osv.MAX_DOCUMENT) throw new VulnException("VEX document " + file + " is larger than 64 MiB; it is not a VEX document");
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new VulnException("cannot read VEX document " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a CSAF VEX or OpenVEX document; {@code name} names it in errors. */
    public static List<Statement> parse(byte[] json, String name) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new VulnException("malformed VEX document " + name + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new VulnException("cannot read VEX document " + name + ": " + e.getMessage(), e);
        }
        if (root != null && root.isObject() && root.has("document") && root.has("vulnerabilities")) return csaf(root, name);
        if (root != null && root.isObject() && root.has("statements")) return openVex(root, name);
        throw new VulnException("unrecognized VEX document " + name + ": expected CSAF 2.0 (document, vulnerabilities) or OpenVEX (statements)");
    }

    // ------------------------------------------------------------------ CSAF

    private static List<Statement> csaf(JsonNode root, String name) {
        String source = "csaf:" + root.path("document").path("tracking").path("id").asText(name);
        Map<String, String> purls = new HashMap<>();
        JsonNode tree = root.path("product_tree");
        collectBranches(tree.path("branches"), purls);
        for (JsonNode p : tree.path("full_product_names")) putProduct(p, purls);
        for (JsonNode rel : tree.path("relationships")) {
            String id = rel.path("full_product_name").path("product_id").asText(null);
            String purl = purls.get(rel.path("product_reference").asText(""));
            String own = rel.path("full_product_name").path("product_identification_helper").path("purl").asText(null);
            if (id != null && (own != null || purl != null)) purls.putIfAbsent(id, own != null ? own : purl);
        }
        List<Statement> out = new ArrayList<>();
        for (JsonNode v : root.path("vulnerabilities")) {
            String cve = v.path("cve").asText(null);
            if (cve == null) {
                for (JsonNode id : v.path("ids")) cve = cve == null ? id.path("text").asText(null) : cve;
            }
            if (cve == null) throw new VulnException("malformed VEX document " + name + ": a vulnerability has neither cve nor ids");
            Map<String, String> reasons = new HashMap<>();
            for (JsonNode f : v.path("flags")) {
                for (JsonNode id : f.path("product_ids")) reasons.putIfAbsent(id.asText(), f.path("label").asText(null));
            }
            for (JsonNode r : v.path("remediations")) {
                String text = r.path("category").asText("") + (r.hasNonNull("details") ? ": " + r.get("details").asText() : "");
                for (JsonNode id : r.path("product_ids")) reasons.putIfAbsent(id.asText(), text);
            }
            Finding.Rating rating = csafRating(v);
            JsonNode status = v.path("product_status");
            Map<String, Status> byField = new LinkedHashMap<>();
            byField.put("known_not_affected", Status.NOT_AFFECTED);
            byField.put("fixed", Status.FIXED);
            byField.put("first_fixed", Status.FIXED);
            byField.put("known_affected", Status.AFFECTED);
            byField.put("first_affected", Status.AFFECTED);
            byField.put("last_affected", Status.AFFECTED);
            byField.put("under_investigation", Status.UNDER_INVESTIGATION);
            for (Map.Entry<String, Status> f : byField.entrySet()) {
                for (JsonNode id : status.path(f.getKey())) {
                    String purl = purls.get(id.asText());
                    if (purl == null) continue; // a platform or a product without a purl names no package
                    String why = reasons.get(id.asText());
                    if (why == null && f.getValue() == Status.NOT_AFFECTED) why = "known_not_affected";
                    out.add(new Statement(cve, purl, f.getValue(), why, rating, source));
                }
            }
        }
        return out;
    }

    private static void collectBranches(JsonNode branches, Map<String, String> purls) {
        for (JsonNode b : branches) {
            if (b.has("product")) putProduct(b.get("product"), purls);
            collectBranches(b.path("branches"), purls);
        }
    }

    private static void putProduct(JsonNode p, Map<String, String> purls) {
        String id = p.path("product_id").asText(null);
        String purl = p.path("product_identification_helper").path("purl").asText(null);
        if (id != null && purl != null) purls.putIfAbsent(id, purl);
    }

    private static Finding.Rating csafRating(JsonNode v) {
        for (JsonNode s : v.path("scores")) {
            String vector = s.path("cvss_v3").path("vectorString").asText(null);
            if (vector == null) continue;
            try {
                Cvss.Score score = Cvss.score(vector);
                if (score.score() != null) return new Finding.Rating(score.severity(), score.score(), vector, "CVSS_V3");
            } catch (VulnException ignored) {
                // fall through to the vendor's impact
            }
        }
        for (JsonNode t : v.path("threats")) {
            if (t.path("category").asText("").equals("impact")) {
                Severity s = Severity.ofLabel(t.path("details").asText(null));
                if (s != Severity.UNKNOWN) return new Finding.Rating(s, null, t.path("details").asText(), "csaf");
            }
        }
        return Finding.Rating.UNKNOWN;
    }

    // --------------------------------------------------------------- OpenVEX

    private static List<Statement> openVex(JsonNode root, String name) {
        String source = "openvex:" + root.path("@id").asText(name);
        List<Statement> out = new ArrayList<>();
        for (JsonNode s : root.path("statements")) {
            JsonNode vuln = s.path("vulnerability");
            String id = vuln.isTextual() ? vuln.asText() : vuln.path("name").asText(null);
            if (id == null) id = vuln.path("@id").asText(null);
            if (id == null) throw new VulnException("malformed VEX document " + name + ": a statement has no vulnerability name");
            Status status = switch (s.path("status").asText("")) {
                case "not_affected" -> Status.NOT_AFFECTED;
                case "affected" -> Status.AFFECTED;
                case "fixed" -> Status.FIXED;
                case "under_investigation" -> Status.UNDER_INVESTIGATION;
                default -> throw new VulnException("malformed VEX document " + name + ": statement about " + id + " has unknown status '"
                        + s.path("status").asText("") + "' (not_affected, affected, fixed, under_investigation)");
            };
            String why = s.hasNonNull("justification") ? s.get("justification").asText()
                    : s.hasNonNull("impact_statement") ? s.get("impact_statement").asText()
                    : s.hasNonNull("action_statement") ? s.get("action_statement").asText() : null;
            List<String> purls = new ArrayList<>();
            for (JsonNode p : s.path("products")) {
                if (p.isTextual()) {
                    purls.add(p.asText());
                    continue;
                }
                if (p.path("subcomponents").size() > 0) {
                    for (JsonNode sub : p.path("subcomponents")) addOpenVexProduct(sub, purls);
                } else {
                    addOpenVexProduct(p, purls);
                }
            }
            List<String> aliases = new ArrayList<>();
            for (JsonNode a : vuln.path("aliases")) aliases.add(a.asText());
            for (String purl : purls) {
                out.add(new Statement(id, purl, status, why, Finding.Rating.UNKNOWN, source));
                for (String alias : aliases) out.add(new Statement(alias, purl, status, why, Finding.Rating.UNKNOWN, source));
            }
        }
        return out;
    }

    private static void addOpenVexProduct(JsonNode p, List<String> purls) {
        String purl = p.path("identifiers").path("purl").asText(null);
        if (purl == null) purl = p.path("@id").asText(null);
        if (purl != null && purl.startsWith("pkg:")) purls.add(purl);
    }

    // ----------------------------------------------------------------- apply

    /**
     * Applies statements to findings: {@code not_affected} suppresses the finding (matched by id or alias and by
     * package), {@code fixed} suppresses it when the installed version is at or above the statement's version (or
     * the statement has no version), else gives it that fixed version; {@code affected} adds a finding without a fix
     * for an installed package that has none for that vulnerability; {@code under_investigation} changes nothing.
     */
    public static Result apply(List<Finding> findings, List<ScannedPackage> packages, List<Statement> statements, VersionScheme scheme) {
        Map<String, List<ScannedPackage>> byName = new HashMap<>();
        for (ScannedPackage p : packages) byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        List<Finding> kept = new ArrayList<>();
        List<Suppressed> suppressed = new ArrayList<>();
        outer:
        for (Finding f : findings) {
            Finding current = f;
            for (Statement s : statements) {
                if (!current.isAbout(s.vulnerability())) continue;
                Target t = Target.of(s.purl());
                if (t == null) continue;
                ScannedPackage pkg = packageOf(current, byName);
                if (!t.names(current.packageName(), current.sourceName(), current.purl())) continue;
                switch (s.status()) {
                    case NOT_AFFECTED -> {
                        if (t.version == null || t.versionMatches(pkg, current.installedVersion(), scheme)) {
                            suppressed.add(new Suppressed(current, s.justification(), s.source()));
                            continue outer;
                        }
                    }
                    case FIXED -> {
                        if (t.version == null) {
                            suppressed.add(new Suppressed(current, "fixed", s.source()));
                            continue outer;
                        }
                        String installed = pkg != null && pkg.family() == Ecosystems.Family.DEB ? pkg.sourceVersion() : current.installedVersion();
                        if (compares(scheme, installed, t.version) >= 0) {
                            suppressed.add(new Suppressed(current, "fixed in " + t.version, s.source()));
                            continue outer;
                        }
                        if (current.fixedVersion() == null) current = current.withFix(t.version, s.source());
                    }
                    default -> { }
                }
            }
            kept.add(current);
        }
        for (Statement s : statements) {
            if (s.status() != Status.AFFECTED) continue;
            Target t = Target.of(s.purl());
            if (t == null) continue;
            for (ScannedPackage p : packages) {
                if (!t.names(p.name(), p.sourceName(), p.purl())) continue;
                if (t.version != null && !t.versionMatches(p, p.version(), scheme)) continue;
                boolean known = kept.stream().anyMatch(f -> f.packageName().equals(p.name()) && f.installedVersion().equals(p.version()) && f.isAbout(s.vulnerability()))
                        || suppressed.stream().anyMatch(x -> x.finding().packageName().equals(p.name()) && x.finding().isAbout(s.vulnerability()));
                if (known) continue;
                kept.add(new Finding(s.vulnerability(), List.of(), s.justification() == null ? "" : s.justification(), s.rating(),
                        p.name(), p.sourceName(), p.purl(), p.version(), null, s.source()));
            }
        }
        kept.sort(Finding.ORDER);
        suppressed.sort(java.util.Comparator.comparing(Suppressed::finding, Finding.ORDER));
        return new Result(kept, suppressed);
    }

    private static ScannedPackage packageOf(Finding f, Map<String, List<ScannedPackage>> byName) {
        for (ScannedPackage p : byName.getOrDefault(f.packageName(), List.of())) {
            if (p.version().equals(f.installedVersion())) return p;
        }
        return null;
    }

    private static int compares(VersionScheme scheme, String a, String b) {
        try {
            return scheme.compare(a, b);
        } catch (RuntimeException e) {
            return -1; // an unorderable version is not proven fixed
        }
    }

    /** A statement's package: purl type, name and version ({@code epoch:version} from the epoch qualifier). */
    private record Target(String type, String name, String version) {
        static Target of(String purl) {
            try {
                PackageURL p = new PackageURL(purl);
                String v = p.getVersion();
                String epoch = p.getQualifiers() == null ? null : p.getQualifiers().get("epoch");
                if (v != null && epoch != null && !epoch.equals("0") && !v.contains(":")) v = epoch + ":" + v;
                return new Target(p.getType(), p.getName(), v);
            } catch (MalformedPackageURLException e) {
                return null; // not a package purl (a platform CPE or an image): names no installed package
            }
        }

        boolean names(String packageName, String sourceName, String findingPurl) {
            if (findingPurl != null) {
                Target other = of(findingPurl);
                if (other != null && !other.type.equals(type)) return false;
            }
            return name.equals(packageName) || name.equals(sourceName);
        }

        boolean versionMatches(ScannedPackage p, String installed, VersionScheme scheme) {
            if (compares(scheme, installed, version) == 0) return true;
            return p != null && compares(scheme, p.sourceVersion(), version) == 0;
        }
    }
}
