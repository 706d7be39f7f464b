package dev.kolibri.pkg.deb;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Op;
import dev.kolibri.pkg.Requirement;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Debian relationship fields ({@code Depends}, {@code Pre-Depends}, {@code Recommends}, {@code Conflicts},
 * {@code Breaks}, {@code Provides}) for one architecture.
 *
 * <ul>
 *   <li>{@code a | b (>= 2)} is an {@link Requirement.AnyOf} of {@link Requirement.Atom}s; a single alternative is
 *       an {@code Atom}.</li>
 *   <li>Relations {@code << <= = >= >>}; the obsolete {@code <} and {@code >} mean {@code <=} and {@code >=}.</li>
 *   <li>Arch restrictions {@code [amd64 !arm64 linux-any]}: an alternative whose list excludes the arch is dropped;
 *       a relation whose alternatives are all dropped disappears (it does not apply to this arch).</li>
 *   <li>Build profiles {@code <!nocheck>} are ignored.</li>
 *   <li>Arch qualifiers: {@code foo:native} and {@code foo:ARCH} for the given arch become {@code foo};
 *       {@code foo:any} stays {@code foo:any} (met by the {@code foo:any} capability of a {@code Multi-Arch: allowed}
 *       package); {@code foo:OTHER} cannot be met in a single-arch image: that alternative is dropped, and when
 *       nothing else is left the requirement is kept on the name {@code foo:OTHER}, which nothing provides, so the
 *       solver reports it. In conflicts, {@code foo:any} means {@code foo} and {@code foo:OTHER} is dropped.</li>
 * </ul>
 * Errors are {@link DebMetadataException}s quoting the bad relation.
 */
public final class DebRelations {
    private static final Pattern RELATION = Pattern.compile(
            "([A-Za-z0-9][A-Za-z0-9+.\\-_]*)(?::([A-Za-z0-9][A-Za-z0-9\\-]*))?"
                    + "\\s*(?:\\(\\s*(<<|<=|>=|>>|=|<|>)\\s*([^\\s()]+)\\s*\\))?"
                    + "\\s*(?:\\[([^\\]]*)\\])?"
                    + "\\s*((?:<[^<>]*>\\s*)*)");

    private DebRelations() {}

    /** Requirements (Depends, Pre-Depends, Recommends, Suggests) for {@code arch}. Null or blank gives none. */
    public static List<Requirement> requirements(String field, String arch) {
        List<Requirement> out = new ArrayList<>();
        for (String entry : entries(field)) {
            List<Constraint> kept = new ArrayList<>();
            Constraint impossible = null;
            boolean anyApplies = false;
            for (String alt : entry.split("\\|", -1)) {
                Parsed p = parse(alt, field);
                if (!p.appliesTo(arch)) continue;
                anyApplies = true;
                Constraint c = p.forDepends(arch);
                if (c == null) {
                    if (impossible == null) impossible = p.constraint(p.name + ":" + p.qualifier);
                } else {
                    kept.add(c);
                }
            }
            if (!anyApplies) continue;
            if (kept.isEmpty()) out.add(new Requirement.Atom(impossible));
            else if (kept.size() == 1) out.add(new Requirement.Atom(kept.get(0)));
            else out.add(new Requirement.AnyOf(kept.stream().<Requirement>map(Requirement.Atom::new).toList()));
        }
        return List.copyOf(out);
    }

    /** Constraints (Conflicts, Breaks, Replaces) for {@code arch}; alternatives are an error. */
    public static List<Constraint> constraints(String field, String arch) {
        List<Constraint> out = new ArrayList<>();
        for (String entry : entries(field)) {
            if (entry.contains("|")) throw bad(entry, field, "alternatives ('|') are not allowed here");
            Parsed p = parse(entry, field);
            if (!p.appliesTo(arch)) continue;
            String q = p.qualifier;
            if (q == null || q.equals("any") || q.equals("native") || q.equals(arch)) out.add(p.constraint(p.name));
        }
        return List.copyOf(out);
    }

    /** Capabilities (Provides) for {@code arch}: unversioned or {@code (= version)}. */
    public static List<Capability> capabilities(String field, String arch) {
        List<Capability> out = new ArrayList<>();
        for (String entry : entries(field)) {
            if (entry.contains("|")) throw bad(entry, field, "alternatives ('|') are not allowed in Provides");
            Parsed p = parse(entry, field);
            if (p.op != Op.ANY && p.op != Op.EQ) throw bad(entry, field, "a provide can only have an '=' version");
            if (!p.appliesTo(arch)) continue;
            String q = p.qualifier;
            if (q == null || q.equals("native") || q.equals(arch)) out.add(new Capability(p.name, p.version));
            else if (q.equals("any")) out.add(new Capability(p.name + ":any", p.version));
        }
        return List.copyOf(out);
    }

    private static List<String> entries(String field) {
        if (field == null || field.isBlank()) return List.of();
        List<String> out = new ArrayList<>();
        for (String e : field.split(",", -1)) {
            if (e.isBlank()) continue; // dpkg tolerates a trailing comma
            out.add(e.strip());
        }
        return out;
    }

    private static Parsed parse(String alt, String field) {
        String s = alt.strip().replaceAll("\\s+", " ");
        Matcher m = RELATION.matcher(s);
        if (s.isEmpty()) throw bad(alt, field, "empty alternative");
        if (!m.matches()) throw bad(alt, field, "not 'name[:arch] [(op version)] [[archs]] [<profiles>]'");
        Op op = m.group(3) == null ? Op.ANY : Op.parse(m.group(3));
        List<String> archs = new ArrayList<>();
        if (m.group(5) != null) {
            for (String a : m.group(5).strip().split("\\s+")) if (!a.isEmpty()) archs.add(a);
            if (archs.isEmpty()) throw bad(alt, field, "empty architecture list");
            long negated = archs.stream().filter(a -> a.startsWith("!")).count();
            if (negated != 0 && negated != archs.size()) throw bad(alt, field, "architecture list mixes 'a' and '!a'");
        }
        return new Parsed(m.group(1), m.group(2), op, m.group(4), archs);
    }

    private static DebMetadataException bad(String rel, String field, String why) {
        return new DebMetadataException("bad relation '" + rel.strip() + "' in '" + field.strip() + "': " + why);
    }

    private record Parsed(String name, String qualifier, Op op, String version, List<String> archs) {
        boolean appliesTo(String arch) {
            if (archs.isEmpty()) return true;
            boolean negated = archs.get(0).startsWith("!");
            for (String a : archs) {
                if (archMatches(arch, negated ? a.substring(1) : a)) return !negated;
            }
            return negated;
        }

        /** The constraint this alternative means on {@code arch}, or null when no package of that arch can meet it. */
        Constraint forDepends(String arch) {
            if (qualifier == null || qualifier.equals("native") || qualifier.equals(arch)) return constraint(name);
            if (qualifier.equals("any")) return constraint(name + ":any");
            return null;
        }

        Constraint constraint(String n) {
            return new Constraint(n, op, version);
        }
    }

    /** Debian architecture wildcard matching: {@code any}, {@code linux-any}, {@code any-amd64}, or an exact name. */
    static boolean archMatches(String arch, String pattern) {
        if (pattern.equals(arch) || pattern.equals("any")) return true;
        int dash = pattern.indexOf('-');
        if (dash < 0) return false;
        String pOs = pattern.substring(0, dash);
        String pCpu = pattern.substring(dash + 1);
        String os = "linux";
        String cpu = arch;
        for (String prefix : List.of("kfreebsd-", "hurd-", "musl-linux-")) {
            if (arch.startsWith(prefix)) {
                os = prefix.substring(0, prefix.length() - 1);
                cpu = arch.substring(prefix.length());
            }
        }
        boolean cpuOk = pCpu.equals("any") || pCpu.equals(cpu)
                || (pCpu.equals("arm") && (cpu.equals("armhf") || cpu.equals("armel")));
        return (pOs.equals("any") || pOs.equals(os)) && cpuOk;
    }
}
