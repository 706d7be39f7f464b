package dev.kolibri.e2e;

import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line as a user meets it, run as its own process: exit 0 on success, 1 with exactly one
 * {@code error:} line on a failure, 2 on a usage error; for unsatisfiable requests, the distroless policy, file
 * conflicts, tampered or unsigned metadata, tampered packages, offline and locked builds.
 */
class CliContractTest {
    @TempDir static Path shared;
    static Fixture fixture;
    static Fixture.Served served;

    @TempDir Path dir;

    @BeforeAll
    static void serve() throws IOException {
        fixture = Fixture.get();
        served = fixture.serve(shared);
    }

    @AfterAll
    static void stop() {
        if (served != null) served.close();
    }

    Cli cli() {
        return Cli.withCache(dir.resolve("cache"));
    }

    static void assertFails(Cli.Result r, int exit) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.errorLines()).as(r.toString()).hasSize(1);
    }

    static void assertOk(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.errorLines()).as(r.toString()).isEmpty();
    }

    /** A failed build into {@code parent/out} left neither the layout nor a {@code *.tmp-*} staging sibling. */
    static void assertNothingLeftIn(Path parent) throws IOException {
        assertThat(parent.resolve("out")).doesNotExist();
        try (Stream<Path> siblings = Files.list(parent)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    Path hello(Fixture.Served s) throws IOException {
        return fixture.definition(dir.resolve("defs"), s, "hello", List.of("fixture-base", "hello"),
                "entrypoint: [/usr/bin/hello]");
    }

    @Test
    void lock_unsatisfiableVersion_namesTheChain_exit1() throws IOException {
        Path def = fixture.definition(dir, served, "old", List.of("hello", "libfoo=1.0"), null);
        Cli.Result r = cli().run(dir, "lock", def.toString());
        assertFails(r, 1);
        assertThat(r.errorLines().get(0)).contains("hello").contains("libfoo").contains("1.5");
        assertThat(dir.resolve("old.lock.json")).doesNotExist();
    }

    @Test
    void lock_missingDependency_namesIt_exit1() throws IOException {
        Path def = fixture.definition(dir, served, "broken", List.of("broken"), null);
        Cli.Result r = cli().run(dir, "lock", def.toString());
        assertFails(r, 1);
        assertThat(r.errorLines().get(0)).contains("broken").contains("no-such-package");
    }

    @Test
    void build_shellInRuntimeImage_isRefused_unlessAllowShell() throws IOException {
        Path def = fixture.definition(dir, served, "shelly", List.of("fixture-base", "dash"),
                "variants:\n  builder: {allow-shell: true}\n");
        Cli.Result r = cli().run(dir, "build", def.toString(), "-o", dir.resolve("out").toString());
        assertFails(r, 1);
        assertThat(r.errorLines().get(0)).containsAnyOf("/bin/sh", "/bin/dash").contains("dash");
        assertNothingLeftIn(dir);

        Cli.Result ok = cli().run(dir, "build", def.toString(), "--variant", "builder", "-o", dir.resolve("out-b").toString());
        assertOk(ok);
        assertThat(dir.resolve("out-b/index.json")).exists();
    }

    @Test
    void build_twoPackagesWritingOnePath_namesBoth() throws IOException {
        Path def = fixture.definition(dir, served, "clash", List.of("fixture-base", "clash-a", "clash-b"), null);
        Cli.Result r = cli().run(dir, "build", def.toString(), "-o", dir.resolve("out").toString());
        assertFails(r, 1);
        assertThat(r.errorLines().get(0)).contains("clash-a").contains("clash-b").contains("etc/clash.conf");
        assertNothingLeftIn(dir);
    }

    @Test
    void lock_tamperedInRelease_isRefused_namingTheFile() throws IOException {
        try (Fixture.Served s = fixture.serve(dir)) {
            String text = Files.readString(s.inRelease(), StandardCharsets.UTF_8);
            Files.writeString(s.inRelease(), text.replace("Origin: Kolibri", "Origin: Kolibre"), StandardCharsets.UTF_8);
            assertThat(Files.readString(s.inRelease())).isNotEqualTo(text);
            Cli.Result r = cli().run(dir, "lock", hello(s).toString());
            assertFails(r, 1);
            assertThat(r.errorLines().get(0)).contains("InRelease").contains("signature");
            assertThat(dir.resolve("defs/hello.lock.json")).doesNotExist();
        }
    }

    @Test
    void lock_unsignedRepository_isRefused() throws IOException {
        try (Fixture.Served s = fixture.serve(dir)) {
            Files.delete(s.inRelease());
            Cli.Result r = cli().run(dir, "lock", hello(s).toString());
            assertFails(r, 1);
            assertThat(r.errorLines().get(0)).containsIgnoringCase("unsigned").contains("dists/" + Fixture.SUITE);
        }
    }

    @Test
    void build_packageReplacedOnServerAfterLocking_failsNamingBothDigests_leavesNothing() throws Exception {
        try (Fixture.Served s = fixture.serve(dir)) {
            Path def = hello(s);
            assertOk(cli().run(dir, "lock", def.toString()));
            Lockfile lock = Lockfile.read(dir.resolve("defs/hello.lock.json"));
            LockedPackage hello = lock.packagesFor("amd64").stream().filter(p -> p.name().equals("hello")).findFirst().orElseThrow();
            Path deb = s.pool("hello_1.0_amd64.deb");
            byte[] bytes = Files.readAllBytes(deb);
            bytes[bytes.length - 1] ^= 0x55;   // same size, other bytes
            Files.write(deb, bytes);
            String actual = dev.kolibri.oci.Digest.sha256(deb).hex();

            Path out = dir.resolve("out/hello");
            Cli.Result r = cli().run(dir, "build", def.toString(), "--locked", "-o", out.toString());
            assertFails(r, 1);
            assertThat(r.errorLines().get(0)).contains("hello 1.0").contains(hello.sha256()).contains(actual);
            assertThat(out).doesNotExist();
            if (Files.exists(out.getParent())) assertNothingLeftIn(out.getParent());
        }
    }

    @Test
    void build_offline_withEmptyCache_namesThePackage_thenWorksAfterAnOnlineBuild() throws IOException {
        try (Fixture.Served s = fixture.serve(dir)) {
            Path def = hello(s);
            assertOk(cli().run(dir, "lock", def.toString()));
            Cli.Result r = cli().run(dir, "build", def.toString(), "--offline", "-o", dir.resolve("out/a").toString());
            assertFails(r, 1);
            assertThat(r.errorLines().get(0)).contains("not in the cache").containsAnyOf("hello 1.0", "libfoo 2.0", "fixture-base 1.0");
            assertThat(dir.resolve("out/a")).doesNotExist();

            assertOk(cli().run(dir, "build", def.toString(), "-o", dir.resolve("out/b").toString()));
            s.server().close();   // nothing to download any more: the repository is gone
            int before = s.server().requests().size();
            Cli.Result off = cli().run(dir, "build", def.toString(), "--offline", "-o", dir.resolve("out/c").toString());
            assertOk(off);
            assertThat(s.server().requests()).hasSize(before);
            assertThat(Files.readString(dir.resolve("out/c/index.json"))).isEqualTo(Files.readString(dir.resolve("out/b/index.json")));
        }
    }

    @Test
    void build_locked_afterTheDefinitionChanged_isRefused() throws IOException {
        Path def = hello(served);
        assertOk(cli().run(dir, "lock", def.toString()));
        Files.writeString(def, Files.readString(def).replace("packages: [fixture-base, hello]",
                "packages: [fixture-base, hello, exim-lite]"));
        Cli.Result r = cli().run(dir, "build", def.toString(), "--locked", "-o", dir.resolve("out").toString());
        assertFails(r, 1);
        assertThat(r.errorLines().get(0)).contains("hello.lock.json was made for another version of").contains("hello.yaml")
                .contains("kolibri lock");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void unknownOption_isAUsageError_exit2() {
        Cli.Result r = cli().run(dir, "build", "--no-such-option", "x.yaml");
        assertFails(r, 2);
        assertThat(r.errorLines().get(0)).contains("--no-such-option");
    }

    @Test
    void usageError_hintsAtTheVerbsHelp_whichWorks() {
        Cli.Result bad = cli().run(dir, "build");
        assertFails(bad, 2);
        assertThat(bad.err()).contains("hint: run `kolibri build --help` for usage");
        Cli.Result help = cli().run(dir, "build", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: kolibri build").contains("--no-build-cache").contains("--offline");
        Cli.Result top = cli().run(dir, "--help");
        assertThat(top.exit()).isZero();
        for (String verb : List.of("lock", "build", "inspect", "diff", "sbom", "scan", "db", "push", "pull", "keygen",
                "sign", "attest", "verify")) {
            assertThat(top.out()).containsPattern("(?m)^  " + verb + " ");
        }
        Cli.Result typo = cli().run(dir, "biuld", "x.yaml");
        assertFails(typo, 2);
        assertThat(typo.err()).contains("biuld").contains("hint: run `kolibri --help` for usage");
    }

    @Test
    void missingDefinition_exit1_namesTheFile() {
        Cli.Result r = cli().run(dir, "lock", dir.resolve("nope.yaml").toString());
        assertFails(r, 1);
        assertThat(r.errorLines().get(0)).contains("nope.yaml");
    }
}
