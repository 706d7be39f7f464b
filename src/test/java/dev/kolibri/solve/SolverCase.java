package dev.kolibri.solve;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test case in a small text format, in the spirit of libsolv's testcases:
 * <pre>
 * # comment
 * package NAME VERSION
 *   provides: v (= 1), w
 *   depends: b (>= 2) | c, d
 *   recommends: r
 *   conflicts: x (<< 2)
 *   obsoletes: o (<= 1)
 * request: a, v (>= 1)        (one request per comma-separated entry; | for alternatives)
 * recommends: yes             (SolveOptions.withRecommends)
 * prefer: NAME VERSION
 * exclude: NAME
 * expect: a 1, b 2            (the exact resolution; "expect:" alone means nothing is installed)
 * fail: text                  (the UnsatisfiableException message contains text; may repeat)
 * </pre>
 */
record SolverCase(String name, List<Package> packages, List<Requirement> requests, SolveOptions options,
                  List<String> expect, List<String> failures) {

    static SolverCase parse(Path file) throws IOException {
        List<Package> packages = new ArrayList<>();
        List<Requirement> requests = new ArrayList<>();
        boolean recommends = false;
        Map<String, String> prefer = new TreeMap<>();
        List<String> exclude = new ArrayList<>();
        List<String> expect = null;
        List<String> failures = new ArrayList<>();
        String[] current = null; // name, version
        Map<String, String> fields = new TreeMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            if (line.isBlank() || line.strip().startsWith("#")) continue;
            if (line.startsWith(" ")) {
                if (current == null) throw new IllegalArgumentException(file + ":" + n + ": field outside a package");
                String[] kv = line.strip().split(":", 2);
                fields.put(kv[0].strip(), kv[1].strip());
                continue;
            }
            if (current != null) {
                packages.add(build(current, fields));
                current = null;
                fields = new TreeMap<>();
            }
            String[] kv = line.split(":", 2);
            String key = kv[0].strip();
            String value = kv.length > 1 ? kv[1].strip() : "";
            if (key.startsWith("package ")) {
                current = key.substring("package ".length()).strip().split("\\s+");
                continue;
            }
            switch (key) {
                case "request" -> requests.addAll(Fixtures.requirements(value));
                case "recommends" -> recommends = value.equals("yes");
                case "prefer" -> prefer.put(value.split("\\s+")[0], value.split("\\s+")[1]);
                case "exclude" -> exclude.add(value);
                case "expect" -> expect = value.isEmpty() ? List.of() : List.of(value.split("\\s*,\\s*"));
                case "fail" -> failures.add(value);
                default -> throw new IllegalArgumentException(file + ":" + n + ": unknown line " + line);
            }
        }
        if (current != null) packages.add(build(current, fields));
        if ((expect == null) == failures.isEmpty()) {
            throw new IllegalArgumentException(file + ": needs either expect: or fail:");
        }
        return new SolverCase(file.getFileName().toString(), packages, requests,
                new SolveOptions(recommends, prefer, exclude), expect, failures);
    }

    private static Package build(String[] nv, Map<String, String> f) {
        List<Capability> provides = Fixtures.provides(f.getOrDefault("provides", ""));
        List<Requirement> depends = Fixtures.requirements(f.getOrDefault("depends", ""));
        List<Requirement> recommends = Fixtures.requirements(f.getOrDefault("recommends", ""));
        List<Constraint> conflicts = Fixtures.constraints(f.getOrDefault("conflicts", ""));
        List<Constraint> obsoletes = Fixtures.constraints(f.getOrDefault("obsoletes", ""));
        return Fixtures.pkg(nv[0], nv[1], provides, depends, recommends, conflicts, obsoletes);
    }

    @Override
    public String toString() {
        return name;
    }
}
