package dev.kolibri.registry;

import dev.kolibri.testing.TestImages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.testing.RegistryServer;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Push and pull against the real CNCF distribution registry, checked with skopeo. */
class RegistryIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeEach
    void tools() {
        Tools.require("docker-registry", "skopeo", "openssl");
    }

    private static RegistryClient client(String host) throws RegistryException {
        return RegistryClient.builder().keychain(Keychain.anonymous()).backoff(Duration.ofMillis(5)).build(host);
    }

    private static Push.Summary push(RegistryClient c, OciLayout layout, String ref) throws IOException {
        return Push.push(c, layout, layout.resolve(null), Reference.parse(ref), Push.Options.defaults());
    }

    private static Tools.Result skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return Tools.run(null, Map.of(), cmd).orFail(cmd);
    }

    @Test
    void push_multiArchIndex_skopeoSeesBothPlatforms_andPullGivesSameDigests() throws Exception {
        try (RegistryServer reg = RegistryServer.start(tmp.resolve("reg"))) {
            OciLayout layout = TestImages.write(tmp.resolve("img"), "v1", "a", 0);
            Descriptor top = layout.resolve("v1");
            RegistryClient c = client(reg.host());
            Push.Summary s = push(c, layout, reg.host() + "/kolibri/app:v1");

            assertThat(s.digest()).isEqualTo(top.digest());
            assertThat(s.uploaded()).isEqualTo(5);
            assertThat(s.skipped()).isZero();
            assertThat(s.manifests()).isEqualTo(3);
            assertThat(s.bytesUploaded()).isPositive();

            String raw = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + reg.host() + "/kolibri/app:v1").out();
            assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(top.digest());
            JsonNode idx = JSON.readTree(raw);
            assertThat(idx.path("manifests")).hasSize(2);
            List<String> archs = new ArrayList<>();
            for (JsonNode m : idx.path("manifests")) archs.add(m.path("platform").path("architecture").asText());
            assertThat(archs).containsExactly("amd64", "arm64");
            JsonNode inspect = JSON.readTree(skopeo("inspect", "--tls-verify=false", "--override-arch", "arm64",
                    "docker://" + reg.host() + "/kolibri/app:v1").out());
            assertThat(inspect.path("Architecture").asText()).isEqualTo("arm64");
            assertThat(inspect.path("Layers")).hasSize(2);

            Path pulled = tmp.resolve("pulled");
            Pull.Summary p = Pull.pull(c, Reference.parse(reg.host() + "/kolibri/app:v1"), pulled);
            assertThat(p.digest()).isEqualTo(top.digest());
            assertThat(p.manifests()).isEqualTo(3);
            assertThat(p.blobs()).isEqualTo(5);
            OciLayout back = LayoutReader.open(pulled);
            Descriptor entry = back.resolve("v1");
            assertThat(entry.digest()).isEqualTo(top.digest());
            assertThat(entry.mediaType()).isEqualTo(MediaTypes.IMAGE_INDEX);
            assertThat(back.images("v1", x -> true)).hasSize(2);
            for (OciLayout.Image img : layout.images("v1", x -> true)) {
                for (Descriptor l : img.manifest().layers()) {
                    assertThat(Files.readAllBytes(back.path(l.digest()))).isEqualTo(Files.readAllBytes(layout.path(l.digest())));
                }
            }
            // skopeo reads the pulled layout too, and sees the same index
            String rawBack = skopeo("inspect", "--raw", "oci:" + pulled + ":v1").out();
            assertThat(rawBack).isEqualTo(raw);
            assertThat(Files.list(tmp).map(x -> x.getFileName().toString())).noneMatch(n -> n.contains(".pull-") || n.contains(".tmp-"));
        }
    }

    @Test
    void secondPush_skipsEveryBlob_andMountFromSiblingRepository() throws Exception {
        try (RegistryServer reg = RegistryServer.start(tmp.resolve("reg"))) {
            OciLayout layout = TestImages.write(tmp.resolve("img"), "v1", "b", 0);
            RegistryClient c = client(reg.host());
            // the real registry names a repository it does not have (NAME_UNKNOWN): the first push asks for no blob
            assertThat(c.repositoryUnknown("team/one")).isTrue();
            Push.Summary first = push(c, layout, reg.host() + "/team/one:v1");
            assertThat(first.uploaded()).isEqualTo(5);
            assertThat(c.repositoryUnknown("team/one")).isFalse();
            Push.Summary again = push(c, layout, reg.host() + "/team/one:v1");
            assertThat(again.uploaded()).isZero();
            assertThat(again.skipped()).isEqualTo(5);
            assertThat(again.bytesUploaded()).isZero();

            Push.Summary sibling = Push.push(c, layout, layout.resolve("v1"), Reference.parse(reg.host() + "/team/two:v1"),
                    new Push.Options(2, List.of("team/one")));
            assertThat(sibling.mounted()).isEqualTo(5);
            assertThat(sibling.uploaded()).isZero();
            skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + reg.host() + "/team/two:v1");
            assertThat(c.listTags("team/two")).containsExactly("v1");

            // a sibling image sharing only the base layer: that one is mounted, the rest uploaded into the session
            // the refused mounts opened; a source repository that does not exist is passed over
            OciLayout other = TestImages.write(tmp.resolve("img2"), "v2", "b2", 0);
            Push.Summary partly = Push.push(c, other, other.resolve("v2"), Reference.parse(reg.host() + "/team/three:v2"),
                    new Push.Options(2, List.of("team/none", "team/one")));
            assertThat(partly.mounted()).isEqualTo(1);
            assertThat(partly.uploaded()).isEqualTo(4);
            skopeo("copy", "--all", "--src-tls-verify=false", "docker://" + reg.host() + "/team/three:v2", "oci:" + tmp.resolve("back3") + ":v2");
            assertThat(LayoutReader.open(tmp.resolve("back3")).resolve("v2").digest()).isEqualTo(other.resolve("v2").digest());
        }
    }

    /** Flips one byte of the amd64 image's own layer (same size): only the registry's digest check can catch it. */
    private static Descriptor corruptOwnLayer(OciLayout layout, String tag) throws IOException {
        ImageIndex idx = layout.index(layout.resolve(tag));
        Descriptor own = layout.manifest(idx.manifests().get(0)).layers().get(1);
        Path p = layout.path(own.digest());
        byte[] bytes = Files.readAllBytes(p);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(p, bytes);
        return own;
    }

    @Test
    void push_ofCorruptLocalBlob_failsNamingTheFile_andWritesNoTag() throws Exception {
        for (boolean chunked : new boolean[] {false, true}) {
            try (RegistryServer reg = RegistryServer.start(tmp.resolve("reg" + chunked))) {
                OciLayout layout = TestImages.write(tmp.resolve("img" + chunked), "v1", "corrupt", chunked ? 200_000 : 0);
                Descriptor own = corruptOwnLayer(layout, "v1");
                RegistryClient.Builder b = RegistryClient.builder().keychain(Keychain.anonymous()).backoff(Duration.ofMillis(5));
                if (chunked) b.chunkThreshold(64 << 10).chunkSize(32 << 10);
                RegistryClient c = b.build(reg.host());
                assertThatThrownBy(() -> push(c, layout, reg.host() + "/bad/app:v1"))
                        .as("chunked %s", chunked)
                        .isInstanceOf(dev.kolibri.oci.OciLayoutException.class)
                        .hasMessageContaining("blob " + own.digest())
                        .hasMessageContaining(layout.path(own.digest()).toString())
                        .hasMessageContaining("is corrupt")
                        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                                .satisfies(s -> assertThat(((RegistryException) s).code()).isEqualTo("DIGEST_INVALID")));
                assertThat(c.blobExists("bad/app", own.digest())).isFalse();
                assertThatThrownBy(() -> c.getManifest("bad/app", "v1", List.of()))
                        .isInstanceOf(RegistryException.class)
                        .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(404));
            }
        }
    }

    @Test
    void chunkedUpload_ofLargeBlob_arrivesWhole() throws Exception {
        try (RegistryServer reg = RegistryServer.start(tmp.resolve("reg"))) {
            OciLayout layout = TestImages.write(tmp.resolve("img"), "big", "c", 300_000);
            RegistryClient c = RegistryClient.builder().keychain(Keychain.anonymous()).chunkThreshold(64 << 10).chunkSize(48 << 10)
                    .backoff(Duration.ofMillis(5)).build(reg.host());
            push(c, layout, reg.host() + "/kolibri/big:1");
            for (OciLayout.Image img : layout.images("big", x -> true)) {
                for (Descriptor l : img.manifest().layers()) {
                    try (InputStream in = c.getBlob("kolibri/big", l)) {
                        assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(layout.path(l.digest())));
                    }
                }
            }
            skopeo("copy", "--all", "--src-tls-verify=false", "docker://" + reg.host() + "/kolibri/big:1", "oci:" + tmp.resolve("sk") + ":big");
        }
    }

    @Test
    void pull_ofImagePushedBySkopeo_keepsItsDigests() throws Exception {
        try (RegistryServer reg = RegistryServer.start(tmp.resolve("reg"))) {
            TestImages.write(tmp.resolve("img"), "v2", "d", 0);
            skopeo("copy", "--all", "--dest-tls-verify=false", "oci:" + tmp.resolve("img") + ":v2", "docker://" + reg.host() + "/by/skopeo:v2");
            String raw = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + reg.host() + "/by/skopeo:v2").out();
            Digest expected = Digest.sha256(raw.getBytes(StandardCharsets.UTF_8));
            Pull.Summary p = Pull.pull(client(reg.host()), Reference.parse(reg.host() + "/by/skopeo:v2"), tmp.resolve("out"));
            assertThat(p.digest()).isEqualTo(expected);
            assertThat(skopeo("inspect", "--raw", "oci:" + tmp.resolve("out") + ":v2").out()).isEqualTo(raw);

            // by digest: the tag recorded is the dashed digest
            Pull.Summary byDigest = Pull.pull(client(reg.host()), Reference.parse(reg.host() + "/by/skopeo@" + expected), tmp.resolve("out2"));
            assertThat(LayoutReader.open(tmp.resolve("out2")).resolve(expected.dashed()).digest()).isEqualTo(byDigest.digest());
        }
    }

    @Test
    void pull_ofMissingTag_namesItClearly_andLeavesNothing() throws Exception {
        try (RegistryServer reg = RegistryServer.start(tmp.resolve("reg"))) {
            assertThatThrownBy(() -> Pull.pull(client(reg.host()), Reference.parse(reg.host() + "/no/such:tag"), tmp.resolve("out")))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("manifest_unknown: " + reg.host() + "/no/such has no tag 'tag'; list its tags")
                    .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(404));
            assertThat(tmp.resolve("out")).doesNotExist();
        }
    }

    @Test
    void auth_withCredentialsFromAuthFile_works_withoutThem_givesClear401() throws Exception {
        try (RegistryServer reg = RegistryServer.start(tmp.resolve("reg"), RegistryServer.Options.auth("alice", "s3cret"))) {
            OciLayout layout = TestImages.write(tmp.resolve("img"), "v1", "e", 0);
            Path authFile = tmp.resolve("auth.json");
            String b64 = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
            Files.writeString(authFile, "{\"auths\":{\"" + reg.host() + "\":{\"auth\":\"" + b64 + "\"}}}");
            Files.createDirectories(tmp.resolve("home"));
            Keychain withCreds = new Keychain(Map.of("REGISTRY_AUTH_FILE", authFile.toString()), tmp.resolve("home"));
            RegistryClient c = RegistryClient.builder().keychain(withCreds).backoff(Duration.ofMillis(5)).build(reg.host());
            Push.Summary s = push(c, layout, reg.host() + "/private/app:v1");
            assertThat(s.uploaded()).isEqualTo(5);
            skopeo("inspect", "--raw", "--tls-verify=false", "--creds", "alice:s3cret", "docker://" + reg.host() + "/private/app:v1");

            RegistryClient anon = RegistryClient.builder().keychain(new Keychain(Map.of(), tmp.resolve("home"))).build(reg.host());
            assertThatThrownBy(() -> anon.getManifest("private/app", "v1", List.of()))
                    .isInstanceOf(RegistryException.class)
                    .hasMessage("unauthorized: " + reg.host() + "/private/app: authentication required; no credentials for " + reg.host()
                            + " in REGISTRY_AUTH_FILE, the containers auth.json or docker's config.json; log in (podman login "
                            + reg.host() + ") or set REGISTRY_AUTH_FILE to an auth file that has them")
                    .satisfies(e -> {
                        RegistryException re = (RegistryException) e;
                        assertThat(re.code()).isEqualTo("UNAUTHORIZED");
                        assertThat(re.status()).isEqualTo(401);
                        assertThat(re.isTemporary()).isFalse();
                    });

            Files.writeString(authFile, "{\"auths\":{\"" + reg.host() + "\":{\"username\":\"alice\",\"password\":\"wrong\"}}}");
            RegistryClient wrong = RegistryClient.builder().keychain(withCreds).build(reg.host());
            assertThatThrownBy(() -> Push.push(wrong, layout, layout.resolve("v1"), Reference.parse(reg.host() + "/private/app:v2"),
                    Push.Options.defaults()))
                    .isInstanceOf(RegistryException.class).hasMessageStartingWith("unauthorized: " + reg.host() + "/private/app: ");
        }
    }

    @Test
    void tls_withTestCa_works_withoutIt_failsWithClearTlsError() throws Exception {
        try (RegistryServer reg = RegistryServer.start(tmp.resolve("reg"), RegistryServer.Options.tlsOnly())) {
            OciLayout layout = TestImages.write(tmp.resolve("img"), "v1", "f", 0);
            RegistryClient c = RegistryClient.builder().keychain(Keychain.anonymous()).caCertificates(reg.caCert()).build(reg.host());
            push(c, layout, reg.host() + "/secure/app:v1");
            Path certs = Files.createDirectories(tmp.resolve("certs"));
            Files.copy(reg.caCert(), certs.resolve("ca.crt"));
            String raw = skopeo("inspect", "--raw", "--cert-dir", certs.toString(), "docker://" + reg.host() + "/secure/app:v1").out();
            assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(layout.resolve("v1").digest());

            RegistryClient untrusted = RegistryClient.builder().keychain(Keychain.anonymous()).maxAttempts(2).build(reg.host());
            assertThatThrownBy(() -> untrusted.getManifest("secure/app", "v1", List.of()))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("tls: " + reg.host() + ": the registry's certificate is not trusted")
                    .hasMessageContaining("add its CA")
                    .satisfies(e -> assertThat(((RegistryException) e).code()).isEqualTo("TLS"));
        }
    }

    @Test
    void referrers_fallBackToTheDigestTag() throws Exception {
        try (RegistryServer reg = RegistryServer.start(tmp.resolve("reg"))) {
            OciLayout layout = TestImages.write(tmp.resolve("img"), "v1", "g", 0);
            RegistryClient c = client(reg.host());
            Push.Summary s = push(c, layout, reg.host() + "/ref/app:v1");
            assertThat(c.referrers("ref/app", s.digest(), null)).isEmpty();

            byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
            Descriptor emptyD = Descriptor.of(MediaTypes.EMPTY_JSON, empty);
            c.pushBlob("ref/app", emptyD, () -> new java.io.ByteArrayInputStream(empty));
            Descriptor subject = new Descriptor(MediaTypes.IMAGE_INDEX, s.digest(), layout.resolve("v1").size(), Map.of(), null, null);
            Manifest sbom = new Manifest(emptyD, List.of(emptyD), Map.of(), subject, MediaTypes.SPDX_JSON);
            byte[] sbomBytes = sbom.toJson();
            Digest sd = c.putManifest("ref/app", Digest.sha256(sbomBytes).toString(), MediaTypes.IMAGE_MANIFEST, sbomBytes);
            Descriptor sbomD = Descriptor.of(MediaTypes.IMAGE_MANIFEST, sbomBytes).withArtifactType(MediaTypes.SPDX_JSON);
            c.addToReferrersTag("ref/app", s.digest(), sbomD);
            c.addToReferrersTag("ref/app", s.digest(), sbomD);

            List<Descriptor> all = c.referrers("ref/app", s.digest(), null);
            assertThat(all).extracting(Descriptor::digest).containsExactly(sd);
            assertThat(c.referrers("ref/app", s.digest(), MediaTypes.SPDX_JSON)).hasSize(1);
            assertThat(c.referrers("ref/app", s.digest(), MediaTypes.CYCLONEDX_JSON)).isEmpty();
            assertThat(c.listTags("ref/app")).containsExactly(s.digest().dashed(), "v1");
        }
    }

    @Test
    void faultyConnection_everyPushCompletesOrFailsClearly_andNoTagPointsAtMissingBlobs() throws Exception {
        try (RegistryServer reg = RegistryServer.start(tmp.resolve("reg"));
             FaultProxy proxy = new FaultProxy(reg.port(), 20251107L, 0.5, 200)) {
            List<OciLayout> layouts = new ArrayList<>();
            for (int i = 0; i < 4; i++) layouts.add(TestImages.write(tmp.resolve("img" + i), "t", "fault" + i, i == 0 ? 150_000 : 0));
            int ok = 0;
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RegistryClient c = RegistryClient.builder().keychain(Keychain.anonymous()).maxAttempts(3).backoff(Duration.ofMillis(2))
                        .chunkThreshold(64 << 10).chunkSize(32 << 10).build(proxy.host());
                OciLayout l = layouts.get(i % layouts.size());
                try {
                    Push.push(c, l, l.resolve("t"), Reference.parse(proxy.host() + "/faulty/app:p" + (i % 7)), new Push.Options(3, List.of()));
                    ok++;
                } catch (RegistryException e) {
                    failures.add(e.getMessage());
                }
            }
            System.out.println("fault proxy: " + proxy.faults() + " faults, " + ok + " pushes completed, failures: " + failures);
            assertThat(proxy.faults()).isPositive();
            assertThat(ok).isPositive();
            for (String f : failures) {
                assertThat(f).doesNotContain("\n").matches("[a-z_]+: 127\\.0\\.0\\.1:\\d+(/faulty/app)?: .+");
            }

            RegistryClient direct = client(reg.host());
            List<String> tags = direct.listTags("faulty/app");
            assertThat(tags).isNotEmpty();
            for (String tag : tags) {
                RegistryClient.RemoteManifest idx = direct.getManifest("faulty/app", tag, List.of(MediaTypes.IMAGE_INDEX));
                for (Descriptor m : ImageIndex.parse(idx.bytes()).manifests()) {
                    Manifest man = Manifest.parse(direct.getManifest("faulty/app", m.digest().toString(), List.of(m.mediaType())).bytes());
                    assertThat(direct.blobExists("faulty/app", man.config().digest())).as("config of %s", tag).isTrue();
                    for (Descriptor layer : man.layers()) {
                        assertThat(direct.blobExists("faulty/app", layer.digest())).as("layer of %s", tag).isTrue();
                    }
                }
            }
        }
    }
}
