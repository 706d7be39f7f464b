package dev.kolibri.pkg.deb;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Debian {@code Packages} index (already decompressed and verified) into {@link Package}s for one
 * architecture: packages of that arch and of {@code all}; others are skipped.
 */
public final class PackagesIndex {
    private static final Pattern SOURCE = Pattern.compile("([^\\s(]+)\\s*(?:\\(\\s*([^\\s)]+)\\s*\\))?");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Set<String> MODELLED = Set.of("package", "version", "architecture", "source", "provides",
            "pre-depends", "depends", "recommends", "conflicts", "breaks", "filename", "size", "sha256");

    private PackagesIndex() {}

    /**
     * Parses the index.
     *
     * @param in         the uncompressed index (UTF-8); not closed
     * @param sourceName name used in error messages (the index URL)
     * @param repoBase   the repository root that {@code Filename} is relative to
     * @param repoId     stored as {@link Package#repository()}
     * @param arch       the Debian architecture wanted ({@code amd64})
     * @throws DebMetadataException on a malformed paragraph, naming source and line
     */
    public static List<Package> parse(InputStream in, String sourceName, URI repoBase, String repoId, String arch)
            throws IOException {
        URI base = withSlash(repoBase);
        Deb822 reader = Deb822.reader(in, sourceName);
        List<Package> out = new ArrayList<>();
        for (Deb822.Paragraph p; (p = reader.next()) != null; ) {
            Package pkg = toPackage(p, base, repoId, arch);
            if (pkg != null) out.add(pkg);
        }
        return List.copyOf(out);
    }

    /** One paragraph as a package, or null when its architecture is neither {@code arch} nor {@code all}. */
    static Package toPackage(Deb822.Paragraph p, URI base, String repoId, String arch) {
        String name = p.require("Package");
        String architecture = p.require("Architecture");
        if (!architecture.equals(arch) && !architecture.equals("all")) return null;
        String version = p.require("Version");
        try {
            DebVersions.validate(version);
        } catch (DebMetadataException e) {
            throw new DebMetadataException(p.where() + ": package '" + name + "': " + e.getMessage());
        }
        String filename = p.require("Filename");
        String sha256 = p.require("SHA256");
        if (!SHA256.matcher(sha256).matches()) {
            throw new DebMetadataException(p.where() + ": package '" + name + "': SHA256 is not 64 hex digits: '" + sha256 + "'");
        }
        URI location = resolve(base, filename, p, name);
        long size = -1;
        String sizeText = p.get("Size");
        if (sizeText != null) {
            try {
                size = Long.parseLong(sizeText.strip());
                if (size < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new DebMetadataException(p.where() + ": package '" + name + "': Size is not a number: '" + sizeText + "'");
            }
        }
        String sourceName = name;
        String sourceVersion = version;
        String src = p.get("Source");
        if (src != null && !src.isBlank()) {
            Matcher m = SOURCE.matcher(src.strip());
            if (!m.matches()) {
                throw new DebMetadataException(p.where() + ": package '" + name + "': Source is not 'name [(version)]': '" + src + "'");
            }
            sourceName = m.group(1);
            if (m.group(2) != null) sourceVersion = m.group(2);
        }
        try {
            List<Capability> provides = new ArrayList<>(DebRelations.capabilities(p.get("Provides"), arch));
            String multiArch = p.get("Multi-Arch");
            if (multiArch != null && multiArch.strip().equals("allowed")) provides.add(new Capability(name + ":any", version));
            List<Requirement> depends = new ArrayList<>(DebRelations.requirements(p.get("Pre-Depends"), arch));
            depends.addAll(DebRelations.requirements(p.get("Depends"), arch));
            List<Requirement> recommends = DebRelations.requirements(p.get("Recommends"), arch);
            List<Constraint> conflicts = new ArrayList<>(DebRelations.constraints(p.get("Conflicts"), arch));
            conflicts.addAll(DebRelations.constraints(p.get("Breaks"), arch));
            Map<String, String> fields = new LinkedHashMap<>();
            for (Deb822.Field f : p.fields()) {
                if (!MODELLED.contains(f.name().toLowerCase(Locale.ROOT))) fields.put(f.name(), f.value());
            }
            return new Package(name, version, architecture, sourceName, sourceVersion, provides, depends, recommends,
                    conflicts, List.of(), repoId, location.toString(), size, sha256.toLowerCase(Locale.ROOT), fields);
        } catch (DebMetadataException e) {
            throw new DebMetadataException(p.where() + ": package '" + name + "': " + e.getMessage());
        }
    }

    private static URI resolve(URI base, String filename, Deb822.Paragraph p, String name) {
        String f = filename.strip();
        boolean hostile = f.startsWith("/") || f.contains("://") || f.contains("\\")
                || ("/" + f + "/").contains("/../") || ("/" + f + "/").contains("/./");
        if (hostile) {
            throw new DebMetadataException(p.where() + ": package '" + name
                    + "': Filename must be a relative path inside the repository: '" + f + "'");
        }
        try {
            return base.resolve(new URI(null, null, f, null));
        } catch (java.net.URISyntaxException e) {
            throw new DebMetadataException(p.where() + ": package '" + name + "': bad Filename '" + f + "'");
        }
    }

    static URI withSlash(URI base) {
        String s = base.toString();
        return s.endsWith("/") ? base : URI.create(s + "/");
    }
}
