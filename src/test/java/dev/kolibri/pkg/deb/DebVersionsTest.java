package dev.kolibri.pkg.deb;

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DebVersionsTest {
    private static final DebVersions V = DebVersions.INSTANCE;

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ' ', value = {
            "1.0 < 1.1",
            "1.0 = 1.0",
            "1.0 = 0:1.0",
            "1.0 = 1.0-",  // compare-only: empty revision equals missing revision
            "1.0~rc1 < 1.0",
            "1.0~~ < 1.0~",
            "1.0~ < 1.0",
            "1.0 < 1.0+b1",
            "1.0 < 1.0.1",
            "1.0 < 1.0a",
            "1.0a < 1.0+",
            "1.0 < 1:0.1",
            "2:1.0 > 1:9.9",
            "1.0-1 < 1.0-2",
            "1.0-10 > 1.0-9",
            "1.0-1 < 1.0.1-1",
            "1.2.3-1ubuntu1 > 1.2.3-1",
            "1.2.3-1~bpo12+1 < 1.2.3-1",
            "007 = 7",
            "1.00 = 1.0",
            "1.01 = 1.1",
            "3.11.2-6+deb12u1 > 3.11.2-6",
            "2.36-9+deb12u4 < 2.36-9+deb12u10",
            "1-1-1 > 1-1",
            "a < b",
            "1.0-a < 1.0-b",
            "1.0-A < 1.0-a",
            "1.0-Z < 1.0-a",
            "1.0.0 > 1.0",
            "9 < 10",
            "1:1:1 > 1:1",
    })
    void classicCases(String a, String rel, String b) {
        int expected = switch (rel) { case "<" -> -1; case "=" -> 0; default -> 1; };
        assertThat(Integer.signum(V.compare(a, b))).as("%s vs %s", a, b).isEqualTo(expected);
        assertThat(Integer.signum(V.compare(b, a))).as("%s vs %s", b, a).isEqualTo(-expected);
    }

    @Test
    void randomPairs_matchDpkgCompareVersions() throws Exception {
        Tools.require("dpkg");
        long seed = Long.getLong("kolibri.seed", new Random().nextLong());
        Random rnd = new Random(seed);
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            String a = randomVersion(rnd);
            String b = switch (rnd.nextInt(4)) {
                case 0 -> a;
                case 1 -> mutate(a, rnd);
                default -> randomVersion(rnd);
            };
            pairs.add(new String[] {a, b});
        }
        Path dir = Files.createTempDirectory("debver");
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) sb.append(p[0]).append(' ').append(p[1]).append('\n');
        Files.writeString(dir.resolve("pairs"), sb);
        String script = "while read a b; do if dpkg --compare-versions \"$a\" lt \"$b\"; then echo -1;"
                + " elif dpkg --compare-versions \"$a\" eq \"$b\"; then echo 0; else echo 1; fi; done < pairs";
        Tools.Result r = Tools.run(dir, Map.of(), List.of("bash", "-c", script)).orFail(List.of("bash", "-c", script));
        String[] lines = r.out().split("\n");
        assertThat(lines).as("seed %d", seed).hasSize(pairs.size());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            int ours = Integer.signum(V.compare(pairs.get(i)[0], pairs.get(i)[1]));
            int dpkg = Integer.parseInt(lines[i].trim());
            if (ours != dpkg) mismatches.add(pairs.get(i)[0] + " vs " + pairs.get(i)[1] + ": dpkg " + dpkg + ", ours " + ours);
        }
        assertThat(mismatches).as("seed %d (rerun with -Dkolibri.seed=%d)", seed, seed).isEmpty();
    }

    @Test
    void validate_agreesWithDpkgValidateVersion() throws Exception {
        Tools.require("dpkg");
        long seed = Long.getLong("kolibri.seed", new Random().nextLong());
        Random rnd = new Random(seed);
        List<String> versions = new ArrayList<>(List.of("1.0", "1.0-", "1:", ":1", "a1", "1_0", "1.0-a_b", "1:-1",
                "2147483647:1", "2147483648:1", "00:1", "1:1:1", "1.0-+", "1.0-1-", "1.0-1:2", "0", "x:1", "+6:56", "+1:1", "1a:1", "1+:2", "-0:1", "-1:1"));
        String alphabet = "0123456789..--::~~++abZ_%";
        for (int i = 0; i < 400; i++) {
            StringBuilder s = new StringBuilder();
            int n = 1 + rnd.nextInt(8);
            for (int k = 0; k < n; k++) s.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            versions.add(s.toString());
        }
        Path dir = Files.createTempDirectory("debver");
        Files.writeString(dir.resolve("versions"), String.join("\n", versions) + "\n");
        String script = "while read v; do if dpkg --validate-version -- \"$v\" 2>/dev/null; then echo ok; else echo bad; fi; done < versions";
        String[] lines = Tools.run(dir, Map.of(), List.of("bash", "-c", script)).orFail(List.of(script)).out().split("\n");
        assertThat(lines).hasSize(versions.size());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            boolean dpkg = lines[i].equals("ok");
            if (DebVersions.isValid(versions.get(i)) != dpkg) mismatches.add(versions.get(i) + ": dpkg " + lines[i]);
        }
        assertThat(mismatches).as("seed %d", seed).isEmpty();
    }

    @Test
    void validate_explainsTheProblem() {
        assertThatThrownBy(() -> DebVersions.validate("1.0-"))
                .isInstanceOf(DebMetadataException.class)
                .hasMessage("invalid Debian version '1.0-': revision number is empty");
        assertThatThrownBy(() -> DebVersions.validate("a1")).hasMessageContaining("does not start with digit");
        assertThatThrownBy(() -> DebVersions.validate("1 2")).hasMessageContaining("embedded spaces");
        assertThatThrownBy(() -> DebVersions.validate("99999999999:1")).hasMessageContaining("too big");
        DebVersions.validate("1:2.36-9+deb12u4");
    }

    private static final String[] PIECES = {"~", "~", "+", ".", ".", "-", "a", "b", "z", "A", "rc", "deb", "0", "1",
            "2", "9", "10", "00", "01", "123"};

    static String randomVersion(Random rnd) {
        StringBuilder s = new StringBuilder();
        if (rnd.nextInt(3) == 0) s.append(rnd.nextInt(4)).append(':');
        s.append(rnd.nextInt(12));
        int n = rnd.nextInt(7);
        for (int i = 0; i < n; i++) s.append(PIECES[rnd.nextInt(PIECES.length)]);
        if (rnd.nextBoolean()) {
            s.append('-').append(rnd.nextInt(5));
            int m = rnd.nextInt(4);
            for (int i = 0; i < m; i++) {
                String p = PIECES[rnd.nextInt(PIECES.length)];
                s.append(p.equals("-") ? "+" : p);
            }
        }
        String v = s.toString();
        return DebVersions.isValid(v) ? v : randomVersion(rnd);
    }

    private static String mutate(String v, Random rnd) {
        String[] tails = {"~", "+b1", ".0", "a", "~rc1", "0", "-1"};
        String m = switch (rnd.nextInt(3)) {
            case 0 -> v + tails[rnd.nextInt(tails.length)];
            case 1 -> v.length() > 1 ? v.substring(0, v.length() - 1) : v;
            default -> v.replace("0", "00");
        };
        return DebVersions.isValid(m) ? m : v;
    }
}
