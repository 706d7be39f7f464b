package dev.kolibri.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.testing.TestImages;
import dev.kolibri.testing.RegistryServer;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publishing verbs as a user runs them: a separate JVM per command (so passwords come from the environment),
 * against the real CNCF distribution registry, checked with skopeo and podman.
 */
class PublishCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private RegistryServer reg;

    @BeforeEach
    void start() throws Exception {
        Tools.require("docker-registry", "skopeo");
        reg = RegistryServer.start(tmp.resolve("reg"));
    }

    @AfterEach
    void stop() {
        if (reg != null) reg.close();
    }

    private Tools.Result kolibri(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.kolibri.cli.Main");
        cmd.addAll(List.of(args));
        Map<String, String> env = new HashMap<>();
        env.put("KOLIBRI_PASSWORD", "");
        env.put("CONTAINERS_REGISTRIES_CONF", tmp.resolve("no-registries.conf").toString());
        env.put("REGISTRY_AUTH_FILE", tmp.resolve("no-auth.json").toString());
        return Tools.run(tmp, env, cmd);
    }

    private Tools.Result ok(String... args) {
        Tools.Result r = kolibri(args);
        assertThat(r.exit()).as("kolibri %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
        return r;
    }

    private static Path vectors() {
        Path dir = Path.of("").toAbsolutePath().resolve("../shared/vectors").normalize();
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("cosign-generated.key")), () -> "skipped: no cosign vectors at " + dir);
        return dir;
    }

    private static Tools.Result tool(String... cmd) {
        return Tools.run(null, Map.of(), List.of(cmd)).orFail(List.of(cmd));
    }

    @Test
    void pull_refusesADirectoryThatIsNotALayout_andUpdatesALayoutKeepingItsOtherTags() throws Exception {
        // the old pull replaced DIR whatever it held, and dropped the tags other tools had added
        Tools.require("umoci");
        TestImages.write(tmp.resolve("img"), "v1", "p", 0);
        String ref = reg.host() + "/kolibri/app";
        ok("push", tmp.resolve("img") + ":v1", ref);

        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("todo.txt"), "mine\n");
        Tools.Result refused = kolibri("pull", ref + ":v1", notes.toString());
        assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
        // one error line, then the hint line
        List<String> lines = refused.err().strip().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("error: refusing to write " + notes).contains("not an OCI image layout")
                .contains("nothing was changed");
        assertThat(lines.get(1)).startsWith("hint: ");
        try (var s = Files.list(notes)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("todo.txt");
        }
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-") || n.contains(".pull-"));
        }

        Path layout = tmp.resolve("pulled");
        ok("pull", ref + ":v1", layout.toString());
        tool("skopeo", "copy", "--all", "oci:" + tmp.resolve("img") + ":v1", "oci:" + layout + ":mine");
        Files.writeString(layout.resolve("README"), "notes\n");
        ok("pull", ref + ":v1", layout.toString());
        assertThat(tool("umoci", "ls", "--layout", layout.toString()).out().lines().sorted().toList())
                .containsExactly("mine", "v1");
        assertThat(Files.readString(layout.resolve("README"))).isEqualTo("notes\n");
        tool("skopeo", "copy", "--all", "oci:" + layout + ":mine", "dir:" + tmp.resolve("check"));
        assertThat(dev.kolibri.oci.Validate.problems(layout)).isEmpty();
    }

    @Test
    void push_thenSkopeoCopy_andPull_giveTheSameDigests() throws Exception {
        OciLayout layout = TestImages.write(tmp.resolve("img"), "v1", "p", 0);
        Descriptor top = layout.resolve("v1");
        String ref = reg.host() + "/kolibri/app";

        Tools.Result push = ok("push", tmp.resolve("img") + ":v1", ref, "--json");
        JsonNode j = JSON.readTree(push.out());
        assertThat(j.path("digest").asText()).isEqualTo(top.digest().toString());
        assertThat(j.path("reference").asText()).as("the layout's tag when REF has none").isEqualTo(ref + ":v1");
        assertThat(j.path("uploaded").asInt()).isEqualTo(5);

        Tools.Result again = ok("push", tmp.resolve("img") + ":v1", ref + ":v1");
        assertThat(again.out()).contains("pushed " + ref + "@" + top.digest()).contains("0 blobs uploaded").contains("5 already there");

        // skopeo reads it back, both platforms
        Path copied = tmp.resolve("copied");
        tool("skopeo", "copy", "--all", "--src-tls-verify=false", "docker://" + ref + ":v1", "oci:" + copied + ":v1");
        OciLayout back = LayoutReader.open(copied);
        assertThat(back.resolve("v1").digest()).isEqualTo(top.digest());
        assertThat(back.images("v1", p -> true)).hasSize(2);

        Tools.Result pull = ok("pull", ref + ":v1", tmp.resolve("pulled").toString());
        assertThat(pull.out()).contains("pulled " + ref + "@" + top.digest()).contains("3 manifests, 5 blobs");
        OciLayout pulled = LayoutReader.open(tmp.resolve("pulled"));
        assertThat(pulled.resolve("v1").digest()).isEqualTo(top.digest());
        List<String> want = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (OciLayout.Image i : layout.images("v1", p -> true)) want.add(i.descriptor().digest().toString());
        for (OciLayout.Image i : pulled.images("v1", p -> true)) got.add(i.descriptor().digest().toString());
        assertThat(got).isEqualTo(want);

        Tools.Result bad = kolibri("push", tmp.resolve("img") + ":nope", ref);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip().lines().toList().get(0)).startsWith("error: ").contains("no image tagged 'nope'");
        assertThat(bad.err().strip().lines()).hasSize(2).last().asString().startsWith("hint: ");
        Tools.Result shortName = kolibri("push", tmp.resolve("img") + ":v1", "app");
        assertThat(shortName.exit()).isEqualTo(1);
        assertThat(shortName.err()).contains("names no registry host").contains("unqualified-search-registries");

        // another repository on the same registry: every blob mounted from the first one, none uploaded
        JsonNode mounted = JSON.readTree(ok("push", tmp.resolve("img") + ":v1", reg.host() + "/other/app", "--mount-from",
                "kolibri/app", "--json").out());
        assertThat(mounted.path("mounted").asInt()).isEqualTo(5);
        assertThat(mounted.path("uploaded").asInt()).isZero();
        JsonNode byRef = JSON.readTree(ok("push", tmp.resolve("img") + ":v1", reg.host() + "/third/app", "--mount-from",
                ref + ":v1", "--json").out());
        assertThat(byRef.path("mounted").asInt()).isEqualTo(5);
        Tools.Result elsewhere = kolibri("push", tmp.resolve("img") + ":v1", reg.host() + "/fourth/app", "--mount-from",
                "registry.invalid:5000/kolibri/app");
        assertThat(elsewhere.exit()).isEqualTo(1);
        assertThat(elsewhere.err().strip()).startsWith("error: --mount-from registry.invalid:5000/kolibri/app is on registry.invalid:5000");
        assertThat(elsewhere.err().strip().lines()).hasSize(2).last().asString().startsWith("hint: ");
    }

    @Test
    void pushedImage_runsInPodman() throws Exception {
        Tools.require("podman", "runc", "file");
        Assumptions.assumeTrue(Files.isRegularFile(TestImages.HELLO)
                        && tool("file", "-L", TestImages.HELLO.toString()).out().contains("static")
                        && System.getProperty("os.arch").matches("amd64|x86_64"),
                "skipped: needs a static amd64 " + TestImages.HELLO + " to run in the image");
        TestImages.write(tmp.resolve("img"), "v1", "r", 0);
        String ref = reg.host() + "/kolibri/hello:v1";
        ok("push", tmp.resolve("img") + ":v1", ref);
        Path conf = tmp.resolve("containers.conf");
        Files.writeString(conf, "[containers]\ndefault_ulimits = []\n");
        List<String> podman = List.of("podman", "--root", tmp.resolve("podman-root").toString(), "--runroot",
                tmp.resolve("podman-run").toString(), "--storage-driver", "vfs", "--runtime", "runc");
        Map<String, String> env = Map.of("CONTAINERS_CONF", conf.toString());
        List<String> pull = new ArrayList<>(podman);
        pull.addAll(List.of("pull", "--tls-verify=false", "--arch", "amd64", "docker://" + ref));
        Tools.run(null, env, pull).orFail(pull);
        List<String> run = new ArrayList<>(podman);
        run.addAll(List.of("run", "--rm", "--network", "none", ref));
        Tools.Result r = Tools.run(null, env, run).orFail(run);
        assertThat(r.out() + r.err()).containsIgnoringCase("ldconfig");
        List<String> rmi = new ArrayList<>(podman);
        rmi.addAll(List.of("rmi", "-a", "-f"));
        Tools.run(null, env, rmi);
    }

    @Test
    void keygenSignVerify_cosignKey_andRefusals() throws Exception {
        Path v = vectors();
        TestImages.write(tmp.resolve("a"), "v1", "a", 0);
        TestImages.write(tmp.resolve("b"), "v1", "b", 0);
        String ref = reg.host() + "/team/app:v1";
        ok("push", tmp.resolve("a") + ":v1", ref);

        Tools.Result sign = ok("sign", ref, "--key", v.resolve("cosign-generated.key").toString());
        assertThat(sign.out()).contains("signed " + reg.host() + "/team/app@sha256:").contains(".sig (1 signature)");
        Tools.Result verify = ok("verify", ref, "--key", v.resolve("cosign-generated.pub").toString(), "--json");
        assertThat(JSON.readTree(verify.out()).path("verified").asBoolean()).isTrue();

        ok("keygen", "--output-prefix", "other");
        assertThat(Files.readString(tmp.resolve("other.key"))).startsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----");
        assertThat(Files.readString(tmp.resolve("other.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(Files.getPosixFilePermissions(tmp.resolve("other.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        Tools.Result overwrite = kolibri("keygen", "--output-prefix", "other");
        assertThat(overwrite.exit()).isEqualTo(1);
        assertThat(overwrite.err()).contains("other.key already exists");

        Tools.Result wrongKey = kolibri("verify", ref, "--key", "other.pub");
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.err().strip().lines()).hasSize(2).last().asString().startsWith("hint: ");
        assertThat(wrongKey.err()).startsWith("error: none of the").contains("verifies with other.pub");

        String unsigned = reg.host() + "/team/unsigned:v1";
        ok("push", tmp.resolve("b") + ":v1", unsigned);
        Tools.Result none = kolibri("verify", unsigned, "--key", v.resolve("cosign-generated.pub").toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err().strip().lines()).hasSize(2).last().asString().startsWith("hint: ");
        assertThat(none.err()).contains("has no signatures");

        ok("push", tmp.resolve("b") + ":v1", ref); // move the tag to an unsigned image
        Tools.Result moved = kolibri("verify", ref, "--key", v.resolve("cosign-generated.pub").toString());
        assertThat(moved.exit()).isEqualTo(1);
        assertThat(moved.err()).contains("has no signatures");

        // a key made by keygen signs and verifies too
        ok("sign", ref, "--key", "other.key");
        assertThat(ok("verify", ref, "--key", "other.pub").out()).contains("verified " + reg.host() + "/team/app@");
    }

    @Test
    void attest_andVerifyAttestations_andSbomDownload() throws Exception {
        Path v = vectors();
        TestImages.write(tmp.resolve("a"), "v1", "a", 0);
        String ref = reg.host() + "/team/app:v1";
        ok("push", tmp.resolve("a") + ":v1", ref);
        Path predicate = tmp.resolve("sbom.spdx.json");
        Files.writeString(predicate, "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"app\"}");
        String key = v.resolve("cosign-generated.key").toString();
        String pub = v.resolve("cosign-generated.pub").toString();

        ok("sign", ref, "--key", key);
        Tools.Result noAtt = kolibri("verify", ref, "--key", pub, "--attestations");
        assertThat(noAtt.exit()).isEqualTo(1);
        assertThat(noAtt.err()).contains("has no attestations");

        Tools.Result att = ok("attest", ref, "--key", key, "--predicate", predicate.toString(), "--type", "spdx");
        assertThat(att.out()).contains("attested https://spdx.dev/Document");
        Tools.Result verified = ok("verify", ref, "--key", pub, "--attestations");
        assertThat(verified.out()).contains("attestation https://spdx.dev/Document");

        Files.writeString(tmp.resolve("broken.json"), "{not json");
        Tools.Result broken = kolibri("attest", ref, "--key", key, "--predicate", "broken.json", "--type", "spdx");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.err()).contains("broken.json is not JSON");

        Tools.Result noSbom = kolibri("sbom", "--download", ref, "--platform", "linux/arm64");
        assertThat(noSbom.exit()).isEqualTo(1);
        assertThat(noSbom.err()).contains("no SBOM is attached");
    }
}
