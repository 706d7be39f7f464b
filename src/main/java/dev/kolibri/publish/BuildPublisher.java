package dev.kolibri.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.oci.Descriptor;
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
 * {@code build --push REF [--sign KEY]}: pushes a built layout with the SBOMs it holds (as referrers, SPDX also under
 * cosign's {@code .sbom} tag: {@link SbomAttachments#push}), then (with a key) signs it, attaches each SBOM file given
 * that the layout does not hold, and attests SBOMs and provenance. The build hands its files over as
 * {@link Artifact}s; without any, only push (with the layout's SBOMs) and sign happen.
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

    /** What happened: the push, the signatures (null without a key), attestations made, SBOMs attached. */
    public record Outcome(Push.Summary push, Signatures.Result signatures, List<Attestations.Result> attestations,
                          List<SbomAttachments.Attached> sboms) {}

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
        List<SbomAttachments.Attached> sboms = new ArrayList<>(
                SbomAttachments.push(c, target.repository(), layout, LayoutSboms.of(layout, top)));
        for (SbomAttachments.Attached a : sboms) {
            log.accept("attached " + a.artifactType() + " to " + a.subject() + " as a referrer"
                    + (a.cosignTag() == null ? "" : " and as " + a.cosignTag()));
        }
        for (Artifact a : artifacts) {
            Descriptor subject = a.platform() == null ? top : platformManifest(layout, top, a.platform());
            byte[] content = Files.readAllBytes(a.file());
            if (a.kind() != Kind.PROVENANCE) {
                String format = a.kind() == Kind.SPDX ? "spdx" : "cyclonedx";
                String type = SbomAttachments.artifactType(format);
                // the layout's own documents are already there; a file the layout does not hold is attached from the file
                boolean there = sboms.stream().anyMatch(s -> s.subject().equals(subject.digest()) && s.artifactType().equals(type));
                if (!there) {
                    boolean cosignFree = sboms.stream().noneMatch(s -> s.subject().equals(subject.digest()) && s.cosignTag() != null);
                    boolean spdxComing = a.kind() == Kind.CYCLONEDX && artifacts.stream().anyMatch(o -> o.kind() == Kind.SPDX
                            && Objects.equals(o.platform(), a.platform()));
                    SbomAttachments.Attached att = SbomAttachments.attachBoth(c, target.repository(), subject, content, format,
                            a.kind() == Kind.SPDX || (cosignFree && !spdxComing));
                    sboms.add(att);
                    log.accept("attached " + a.file() + " to " + subject.digest() + " as a referrer"
                            + (att.cosignTag() == null ? "" : " and as " + att.cosignTag()));
                }
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
                Attestations.Result r = Attestations.attest(c, target.withDigest(subject.digest()), key, type, predicate);
                atts.add(r);
                log.accept("attested " + type + " for " + subject.digest());
            }
        }
        return new Outcome(push, sigs, List.copyOf(atts), List.copyOf(sboms));
    }

    private static Descriptor platformManifest(OciLayout layout, Descriptor top, Platform p) throws IOException, PublishException {
        if (!top.mediaType().equals(MediaTypes.IMAGE_INDEX)) return top;
        for (Descriptor d : layout.index(top).manifests()) if (p.equals(d.platform())) return d;
        throw new PublishException("the build artifact is for " + p + ", but " + layout.dir() + " has no image for it");
    }
}
