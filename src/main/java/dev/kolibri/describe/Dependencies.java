package dev.kolibri.describe;

import dev.kolibri.inspect.PackageRecord;
import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.pkg.VersionScheme;
import dev.kolibri.pkg.deb.DebMetadataException;
import dev.kolibri.pkg.deb.DebRelations;
import dev.kolibri.pkg.deb.Debian;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code DEPENDS_ON} edges among installed Debian packages, recomputed from their {@code Pre-Depends} and
 * {@code Depends} fields: for each relation, the first alternative that an installed package meets (by its own
 * name and version, else by a {@code Provides}) gives an edge to every installed package that meets it. Relations
 * nothing installed meets are left out (a distroless image may omit what a package's scripts need); a package
 * whose fields do not parse gets no edges.
 */
final class Dependencies {
    private static final VersionScheme VERSIONS = Debian.INSTANCE.versions();

    private Dependencies() {}

    private record Provider(PackageRecord pkg, Capability cap) {}

    /** Package key ({@code name:arch}) to the sorted keys of the installed packages it depends on. */
    static Map<String, List<String>> edges(List<PackageRecord> packages, String debArch) {
        Map<String, List<Provider>> byName = new TreeMap<>();
        for (PackageRecord p : packages) {
            byName.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(new Provider(p, new Capability(p.name(), p.version())));
            try {
                for (Capability c : DebRelations.capabilities(p.field("Provides"), archFor(p, debArch))) {
                    byName.computeIfAbsent(c.name(), n -> new ArrayList<>()).add(new Provider(p, c));
                }
            } catch (DebMetadataException e) {
                // An unparsable Provides provides nothing.
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        for (PackageRecord p : packages) {
            TreeSet<String> deps = new TreeSet<>();
            for (String field : List.of("Pre-Depends", "Depends")) {
                List<Requirement> reqs;
                try {
                    reqs = DebRelations.requirements(p.field(field), archFor(p, debArch));
                } catch (DebMetadataException e) {
                    continue;
                }
                for (Requirement r : reqs) {
                    for (Constraint alt : alternatives(r)) {
                        List<String> met = meeting(alt, byName);
                        if (!met.isEmpty()) {
                            deps.addAll(met);
                            break;
                        }
                    }
                }
            }
            deps.remove(p.key());
            if (!deps.isEmpty()) out.put(p.key(), List.copyOf(deps));
        }
        return out;
    }

    private static String archFor(PackageRecord p, String debArch) {
        return debArch != null ? debArch : p.arch();
    }

    private static List<Constraint> alternatives(Requirement r) {
        return switch (r) {
            case Requirement.Atom a -> List.of(a.constraint());
            case Requirement.AnyOf any -> {
                List<Constraint> out = new ArrayList<>();
                for (Requirement x : any.alternatives()) out.addAll(alternatives(x));
                yield out;
            }
            case Requirement.AllOf all -> List.of();
            case Requirement.IfThen it -> List.of();
        };
    }

    private static List<String> meeting(Constraint c, Map<String, List<Provider>> byName) {
        String name = c.name().endsWith(":any") ? c.name().substring(0, c.name().length() - 4) : c.name();
        Constraint wanted = new Constraint(name, c.op(), c.version());
        List<String> out = new ArrayList<>();
        for (Provider pr : byName.getOrDefault(name, List.of())) {
            if (VERSIONS.satisfies(pr.cap(), wanted)) out.add(pr.pkg().key());
        }
        return out;
    }
}
