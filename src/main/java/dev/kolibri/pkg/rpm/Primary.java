package dev.kolibri.pkg.rpm;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Op;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a repository's {@code primary.xml} (decompressed) with a streaming StAX parser into {@link Package}s.
 * <ul>
 *   <li>Only packages of the wanted arch and {@code noarch} are kept (no multilib, no {@code src}).</li>
 *   <li>{@code version} is {@code [epoch:]version-release}, the epoch left out when 0; {@code sourceName} and
 *       {@code sourceVersion} come from {@code rpm:sourcerpm} ({@code NAME-V-R.src.rpm}), the source version carrying
 *       the binary's epoch (one spec, one epoch).</li>
 *   <li>Provides keep their versions; every {@code <file>} listed (primary lists only {@code /etc}, {@code *bin/}
 *       and {@code /usr/lib/sendmail} files) becomes an unversioned provide of its path.</li>
 *   <li>Requires ({@code pre} ignored) and Recommends may be rich ({@link RpmDeps}); Suggests, Supplements and
 *       Enhances are ignored. Conflicts and Obsoletes are simple; a rich conflict {@code (a or b)} becomes a
 *       conflict with each, any other rich conflict is dropped with a warning.</li>
 *   <li>The package checksum must be sha256; {@code location href} is resolved against {@code xml:base} when
 *       given, else the repository base (absolute paths, URLs and {@code ..} in it are refused).</li>
 *   <li>{@code fields}: {@code License}, {@code Vendor}, {@code Packager}, {@code Group}, {@code URL},
 *       {@code Summary}, {@code Description}, {@code Buildtime}, {@code Buildhost}, {@code Sourcerpm} (empty ones
 *       left out).</li>
 * </ul>
 */
public final class Primary {
    private Primary() {}

    /** The kept packages in file order, and what was dropped or approximated. */
    public record Result(List<Package> packages, List<String> warnings) {
        public Result {
            packages = List.copyOf(packages);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param base   the repository base URL (ends with {@code /}); package locations are resolved against it
     * @param repoId each package's {@link Package#repository()}
     * @param arch   the rpm arch wanted ({@code x86_64}, {@code aarch64}); {@code noarch} packages are kept too
     */
    public static Result read(InputStream xml, String source, URI base, String repoId, String arch) {
        XMLStreamReader r = Xml.reader(xml, source);
        List<Package> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean root = false;
        try {
            while (r.hasNext()) {
                if (r.next() != XMLStreamConstants.START_ELEMENT) continue;
                String n = r.getLocalName();
                if (!root) {
                    if (!n.equals("metadata")) throw new RpmMetadataException(source + ": root element is <" + n + ">, not <metadata>");
                    root = true;
                    continue;
                }
                if (n.equals("package")) {
                    Builder b = new Builder(Xml.where(source, r));
                    b.read(r);
                    if (b.arch.equals(arch) || b.arch.equals("noarch")) out.add(b.build(base, repoId, warnings));
                } else {
                    skip(r);
                }
            }
        } catch (XMLStreamException e) {
            throw Xml.error(source, e);
        }
        if (!root) throw new RpmMetadataException(source + ": no <metadata> element");
        return new Result(out, warnings);
    }

    static void skip(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) depth++;
            else if (ev == XMLStreamConstants.END_ELEMENT) depth--;
        }
    }

    private record Entry(String name, String flags, String epoch, String ver, String rel) {}

    private static final class Builder {
        final String at;
        String name, arch, epoch, ver, rel, checksumType, checksum, href, xmlBase, sourcerpm;
        long size = -1;
        final Map<String, String> fields = new TreeMap<>();
        final Map<String, List<Entry>> deps = new TreeMap<>();
        final Set<String> files = new LinkedHashSet<>();

        Builder(String at) {
            this.at = at;
        }

        void read(XMLStreamReader r) throws XMLStreamException {
            String list = null;
            int depth = 1;
            while (depth > 0) {
                int ev = r.next();
                if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                    if (list != null && r.getLocalName().equals(list)) list = null;
                    continue;
                }
                if (ev != XMLStreamConstants.START_ELEMENT) continue;
                String n = r.getLocalName();
                switch (n) {
                    case "name" -> name = r.getElementText().strip();
                    case "arch" -> arch = r.getElementText().strip();
                    case "version" -> {
                        epoch = Xml.attr(r, "epoch");
                        ver = Xml.attr(r, "ver");
                        rel = Xml.attr(r, "rel");
                        depth++;
                    }
                    case "checksum" -> {
                        checksumType = Xml.attr(r, "type");
                        checksum = r.getElementText().strip().toLowerCase(Locale.ROOT);
                    }
                    case "summary" -> field("Summary", r.getElementText());
                    case "description" -> field("Description", r.getElementText());
                    case "packager" -> field("Packager", r.getElementText());
                    case "url" -> field("URL", r.getElementText());
                    case "license" -> field("License", r.getElementText());
                    case "vendor" -> field("Vendor", r.getElementText());
                    case "group" -> field("Group", r.getElementText());
                    case "buildhost" -> field("Buildhost", r.getElementText());
                    case "sourcerpm" -> {
                        sourcerpm = r.getElementText().strip();
                        field("Sourcerpm", sourcerpm);
                    }
                    case "time" -> {
                        field("Buildtime", Xml.attr(r, "build"));
                        depth++;
                    }
                    case "size" -> {
                        String p = Xml.attr(r, "package");
                        if (p == null || !p.strip().matches("[0-9]{1,18}")) throw bad("package size '" + p + "' is not a number");
                        size = Long.parseLong(p.strip());
                        depth++;
                    }
                    case "location" -> {
                        href = Xml.attr(r, "href");
                        xmlBase = Xml.attr(r, "base");
                        depth++;
                    }
                    case "provides", "requires", "conflicts", "obsoletes", "recommends", "suggests", "supplements",
                         "enhances" -> {
                        list = n;
                        deps.putIfAbsent(n, new ArrayList<>());
                        depth++;
                    }
                    case "entry" -> {
                        if (list == null) throw bad("<rpm:entry> outside a dependency list");
                        String en = Xml.attr(r, "name");
                        if (en == null || en.isBlank()) throw bad("<rpm:" + list + "> entry without a name");
                        deps.get(list).add(new Entry(en, Xml.attr(r, "flags"), Xml.attr(r, "epoch"), Xml.attr(r, "ver"), Xml.attr(r, "rel")));
                        depth++;
                    }
                    case "file" -> files.add(r.getElementText().strip());
                    default -> depth++;
                }
            }
            if (name == null || name.isEmpty()) throw bad("package without a <name>");
            if (arch == null || arch.isEmpty()) throw bad("package " + name + " without an <arch>");
        }

        void field(String key, String value) {
            if (value != null && !value.strip().isEmpty()) fields.put(key, value.strip());
        }

        RpmMetadataException bad(String why) {
            return new RpmMetadataException(at + ": " + why);
        }

        Package build(URI base, String repoId, List<String> warnings) {
            String who = name + (ver == null ? "" : "-" + ver) + (rel == null ? "" : "-" + rel) + "." + arch;
            if (ver == null || ver.isEmpty()) throw bad(who + ": <version> without ver");
            String version = RpmDeps.evr(epoch, ver, rel);
            if (checksum == null) throw bad(who + ": no <checksum>");
            if (!"sha256".equalsIgnoreCase(checksumType)) {
                throw bad(who + ": package checksum type is '" + checksumType + "'; Kolibri needs sha256 (recreate the "
                        + "repository with createrepo_c --checksum sha256)");
            }
            if (!checksum.matches("[0-9a-f]{64}")) throw bad(who + ": malformed sha256 '" + checksum + "'");
            if (size < 0) throw bad(who + ": no <size package>");
            if (href == null || href.isBlank()) throw bad(who + ": no <location href>");

            List<Capability> provides = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (Entry e : deps.getOrDefault("provides", List.of())) {
                Capability c = new Capability(e.name, e.ver == null ? null : RpmDeps.evr(e.epoch, e.ver, e.rel));
                if (seen.add(c.toString())) provides.add(c);
            }
            for (String f : files) {
                Capability c = Capability.of(f);
                if (seen.add(c.toString())) provides.add(c);
            }
            List<Requirement> depends = requirements("requires", who);
            List<Requirement> recommends = requirements("recommends", who);
            List<Constraint> conflicts = new ArrayList<>();
            for (Entry e : deps.getOrDefault("conflicts", List.of())) {
                if (RpmDeps.isRich(e.name)) {
                    Requirement rq = parse(e.name, who);
                    List<Constraint> each = atomsOfAnyOf(rq);
                    if (each == null) warnings.add(who + ": rich conflict '" + e.name + "' is not supported and was dropped");
                    else conflicts.addAll(each);
                } else {
                    conflicts.add(constraint(e, who));
                }
            }
            List<Constraint> obsoletes = new ArrayList<>();
            for (Entry e : deps.getOrDefault("obsoletes", List.of())) {
                if (RpmDeps.isRich(e.name)) warnings.add(who + ": rich obsoletes '" + e.name + "' is not supported and was dropped");
                else obsoletes.add(constraint(e, who));
            }
            String srcName = null, srcVersion = null;
            if (sourcerpm != null) {
                String s = sourcerpm.replaceFirst("\\.(no)?src\\.rpm$", "");
                int r = s.lastIndexOf('-');
                int v = r > 0 ? s.lastIndexOf('-', r - 1) : -1;
                if (v > 0 && !s.equals(sourcerpm)) {
                    srcName = s.substring(0, v);
                    srcVersion = RpmDeps.evr(epoch, s.substring(v + 1, r), s.substring(r + 1));
                } else {
                    warnings.add(who + ": source rpm name '" + sourcerpm + "' is not NAME-VERSION-RELEASE.src.rpm; the package is its own source");
                }
            }
            return new Package(name, version, arch, srcName, srcVersion, provides, depends, recommends, conflicts,
                    obsoletes, repoId, location(base).toString(), size, checksum, fields);
        }

        private URI location(URI base) {
            String h = href.strip();
            if (h.startsWith("/") || h.contains("://") || h.contains("\\") || List.of(h.split("/")).contains("..")) {
                throw bad("package " + name + ": location '" + h + "' is not a plain relative path: refused");
            }
            URI root = base;
            if (xmlBase != null && !xmlBase.isBlank()) {
                String b = xmlBase.strip();
                if (!b.endsWith("/")) b += "/";
                root = URI.create(b);
                String scheme = String.valueOf(root.getScheme()).toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
                    throw bad("package " + name + ": xml:base '" + xmlBase + "' is not an http(s) or file URL");
                }
            }
            try {
                return root.resolve(new URI(null, null, h, null));
            } catch (URISyntaxException e) {
                throw bad("package " + name + ": location '" + h + "' is not a valid path: " + e.getMessage());
            }
        }

        private List<Requirement> requirements(String list, String who) {
            List<Requirement> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (Entry e : deps.getOrDefault(list, List.of())) {
                Requirement rq = RpmDeps.isRich(e.name) ? parse(e.name, who) : new Requirement.Atom(constraint(e, who));
                if (seen.add(rq.toString())) out.add(rq);
            }
            return out;
        }

        private Requirement parse(String dep, String who) {
            try {
                return RpmDeps.parse(dep);
            } catch (RpmMetadataException ex) {
                throw bad(who + ": " + ex.getMessage());
            }
        }

        private Constraint constraint(Entry e, String who) {
            Op op;
            try {
                op = RpmDeps.op(e.flags);
            } catch (RpmMetadataException ex) {
                throw bad(who + ": dependency " + e.name + ": " + ex.getMessage());
            }
            if (op == Op.ANY) return Constraint.any(e.name);
            if (e.ver == null || e.ver.isEmpty()) throw bad(who + ": dependency " + e.name + " " + e.flags + " without a version");
            return new Constraint(e.name, op, RpmDeps.evr(e.epoch, e.ver, e.rel));
        }

        private static List<Constraint> atomsOfAnyOf(Requirement r) {
            if (r instanceof Requirement.Atom a) return List.of(a.constraint());
            if (!(r instanceof Requirement.AnyOf any)) return null;
            List<Constraint> out = new ArrayList<>();
            for (Requirement x : any.alternatives()) {
                List<Constraint> sub = atomsOfAnyOf(x);
                if (sub == null) return null;
                out.addAll(sub);
            }
            return out;
        }
    }
}
