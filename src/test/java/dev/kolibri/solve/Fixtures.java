package dev.kolibri.solve;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Op;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds packages and parses Debian-like dependency text ({@code a (>= 1) | b, c}) for tests. */
final class Fixtures {

    private static final Pattern ATOM = Pattern.compile("\\s*([^\\s(|,]+)\\s*(?:\\(\\s*([<>=]+)\\s*([^)\\s]+)\\s*\\))?\\s*");

    private Fixtures() {}

    static Package pkg(String name, String version, List<Capability> provides, List<Requirement> depends,
                       List<Requirement> recommends, List<Constraint> conflicts, List<Constraint> obsoletes) {
        return new Package(name, version, "amd64", null, null, provides, depends, recommends, conflicts, obsoletes,
                "test", "test/" + name + "_" + version + ".deb", 1, "0".repeat(64), Map.of());
    }

    static Package pkg(String name, String version, String depends) {
        return pkg(name, version, List.of(), requirements(depends), List.of(), List.of(), List.of());
    }

    static Constraint constraint(String text) {
        Matcher m = ATOM.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("bad constraint: " + text);
        return m.group(2) == null ? Constraint.any(m.group(1)) : new Constraint(m.group(1), Op.parse(m.group(2)), m.group(3));
    }

    static List<Constraint> constraints(String text) {
        List<Constraint> r = new ArrayList<>();
        for (String s : text.split(",")) if (!s.isBlank()) r.add(constraint(s));
        return r;
    }

    static List<Capability> provides(String text) {
        return constraints(text).stream().map(c -> new Capability(c.name(), c.version())).toList();
    }

    /** {@code a | b (>= 2), c}: a list of requirements, alternatives as {@link Requirement.AnyOf}. */
    static List<Requirement> requirements(String text) {
        List<Requirement> r = new ArrayList<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) continue;
            List<Requirement> alts = new ArrayList<>();
            for (String alt : entry.split("\\|")) alts.add(Requirement.of(constraint(alt)));
            r.add(alts.size() == 1 ? alts.getFirst() : new Requirement.AnyOf(alts));
        }
        return r;
    }

    static List<String> ids(Resolution r) {
        return r.packages().stream().map(p -> p.name() + " " + p.version()).toList();
    }
}
