package dev.kolibri.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.oci.Platform;
import dev.kolibri.registry.Push;
import dev.kolibri.registry.Reference;
import dev.kolibri.registry.RegistryClient;
import dev.kolibri.sign.Statement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code build --push REF [--sign KEY]}: pushes a built layout, then (with a key) signs it, and for each build
 * artifact given attaches the SBOM to its platform manifest ({@code .sbom}) and attests SBOMs and provenance.
 * The build hands its artifacts over as {@link Artifact}s; without any, only push and sign happen.
 */
public final class BuildPublisher {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BuildPublisher() {}

    public enum Kind { SPDX, CYCLONEDX, PROVENANCE }

    /**
     * A file the build wrote about the image.
     *
     * @param platform the platform image it describes, or null for the whole (multi-platform) image
     */
    public record Artifact(Kind kind, Platform platform, Path file) {
        public Artifact {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(file, "file");
        }
    }

    /** What happened: the push, the signatures (null without a key), attestations made, SBOM images attached. */
    public record Outcome(Push.Summary push, Signatures.Result signatures, List<Attestations.Result> attestations,
                          List<Digest> sboms) {}

    /**
     * @param key the signing key, or null to push only (artifacts are then attached, not attested)
     * @param log one line per step
     */
    public static Outcome publish(RegistryOptions options, Path layoutDir, String tag, Reference target, KeyPair key,
                                  List<Artifact> artifacts, Consumer<String> log) throws IOException, PublishException {
        OciLayout layout = LayoutReader.open(layoutDir);
        Descriptor top = layout.resolve(tag);
        RegistryClient c = options.client(target);
        Push.Summary push = Push.push(c, layout, top, target, Push.Options.defaults());
        log.accept("pushed " + target + " " + push.digest() + " (" + push.uploaded() + " uploaded, " + push.skipped()
                + " already there, " + push.mounted() + " mounted)");
        Reference pinned = target.withDigest(push.digest());
        Signatures.Result sigs = null;
        if (key != null) {
            sigs = Signatures.sign(c, pinned, key, Map.of());
            log.accept("signed " + sigs.signed().size() + " manifest(s) of " + pinned);
        }
        List<Attestations.Result> atts = new ArrayList<>();
        List<Digest> sboms = new ArrayList<>();
        for (Artifact a : artifacts) {
            Digest subject = a.platform() == null ? push.digest() : platformManifest(layout, top, a.platform());
            byte[] content = Files.readAllBytes(a.file());
            if (a.kind() != Kind.PROVENANCE) {
                String mt = a.kind() == Kind.SPDX ? Cosign.SPDX_JSON : Cosign.CYCLONEDX_JSON;
                sboms.add(SbomAttachments.attach(c, target.repository(), subject, content, mt));
                log.accept("attached " + a.file() + " to " + subject + " as " + Cosign.sbomTag(subject));
            }
            if (key != null) {
                String type = switch (a.kind()) {
                    case SPDX -> Statement.SPDX;
                    case CYCLONEDX -> Statement.CYCLONEDX;
                    case PROVENANCE -> Statement.SLSA_PROVENANCE_V1;
                };
                JsonNode predicate = JSON.readTree(content);
                if (predicate != null && predicate.path("_type").asText("").startsWith("https://in-toto.io/Statement")) {
                    type = predicate.path("predicateType").asText(type);
                    predicate = predicate.get("predicate");
                }
                Attestations.Result r = Attestations.attest(c, target.withDigest(subject), key, type, predicate);
                atts.add(r);
                log.accept("attested " + type + " for " + subject);
            }
        }
        return new Outcome(push, sigs, List.copyOf(atts), List.copyOf(sboms));
    }

    private static Digest platformManifest(OciLayout layout, Descriptor top, Platform p) throws IOException, PublishException {
        if (!top.mediaType().equals(MediaTypes.IMAGE_INDEX)) return top.digest();
        for (Descriptor d : layout.index(top).manifests()) if (p.equals(d.platform())) return d.digest();
        throw new PublishException("the build artifact is for " + p + ", but " + layout.dir() + " has no image for it");
    }
}
