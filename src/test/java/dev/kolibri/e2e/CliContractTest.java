package dev.kolibri.e2e;

import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import org.junit.jupiter.api.Test;

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
class CliContractTest extends ServedFixtureTest {

    /** Exit {@code exit}, exactly one {@code error:} line, and stderr ends with a {@code hint:} line. */
    static void assertFails(Cli.Result r, int exit) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.errorLines()).as(r.toString()).hasSize(1);
        assertThat(lastLine(r.err())).as(r.toString()).startsWith("hint: ");
    }

    static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
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
        assertThat(typo.err()).contains("unknown command 'biuld'").contains("run `kolibri --help` for usage");
    }

    @Test
    void missingDefinition_exit1_namesTheFile() {
        Cli.Result r = cli().run(dir, "lock", dir.resolve("nope.yaml").toString());
        assertFails(r, 1);
        assertThat(r.errorLines().get(0)).contains("nope.yaml");
    }

    @Test
    void unknownVerb_saysUnknownCommand_andTheNearest() {
        Cli.Result typo = cli().run(dir, "biuld", "x.yaml");
        assertFails(typo, 2);
        assertThat(typo.errorLines().get(0)).isEqualTo("error: unknown command 'biuld'");
        assertThat(lastLine(typo.err())).startsWith("hint: did you mean `kolibri build`?").contains("push").contains("scan");
        Cli.Result far = cli().run(dir, "zzzzzzzz");
        assertFails(far, 2);
        assertThat(far.errorLines().get(0)).isEqualTo("error: unknown command 'zzzzzzzz'");
        assertThat(lastLine(far.err())).doesNotContain("did you mean");
    }

    @Test
    void build_archTypoOnTheCommandLine_isAUsageError_listingTheArches() throws IOException {
        Path def = hello(served);
        Cli.Result r = cli().run(dir, "build", def.toString(), "--arch", "amd46", "-o", dir.resolve("out").toString());
        assertFails(r, 2);
        assertThat(r.errorLines().get(0)).contains("'amd46'").contains("amd64 (x86_64)").contains("arm64 (aarch64)");
        assertThat(lastLine(r.err())).startsWith("hint: did you mean --arch amd64?");
        assertNothingLeftIn(dir);
    }

    @Test
    void build_endsWithTheCommandsToRunAndPushTheImage() throws IOException {
        Path def = hello(served);
        Path out = dir.resolve("out/hello");
        Cli.Result r = cli().run(dir, "build", def.toString(), "--arch", "amd64", "-o", out.toString());
        assertOk(r);
        assertThat(r.out()).contains("run it:  podman run --rm oci:" + out + ":1")
                .contains("push it: kolibri push " + out + ":1 HOST/REPOSITORY[:TAG]");
        // the reference printed is one the containers tools read
        List<String> cmd = List.of("skopeo", "inspect", "oci:" + out + ":1");
        assertThat(dev.kolibri.testing.Tools.run(null, java.util.Map.of(), cmd).orFail(cmd).out()).contains("\"Architecture\": \"amd64\"");
    }

    @Test
    void registry_missingTag_andCredentials_sayWhichAndWhatToDo() throws IOException {
        dev.kolibri.testing.Tools.require("docker-registry");
        dev.kolibri.testing.TestImages.write(dir.resolve("img"), "v1", "m", 0);
        Path noAuth = dir.resolve("no-auth.json");
        try (dev.kolibri.testing.RegistryServer reg = dev.kolibri.testing.RegistryServer.start(dir.resolve("reg"))) {
            Cli c = cli().env("REGISTRY_AUTH_FILE", noAuth.toString());
            assertOk(c.run(dir, "push", dir.resolve("img") + ":v1", reg.host() + "/team/app"));
            Cli.Result r = c.run(dir, "pull", reg.host() + "/team/app:nope", dir.resolve("pulled").toString());
            assertFails(r, 1);
            assertThat(r.errorLines().get(0)).contains(reg.host() + "/team/app has no tag 'nope'")
                    .contains("skopeo list-tags docker://" + reg.host() + "/team/app");
        }
        try (dev.kolibri.testing.RegistryServer reg = dev.kolibri.testing.RegistryServer.start(dir.resolve("reg-auth"),
                dev.kolibri.testing.RegistryServer.Options.auth("alice", "secret"))) {
            String ref = reg.host() + "/team/app";
            Cli.Result none = cli().env("REGISTRY_AUTH_FILE", noAuth.toString()).run(dir, "push", dir.resolve("img") + ":v1", ref);
            assertFails(none, 1);
            assertThat(none.errorLines().get(0)).contains("no credentials for " + reg.host()).contains("podman login " + reg.host())
                    .doesNotContain("refused the credentials");
            Path wrong = dir.resolve("wrong-auth.json");
            String auth = java.util.Base64.getEncoder().encodeToString("alice:wrong".getBytes(StandardCharsets.UTF_8));
            Files.writeString(wrong, "{\"auths\":{\"" + reg.host() + "\":{\"auth\":\"" + auth + "\"}}}");
            Cli.Result refused = cli().env("REGISTRY_AUTH_FILE", wrong.toString()).run(dir, "push", dir.resolve("img") + ":v1", ref);
            assertFails(refused, 1);
            assertThat(refused.errorLines().get(0)).contains("refused the credentials of alice for " + reg.host())
                    .doesNotContain("no credentials");
        }
    }

    @Test
    void lock_unknownPackage_namesTheSuiteSearched_andHints() throws IOException {
        Path def = fixture.definition(dir, served, "typo", List.of("fixture-base", "helo"), null);
        Cli.Result r = cli().run(dir, "lock", def.toString());
        assertFails(r, 1);
        assertThat(r.errorLines().get(0)).contains("helo").contains("amd64")
                .contains(served.server().base().toString().replaceAll("/$", "") + " " + Fixture.SUITE);
        assertThat(lastLine(r.err())).startsWith("hint: check the name in `packages:`");
    }

    @Test
    void variant_removingAPackageAnotherNeeds_saysWhichNeedsIt() throws IOException {
        Path def = fixture.definition(dir, served, "slim", List.of("fixture-base", "hello", "libfoo"),
                "entrypoint: [/usr/bin/hello]\nvariants:\n  slim: {remove: [libfoo]}\n");
        Cli.Result r = cli().run(dir, "build", def.toString(), "--variant", "slim", "--arch", "amd64", "-o", dir.resolve("out").toString());
        assertFails(r, 1);
        assertThat(r.errorLines().get(0)).contains("variant `slim` removes `libfoo`, but hello needs it");
        assertThat(lastLine(r.err())).isEqualTo("hint: remove hello in the variant too, or keep `libfoo`");
        assertNothingLeftIn(dir);
    }
}
