package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JavaAlternativesTest {
    private static final String J17 = "/usr/lib/jvm/java-17-openjdk-amd64";
    /** The shape of openjdk-17-jre-headless's .jinfo (bookworm), shortened. */
    private static final String JINFO_17 = """
            name=java-17-openjdk-amd64
            alias=java-1.17.0-openjdk-amd64
            priority=1711
            section=main

            hl java %1$s/bin/java
            hl keytool %1$s/bin/keytool
            hl rmiregistry %1$s/bin/rmiregistry
            hl jexec %1$s/lib/jexec
            jdkhl javac %1$s/bin/javac
            jdkhl jar %1$s/bin/jar
            jdk jconsole %1$s/bin/jconsole
            """.formatted(J17);
    private final JavaAlternatives step = new JavaAlternatives();

    /** A JRE-headless-only tree: the .jinfo and the hl targets, no JDK commands. */
    private static FileTree jreHeadless() {
        FileTree t = new FileTree();
        dir(t, "usr/bin", 0755, "coreutils");
        file(t, "usr/lib/jvm/.java-1.17.0-openjdk-amd64.jinfo", JINFO_17, "openjdk-17-jre-headless");
        for (String p : List.of("bin/java", "bin/keytool", "bin/rmiregistry", "lib/jexec")) {
            file(t, J17.substring(1) + "/" + p, new byte[] {1}, 0755, "openjdk-17-jre-headless");
        }
        return t;
    }

    private static String target(FileTree t, String path) {
        FileEntry e = t.get(path).orElseThrow(() -> new AssertionError("no " + path));
        assertThat(e.type()).isEqualTo(EntryType.SYMLINK);
        return e.linkTarget();
    }

    @Test
    void jreHeadless_linksItsCommandsThroughEtcAlternatives() throws Exception {
        FileTree t = jreHeadless();
        FinalizeContext ctx = deb();
        step.apply(t, ctx);
        assertThat(target(t, "usr/bin/java")).isEqualTo("/etc/alternatives/java");
        assertThat(target(t, "etc/alternatives/java")).isEqualTo(J17 + "/bin/java");
        assertThat(target(t, "etc/alternatives/jexec")).isEqualTo(J17 + "/lib/jexec");
        assertThat(t.resolve("usr/bin/keytool").orElseThrow()).isEqualTo(J17.substring(1) + "/bin/keytool");
        // The JDK's commands are listed but not installed: no links, and no warnings for them.
        assertThat(t.contains("usr/bin/javac")).isFalse();
        assertThat(t.contains("usr/bin/jconsole")).isFalse();
        assertThat(ctx.report().toResult().warnings()).isEmpty();
        assertThat(t.get("etc/alternatives").orElseThrow().mode()).isEqualTo(0755);
        assertThat(t.get("usr/bin/java").orElseThrow().owner()).isEmpty();
        assertThat(t.get("usr/bin/java").orElseThrow().mtime()).isEqualTo(EPOCH);
    }

    @Test
    void missingTargetOfAnInstalledKind_isAWarning() throws Exception {
        FileTree t = jreHeadless();
        t.remove(J17.substring(1) + "/bin/keytool");
        FinalizeContext ctx = deb();
        step.apply(t, ctx);
        assertThat(t.contains("usr/bin/keytool")).isFalse();
        assertThat(t.contains("usr/bin/java")).isTrue();
        assertThat(ctx.report().toResult().warnings()).containsExactly("java-alternatives: /usr/lib/jvm/.java-1.17.0-openjdk-amd64.jinfo lists "
                + J17 + "/bin/keytool for 'keytool', but it is not in the image; no /usr/bin/keytool");
    }

    @Test
    void existingUsrBinCommand_isLeftAlone() throws Exception {
        FileTree t = jreHeadless();
        file(t, "usr/bin/java", new byte[] {9}, 0755, "some-wrapper");
        step.apply(t, deb());
        assertThat(t.get("usr/bin/java").orElseThrow().type()).isEqualTo(EntryType.FILE);
        assertThat(t.get("usr/bin/java").orElseThrow().owner()).isEqualTo("some-wrapper");
        assertThat(t.contains("etc/alternatives/java")).isFalse();
        assertThat(t.contains("usr/bin/keytool")).isTrue();
    }

    @Test
    void severalJdks_highestPriorityWinsPerCommand_tiesByName() throws Exception {
        FileTree t = jreHeadless();
        String j21 = "/usr/lib/jvm/java-21-openjdk-amd64";
        file(t, "usr/lib/jvm/.java-1.21.0-openjdk-amd64.jinfo",
                "name=java-21-openjdk-amd64\npriority=2111\n\nhl java " + j21 + "/bin/java\nhl keytool " + j21 + "/bin/keytool\n", "openjdk-21-jre-headless");
        file(t, j21.substring(1) + "/bin/java", new byte[] {2}, 0755, "openjdk-21-jre-headless");
        // keytool of 21 is missing: 17's is used. A third JDK ties with 17 on priority and loses on name.
        String z = "/usr/lib/jvm/zulu-17";
        file(t, "usr/lib/jvm/.zulu-17.jinfo", "name=zulu-17\npriority=1711\nhl rmiregistry " + z + "/bin/rmiregistry\n", "zulu");
        file(t, z.substring(1) + "/bin/rmiregistry", new byte[] {3}, 0755, "zulu");
        FinalizeContext ctx = deb();
        step.apply(t, ctx);
        assertThat(target(t, "etc/alternatives/java")).isEqualTo(j21 + "/bin/java");
        assertThat(target(t, "etc/alternatives/keytool")).isEqualTo(J17 + "/bin/keytool");
        assertThat(target(t, "etc/alternatives/rmiregistry")).isEqualTo(J17 + "/bin/rmiregistry");
        assertThat(ctx.report().toResult().warnings()).singleElement().asString().contains("java-21-openjdk-amd64/bin/keytool");
    }

    @Test
    void noJinfo_isANoOp() throws Exception {
        FileTree t = new FileTree();
        dir(t, "usr/bin", 0755, "coreutils");
        file(t, "usr/lib/jvm/java-17-openjdk-amd64/bin/java", new byte[] {1}, 0755, "x");
        List<FileEntry> before = snapshot(t);
        FinalizeContext ctx = deb();
        step.apply(t, ctx);
        assertThat(snapshot(t)).isEqualTo(before);
        assertThat(ctx.report().toResult().warnings()).isEmpty();
    }

    @Test
    void applyingTwice_changesNothing() throws Exception {
        FileTree t = jreHeadless();
        step.apply(t, deb());
        List<FileEntry> once = snapshot(t);
        step.apply(t, deb());
        assertThat(snapshot(t)).isEqualTo(once);
    }

    @Test
    void hostileLines_areSkippedWithWarnings() throws Exception {
        FileTree t = jreHeadless();
        file(t, "usr/lib/jvm/.evil.jinfo", "priority=9999\nhl ../../etc/passwd /usr/lib/jvm/java-17-openjdk-amd64/bin/java\n"
                + "hl rel usr/lib/jvm/java-17-openjdk-amd64/bin/java\njre_headless foo /x\n", "evil");
        FinalizeContext ctx = deb();
        step.apply(t, ctx);
        assertThat(t.contains("etc/passwd")).isFalse();
        assertThat(t.contains("usr/bin/rel")).isFalse();
        assertThat(t.contains("usr/bin/foo")).isFalse();
        assertThat(ctx.report().toResult().warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("unusable line"));
    }

    @Test
    void badPriority_isAWarningAndCountsAsZero() throws Exception {
        FileTree t = jreHeadless();
        String other = "/usr/lib/jvm/other";
        file(t, "usr/lib/jvm/.other.jinfo", "name=aaa\npriority=high\nhl java " + other + "/bin/java\n", "other");
        file(t, other.substring(1) + "/bin/java", new byte[] {1}, 0755, "other");
        FinalizeContext ctx = deb();
        step.apply(t, ctx);
        assertThat(target(t, "etc/alternatives/java")).isEqualTo(J17 + "/bin/java");
        assertThat(ctx.report().toResult().warnings()).containsExactly(
                "java-alternatives: /usr/lib/jvm/.other.jinfo has priority 'high', not a number; using 0");
    }

    /** The machine's dpkg ran the real postinst (update-alternatives): our links must agree with its links. */
    @Test
    void realJinfo_givesTheLinksUpdateAlternativesMadeOnThisMachine() throws Exception {
        Path jinfo = Path.of("/usr/lib/jvm/.java-1.17.0-openjdk-amd64.jinfo");
        assumeTrue(Files.isRegularFile(jinfo), "skipped: openjdk-17-jre-headless is not installed on this machine");
        FileTree t = new FileTree();
        dir(t, "usr/bin", 0755, "coreutils");
        file(t, "usr/lib/jvm/" + jinfo.getFileName(), Files.readString(jinfo), "openjdk-17-jre-headless");
        List<String[]> lines = Files.readAllLines(jinfo).stream().map(l -> l.split(" "))
                .filter(f -> f.length == 3 && List.of("hl", "jre", "jdk", "jdkhl").contains(f[0])).toList();
        int checked = 0;
        for (String[] f : lines) {
            if (Files.exists(Path.of(f[2]))) file(t, f[2].substring(1), new byte[] {1}, 0755, "openjdk");
        }
        step.apply(t, deb());
        for (String[] f : lines) {
            Path alt = Path.of("/etc/alternatives", f[1]);
            if (!Files.exists(Path.of(f[2])) || !Files.isSymbolicLink(alt)) continue;
            if (!Files.readSymbolicLink(alt).toString().startsWith("/usr/lib/jvm/java-17-openjdk")) continue; // another JDK is chosen here
            assertThat(target(t, "etc/alternatives/" + f[1])).as(f[1]).isEqualTo(Files.readSymbolicLink(alt).toString());
            assertThat(target(t, "usr/bin/" + f[1])).as(f[1]).isEqualTo(Files.readSymbolicLink(Path.of("/usr/bin", f[1])).toString());
            checked++;
        }
        assertThat(checked).isPositive();
    }
}
