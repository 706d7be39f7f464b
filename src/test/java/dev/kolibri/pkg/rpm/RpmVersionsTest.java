package dev.kolibri.pkg.rpm;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Op;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RpmVersionsTest {
    private static final RpmVersions V = RpmVersions.INSTANCE;
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ' ', value = {
            "1.0 = 1.0",
            "1.0 < 2.0",
            "2.0.1 > 2.0",
            "1.0a > 1.0",       // a letter segment after the common prefix is newer than nothing
            "1.0 > 1.a",         // numeric beats alpha
            "1.01 = 1.1",
            "1.001 = 1.1",
            "1.010 > 1.9",
            "1_0 = 1.0",         // separators are all equal
            "1..0 = 1.0",
            "1.0~rc1 < 1.0",
            "1.0~rc1 < 1.0~rc2",
            "1.0~~ < 1.0~",
            "1.0^ > 1.0",
            "1.0^git1 > 1.0",
            "1.0^git1 < 1.0.1",
            "1.0^git1 < 1.01a",
            "1.0~rc1^git1 < 1.0~rc1.1",
            "1.0~rc1^git1 > 1.0~rc1",
            "a < b",
            "A < a",
            "1.0-1 < 1.0-2",
            "1.0-1.el9 < 1.0-1.el9_1",
            "1:1.0-1 > 2.0-1",
            "0:1.0-1 = 1.0-1",
            "1.0 < 1.0-1",       // labelCompare: a release beats none
            "3.0.7-25.el9_3 < 1:3.0.7-24.el9",
    })
    void classicCases(String a, String rel, String b) {
        int expected = switch (rel) { case "<" -> -1; case "=" -> 0; default -> 1; };
        assertThat(V.compare(a, b)).as("%s vs %s", a, b).isEqualTo(expected);
        assertThat(V.compare(b, a)).as("%s vs %s", b, a).isEqualTo(-expected);
    }

    @Test
    void evr_parsesLikeRpm() {
        assertThat(RpmVersions.Evr.parse("1:3.0.7-25.el9_3")).isEqualTo(new RpmVersions.Evr("1", "3.0.7", "25.el9_3"));
        assertThat(RpmVersions.Evr.parse("3.0.7")).isEqualTo(new RpmVersions.Evr(null, "3.0.7", null));
        assertThat(RpmVersions.Evr.parse(":1.0-1")).isEqualTo(new RpmVersions.Evr("0", "1.0", "1"));
        assertThat(RpmVersions.Evr.parse("1.0-a-b")).isEqualTo(new RpmVersions.Evr(null, "1.0-a", "b"));
    }

    @Test
    void satisfies_rpmDependencySemantics() {
        // an unversioned provide satisfies any versioned requirement
        assertThat(V.satisfies(Capability.of("libfoo"), new Constraint("libfoo", Op.GE, "2.0"))).isTrue();
        // a requirement without a release matches every release
        assertThat(V.satisfies(new Capability("foo", "1.2-5.el9"), new Constraint("foo", Op.EQ, "1.2"))).isTrue();
        assertThat(V.satisfies(new Capability("foo", "1.2-5.el9"), new Constraint("foo", Op.LT, "1.2"))).isFalse();
        assertThat(V.satisfies(new Capability("foo", "1.2-5.el9"), new Constraint("foo", Op.GE, "1.2-6"))).isFalse();
        assertThat(V.satisfies(new Capability("foo", "1:1.0-1"), new Constraint("foo", Op.GT, "9.9"))).isTrue();
        assertThat(V.satisfies(new Capability("foo", "1.0-1"), new Constraint("bar", Op.ANY, null))).isFalse();
        assertThat(V.satisfies(new Capability("foo", "1.0-1"), Constraint.any("foo"))).isTrue();
    }

    @Test
    void randomPairs_matchRpmLabelCompare() throws Exception {
        Tools.require("rpm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(PYTHON), "skipped: /usr/bin/python3 missing");
        Tools.Result probe = Tools.run(null, Map.of(), List.of(PYTHON.toString(), "-c", "import rpm"));
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.exit() == 0,
                "skipped: python3-rpm is not installed (run .ci/install-deps)");
        long seed = Long.getLong("kolibri.seed", new Random().nextLong());
        Random rnd = new Random(seed);
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String[] a = randomEvr(rnd);
            String[] b = switch (rnd.nextInt(4)) {
                case 0 -> a.clone();
                case 1 -> mutate(a, rnd);
                default -> randomEvr(rnd);
            };
            pairs.add(new String[] {a[0], a[1], a[2], b[0], b[1], b[2]});
        }
        Path dir = Files.createTempDirectory("rpmver");
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) sb.append(String.join("\t", p)).append('\n');
        Files.writeString(dir.resolve("pairs"), sb);
        String script = """
                import rpm, sys
                for line in open(sys.argv[1]):
                    e1, v1, r1, e2, v2, r2 = line.rstrip('\\n').split('\\t')
                    print(rpm.labelCompare((e1 or None, v1, r1), (e2 or None, v2, r2)))
                """;
        Files.writeString(dir.resolve("cmp.py"), script);
        Tools.Result r = Tools.ok(dir, PYTHON.toString(), "cmp.py", "pairs");
        String[] lines = r.out().split("\n");
        assertThat(lines).as("seed %d", seed).hasSize(pairs.size());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            String[] p = pairs.get(i);
            String a = evr(p[0], p[1], p[2]);
            String b = evr(p[3], p[4], p[5]);
            int ours = V.compare(a, b);
            int rpm = Integer.parseInt(lines[i].trim());
            if (ours != rpm) mismatches.add(a + " vs " + b + ": rpm " + rpm + ", ours " + ours);
        }
        assertThat(mismatches).as("seed %d (rerun with -Dkolibri.seed=%d)", seed, seed).isEmpty();
    }

    private static String evr(String e, String v, String r) {
        return (e.isEmpty() ? "" : e + ":") + v + "-" + r;
    }

    private static final String[] PIECES = {"~", "~", "^", "^", ".", ".", "_", "+", "a", "b", "Z", "rc", "el9", "git",
            "0", "1", "2", "9", "10", "00", "01", "007", "123"};

    private static String[] randomEvr(Random rnd) {
        String epoch = switch (rnd.nextInt(5)) {
            case 0 -> "0";
            case 1 -> String.valueOf(1 + rnd.nextInt(3));
            default -> "";
        };
        return new String[] {epoch, randomPart(rnd, 7), randomPart(rnd, 4)};
    }

    private static String randomPart(Random rnd, int max) {
        StringBuilder s = new StringBuilder();
        if (rnd.nextInt(5) > 0) s.append(rnd.nextInt(12));
        int n = rnd.nextInt(max);
        for (int i = 0; i < n; i++) s.append(PIECES[rnd.nextInt(PIECES.length)]);
        return s.isEmpty() ? "1" : s.toString();
    }

    private static String[] mutate(String[] evr, Random rnd) {
        String[] tails = {"~", "^", "^git1", ".0", "a", "~rc1", "0", ".1"};
        String[] m = evr.clone();
        int part = 1 + rnd.nextInt(2);
        m[part] = switch (rnd.nextInt(4)) {
            case 0 -> m[part] + tails[rnd.nextInt(tails.length)];
            case 1 -> m[part].length() > 1 ? m[part].substring(0, m[part].length() - 1) : m[part];
            case 2 -> m[part].replace("0", "00");
            default -> m[part].replace(".", "_");
        };
        if (rnd.nextInt(6) == 0) m[0] = m[0].isEmpty() ? "0" : "";
        return m;
    }
}
