package dev.kolibri.publish;

import dev.kolibri.testing.TestImages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.oci.Platform;
import dev.kolibri.registry.Keychain;
import dev.kolibri.registry.Push;
import dev.kolibri.registry.Reference;
import dev.kolibri.registry.RegistryClient;
import dev.kolibri.registry.ShortNames;
import dev.kolibri.sign.CosignKeys;
import dev.kolibri.sign.Statement;
import dev.kolibri.testing.RegistryServer;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signatures, attestations and SBOMs against the real CNCF distribution registry, read back with skopeo. */
class PublishIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private RegistryServer reg;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        Tools.require("docker-registry", "skopeo");
        reg = RegistryServer.start(tmp.resolve("reg"));
        client = new RegistryOptions(Set.of(), null, Keychain.anonymous(), ShortNames.none()).client(Reference.parse(reg.host() + "/x"));
    }

    @AfterEach
    void stop() {
        if (reg != null) reg.close();
    }

    private Push.Summary push(String seed, String ref) throws Exception {
        OciLayout layout = TestImages.write(tmp.resolve("img-" + seed + "-" + System.nanoTime()), "v1", seed, 0);
        return Push.push(client, layout, layout.resolve("v1"), Reference.parse(ref), Push.Options.defaults());
    }

    private String skopeoRaw(String ref) {
        List<String> cmd = List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref);
        return Tools.run(null, Map.of(), cmd).orFail(cmd).out();
    }

    private byte[] blob(String repo, String digest) throws Exception {
        try (var in = client.getBlob(repo, Digest.parse(digest), -1)) {
            return in.readAllBytes();
        }
    }

    /** The public key read with the JDK alone from the cosign-made .pub (not through our CosignKeys). */
    private static PublicKey jdkPublicKey(Path pem) throws Exception {
        String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
    }

    @Test
    void sign_index_wireFormatFollowsCosignSignatureSpec() throws Exception {
        KeyPair key = Keys.cosign();
        String repo = "team/app";
        Push.Summary pushed = push("s", reg.host() + "/" + repo + ":v1");
        Signatures.Result r = Signatures.sign(client, Reference.parse(reg.host() + "/" + repo + ":v1"), key, Map.of());

        ImageIndex idx = ImageIndex.parse(skopeoRaw(reg.host() + "/" + repo + ":v1").getBytes(StandardCharsets.UTF_8));
        List<Digest> expected = new ArrayList<>(List.of(pushed.digest()));
        idx.manifests().forEach(d -> expected.add(d.digest()));
        assertThat(r.digest()).isEqualTo(pushed.digest());
        assertThat(r.signed()).extracting(Signatures.Signed::manifest).containsExactlyElementsOf(expected);

        PublicKey pub = jdkPublicKey(Keys.cosignPub());
        for (Digest d : expected) {
            String tag = "sha256-" + d.hex() + ".sig";
            JsonNode m = JSON.readTree(skopeoRaw(reg.host() + "/" + repo + ":" + tag));
            assertThat(m.path("schemaVersion").asInt()).isEqualTo(2);
            assertThat(m.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
            assertThat(m.path("config").path("mediaType").asText()).isEqualTo("application/vnd.oci.image.config.v1+json");
            assertThat(m.path("layers")).hasSize(1);
            JsonNode layer = m.path("layers").get(0);
            assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
            assertThat(layer.path("annotations").size()).isEqualTo(1);
            String b64 = layer.path("annotations").path("dev.cosignproject.cosign/signature").asText();

            JsonNode config = JSON.readTree(blob(repo, m.path("config").path("digest").asText()));
            assertThat(config.path("rootfs").path("type").asText()).isEqualTo("layers");
            assertThat(config.path("rootfs").path("diff_ids").get(0).asText()).isEqualTo(layer.path("digest").asText());

            byte[] payload = blob(repo, layer.path("digest").asText());
            assertThat(payload.length).isEqualTo(layer.path("size").asInt());
            JsonNode p = JSON.readTree(payload);
            assertThat(p.path("critical").path("identity").path("docker-reference").asText()).isEqualTo(reg.host() + "/" + repo);
            assertThat(p.path("critical").path("image").path("docker-manifest-digest").asText()).isEqualTo(d.toString());
            assertThat(p.path("critical").path("type").asText()).isEqualTo("cosign container image signature");
            assertThat(p.path("optional").isNull()).isTrue();

            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(pub);
            v.update(payload);
            assertThat(v.verify(Base64.getDecoder().decode(b64))).as("signature of %s verifies with cosign's .pub", d).isTrue();

            // the OCI 1.1 referrer form: the registry has no referrers API, so the sha256-<hex> tag index lists it
            JsonNode refs = JSON.readTree(skopeoRaw(reg.host() + "/" + repo + ":sha256-" + d.hex()));
            JsonNode entry = refs.path("manifests").get(0);
            assertThat(entry.path("artifactType").asText()).isEqualTo("application/vnd.dev.cosign.artifact.sig.v1+json");
            JsonNode referrer = JSON.readTree(skopeoRaw(reg.host() + "/" + repo + "@" + entry.path("digest").asText()));
            assertThat(referrer.path("subject").path("digest").asText()).isEqualTo(d.toString());
            assertThat(referrer.path("artifactType").asText()).isEqualTo("application/vnd.dev.cosign.artifact.sig.v1+json");
            assertThat(referrer.path("layers").get(0).path("digest").asText()).isEqualTo(layer.path("digest").asText());
        }

        // signing again appends a layer to the .sig image, the first signature kept
        Signatures.sign(client, Reference.parse(reg.host() + "/" + repo + ":v1"), key, Map.of("build", "2"));
        JsonNode again = JSON.readTree(skopeoRaw(reg.host() + "/" + repo + ":sha256-" + pushed.digest().hex() + ".sig"));
        assertThat(again.path("layers")).hasSize(2);
        JsonNode config = JSON.readTree(blob(repo, again.path("config").path("digest").asText()));
        assertThat(config.path("rootfs").path("diff_ids")).hasSize(2);
        JsonNode second = JSON.readTree(blob(repo, again.path("layers").get(1).path("digest").asText()));
        assertThat(second.path("optional").path("build").asText()).isEqualTo("2");
    }

    @Test
    void verify_signedImage_passes_andRefusesUnsignedWrongKeyAndMovedTag() throws Exception {
        KeyPair key = Keys.cosign();
        PublicKey pub = CosignKeys.readPublic(Keys.cosignPub());
        String ref = reg.host() + "/team/app:v1";
        Push.Summary a = push("a", ref);
        Signatures.sign(client, Reference.parse(ref), key, Map.of());

        Verifier.Result ok = Verifier.verify(client, Reference.parse(ref), pub, "cosign.pub", false);
        assertThat(ok.digest()).isEqualTo(a.digest());
        assertThat(ok.signatures()).isNotEmpty();
        assertThat(ok.signatures().get(0).dockerReference()).isEqualTo(reg.host() + "/team/app");
        // a platform manifest by digest verifies too (it was signed with the index)
        Digest child = ImageIndex.parse(skopeoRaw(ref).getBytes(StandardCharsets.UTF_8)).manifests().get(1).digest();
        assertThat(Verifier.verify(client, Reference.parse(reg.host() + "/team/app@" + child), pub, "cosign.pub", false).digest())
                .isEqualTo(child);

        KeyPair other = CosignKeys.generate();
        assertThatThrownBy(() -> Verifier.verify(client, Reference.parse(ref), other.getPublic(), "other.pub", false))
                .isInstanceOf(PublishException.class)
                .hasMessageContaining("verifies with other.pub");

        String unsigned = reg.host() + "/team/unsigned:v1";
        push("u", unsigned);
        assertThatThrownBy(() -> Verifier.verify(client, Reference.parse(unsigned), pub, "cosign.pub", false))
                .isInstanceOf(PublishException.class)
                .hasMessageContaining("has no signatures");

        Push.Summary b = push("b", ref); // the tag now names another, unsigned image
        assertThat(b.digest()).isNotEqualTo(a.digest());
        assertThatThrownBy(() -> Verifier.verify(client, Reference.parse(ref), pub, "cosign.pub", false))
                .isInstanceOf(PublishException.class)
                .hasMessageContaining(b.digest().toString())
                .hasMessageContaining("has no signatures");
        // the old image by digest still verifies
        assertThat(Verifier.verify(client, Reference.parse(reg.host() + "/team/app@" + a.digest()), pub, "k", false).digest())
                .isEqualTo(a.digest());
    }

    @Test
    void verify_signatureCopiedFromAnotherImage_isRefused() throws Exception {
        KeyPair key = Keys.cosign();
        String ref = reg.host() + "/team/app:v1";
        Push.Summary a = push("a", ref);
        Signatures.sign(client, Reference.parse(ref), key, Map.of());
        Push.Summary b = push("b", reg.host() + "/team/app:v2");
        // copy a's .sig image to b's .sig tag: a valid signature, but of another digest
        byte[] sig = client.getManifest("team/app", "sha256-" + a.digest().hex() + ".sig", List.of()).bytes();
        client.putManifest("team/app", "sha256-" + b.digest().hex() + ".sig", "application/vnd.oci.image.manifest.v1+json", sig);
        assertThatThrownBy(() -> Verifier.verify(client, Reference.parse(reg.host() + "/team/app:v2"), key.getPublic(), "k", false))
                .isInstanceOf(PublishException.class)
                .hasMessageContaining("sign " + a.digest())
                .hasMessageContaining("copied from another image");
    }

    @Test
    void attest_storedAsCosign_andVerifiedWithAttestations() throws Exception {
        KeyPair key = Keys.cosign();
        String ref = reg.host() + "/team/app:v1";
        Push.Summary a = push("a", ref);
        JsonNode predicate = JSON.readTree("{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"app\"}");
        Attestations.Result r = Attestations.attest(client, Reference.parse(ref), key, Statement.predicateType("spdx"), predicate);
        assertThat(r.digest()).isEqualTo(a.digest());
        assertThat(r.tag()).isEqualTo("sha256-" + a.digest().hex() + ".att");

        JsonNode m = JSON.readTree(skopeoRaw(reg.host() + "/team/app:" + r.tag()));
        JsonNode layer = m.path("layers").get(0);
        assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.dsse.envelope.v1+json");
        assertThat(layer.path("annotations").path("predicateType").asText()).isEqualTo("https://spdx.dev/Document");
        assertThat(layer.path("annotations").path("dev.cosignproject.cosign/signature").asText()).isEmpty();
        JsonNode env = JSON.readTree(blob("team/app", layer.path("digest").asText()));
        assertThat(env.path("payloadType").asText()).isEqualTo("application/vnd.in-toto+json");
        JsonNode st = JSON.readTree(Base64.getDecoder().decode(env.path("payload").asText()));
        assertThat(st.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v0.1");
        assertThat(st.path("subject").get(0).path("name").asText()).isEqualTo(reg.host() + "/team/app");
        assertThat(st.path("subject").get(0).path("digest").path("sha256").asText()).isEqualTo(a.digest().hex());
        assertThat(st.path("predicate").path("name").asText()).isEqualTo("app");

        PublicKey pub = key.getPublic();
        assertThatThrownBy(() -> Verifier.verify(client, Reference.parse(ref), pub, "k", true))
                .as("attested but not signed").hasMessageContaining("has no signatures");
        Signatures.sign(client, Reference.parse(ref), key, Map.of());
        Verifier.Result v = Verifier.verify(client, Reference.parse(ref), pub, "k", true);
        assertThat(v.attestations()).extracting(Verifier.VerifiedAttestation::predicateType).containsExactly("https://spdx.dev/Document");
        assertThatThrownBy(() -> Verifier.verify(client, Reference.parse(ref), CosignKeys.generate().getPublic(), "other", true))
                .hasMessageContaining("verifies with other");

        String bare = reg.host() + "/team/bare:v1";
        push("c", bare);
        Signatures.sign(client, Reference.parse(bare), key, Map.of());
        assertThat(Verifier.verify(client, Reference.parse(bare), pub, "k", false).signatures()).isNotEmpty();
        assertThatThrownBy(() -> Verifier.verify(client, Reference.parse(bare), pub, "k", true)).hasMessageContaining("has no attestations");
    }

    @Test
    void sbom_attachAndDownload_perPlatform() throws Exception {
        String ref = reg.host() + "/team/app:v1";
        push("a", ref);
        ImageIndex idx = ImageIndex.parse(skopeoRaw(ref).getBytes(StandardCharsets.UTF_8));
        Descriptor arm = idx.manifests().stream().filter(d -> d.platform().equals(Platform.LINUX_ARM64)).findFirst().orElseThrow();
        byte[] sbom = "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8);
        SbomAttachments.attach(client, "team/app", arm.digest(), sbom, SbomAttachments.mediaType("spdx"));

        JsonNode m = JSON.readTree(skopeoRaw(reg.host() + "/team/app:sha256-" + arm.digest().hex() + ".sbom"));
        assertThat(m.path("layers").get(0).path("mediaType").asText()).isEqualTo("text/spdx+json");

        List<SbomAttachments.Downloaded> got = SbomAttachments.download(client, Reference.parse(ref), Platform.LINUX_ARM64);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).content()).isEqualTo(sbom);
        assertThat(got.get(0).manifest()).isEqualTo(arm.digest());
        assertThatThrownBy(() -> SbomAttachments.download(client, Reference.parse(ref), null))
                .hasMessageContaining("pass --platform (one of: linux/amd64, linux/arm64)");
        assertThatThrownBy(() -> SbomAttachments.download(client, Reference.parse(ref), Platform.LINUX_AMD64))
                .hasMessageContaining("no SBOM is attached");
        assertThatThrownBy(() -> SbomAttachments.download(client, Reference.parse(ref), Platform.parse("linux/riscv64")))
                .hasMessageContaining("has no image for linux/riscv64");
    }

    @Test
    void sbom_download_byFormat_refusesToHandOverAnotherFormat() throws Exception {
        String ref = reg.host() + "/team/fmt:v1";
        push("f", ref);
        ImageIndex idx = ImageIndex.parse(skopeoRaw(ref).getBytes(StandardCharsets.UTF_8));
        Descriptor amd = idx.manifests().stream().filter(d -> d.platform().equals(Platform.LINUX_AMD64)).findFirst().orElseThrow();
        byte[] cdx = "{\"bomFormat\":\"CycloneDX\"}".getBytes(StandardCharsets.UTF_8);
        SbomAttachments.attach(client, "team/fmt", amd.digest(), cdx, SbomAttachments.mediaType("cyclonedx"));

        assertThat(SbomAttachments.download(client, Reference.parse(ref), Platform.LINUX_AMD64, "cyclonedx").get(0).content())
                .isEqualTo(cdx);
        assertThat(SbomAttachments.download(client, Reference.parse(ref), Platform.LINUX_AMD64, null).get(0).content())
                .isEqualTo(cdx);
        assertThatThrownBy(() -> SbomAttachments.download(client, Reference.parse(ref), Platform.LINUX_AMD64, "spdx"))
                .hasMessageContaining("no spdx SBOM is attached").hasMessageContaining("has: cyclonedx")
                .hasMessageContaining("--format cyclonedx");

        // both formats as referrers, SPDX under cosign's tag: each format is found by its own
        byte[] spdx = "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8);
        SbomAttachments.attachBoth(client, "team/fmt", amd, spdx, "spdx", true);
        SbomAttachments.attachBoth(client, "team/fmt", amd, cdx, "cyclonedx", false);
        JsonNode referrers = JSON.readTree(skopeoRaw(reg.host() + "/team/fmt:sha256-" + amd.digest().hex()));
        assertThat(referrers.findValuesAsText("artifactType")).contains("application/spdx+json", "application/vnd.cyclonedx+json");
        assertThat(SbomAttachments.download(client, Reference.parse(ref), Platform.LINUX_AMD64, "spdx").get(0).content()).isEqualTo(spdx);
        assertThat(SbomAttachments.download(client, Reference.parse(ref), Platform.LINUX_AMD64, "cyclonedx").get(0).content()).isEqualTo(cdx);
    }

    @Test
    void buildPublisher_pushesSignsAttachesAndAttests() throws Exception {
        KeyPair key = Keys.cosign();
        OciLayout layout = TestImages.write(tmp.resolve("built"), "1.0", "bp", 0);
        Path spdx = tmp.resolve("arm64.spdx.json");
        Files.writeString(spdx, "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"arm64\"}");
        Path prov = tmp.resolve("provenance.json");
        Files.writeString(prov, "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"https://slsa.dev/provenance/v1\","
                + "\"subject\":[],\"predicate\":{\"buildDefinition\":{\"buildType\":\"x\"}}}");
        RegistryOptions o = new RegistryOptions(Set.of(), null, Keychain.anonymous(), ShortNames.none());
        Reference target = o.parseTarget(reg.host() + "/team/built", "1.0");
        List<String> log = new ArrayList<>();
        BuildPublisher.Outcome out = BuildPublisher.publish(o, tmp.resolve("built"), "1.0", target, key, List.of(
                new BuildPublisher.Artifact(BuildPublisher.Kind.SPDX, Platform.LINUX_ARM64, spdx),
                new BuildPublisher.Artifact(BuildPublisher.Kind.PROVENANCE, null, prov)), log::add);

        assertThat(target.tag()).isEqualTo("1.0");
        assertThat(out.push().digest()).isEqualTo(layout.resolve("1.0").digest());
        assertThat(out.signatures().signed()).hasSize(3);
        assertThat(out.sboms()).hasSize(1);
        assertThat(log).hasSize(5);
        PublicKey pub = key.getPublic();
        Verifier.Result top = Verifier.verify(client, target, pub, "k", true);
        assertThat(top.attestations()).extracting(Verifier.VerifiedAttestation::predicateType).containsExactly("https://slsa.dev/provenance/v1");
        Digest arm = layout.index(layout.resolve("1.0")).manifests().stream()
                .filter(d -> d.platform().equals(Platform.LINUX_ARM64)).findFirst().orElseThrow().digest();
        Verifier.Result armV = Verifier.verify(client, target.withDigest(arm), pub, "k", true);
        assertThat(armV.attestations()).extracting(Verifier.VerifiedAttestation::predicateType).containsExactly("https://spdx.dev/Document");
        assertThat(SbomAttachments.download(client, target, Platform.LINUX_ARM64).get(0).content()).isEqualTo(Files.readAllBytes(spdx));
    }
}
