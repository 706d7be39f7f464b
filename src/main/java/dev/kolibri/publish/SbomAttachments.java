package dev.kolibri.publish;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.oci.Platform;
import dev.kolibri.registry.Reference;
import dev.kolibri.registry.RegistryClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SBOMs attached to an image in a registry, findable both ways clients look for them:
 * <ul>
 *   <li>as OCI 1.1 referrers of the manifest they describe, one per format, {@code artifactType}
 *       {@value MediaTypes#SPDX_JSON} or {@value MediaTypes#CYCLONEDX_JSON} (recorded in the {@code sha256-<hex>}
 *       referrers tag when the registry has no referrers API);</li>
 *   <li>as cosign attaches one ({@code cosign attach sbom}): an image under {@code sha256-<hex of the manifest>.sbom}
 *       whose one layer is the SBOM, of media type {@value Cosign#SPDX_JSON} or {@value Cosign#CYCLONEDX_JSON}.
 *       That tag holds one SBOM; the SPDX one when there is one (cosign's default {@code --type spdx}).</li>
 * </ul>
 * {@link #download} is {@code cosign download sbom}, with a format to choose between them.
 */
public final class SbomAttachments {
    /** Layer media types read back as SBOMs (cosign has written SPDX JSON under each of the first three). */
    static final Set<String> SBOM_TYPES = Set.of(Cosign.SPDX_JSON, "spdx+json", MediaTypes.SPDX_JSON, "text/spdx",
            Cosign.CYCLONEDX_JSON, "application/vnd.cyclonedx+xml", "application/vnd.syft+json");
    private static final Set<String> SPDX_TYPES = Set.of(Cosign.SPDX_JSON, "spdx+json", MediaTypes.SPDX_JSON, "text/spdx");
    private static final Set<String> CYCLONEDX_TYPES = Set.of(Cosign.CYCLONEDX_JSON, "application/vnd.cyclonedx+xml");

    private SbomAttachments() {}

    /** One SBOM read back: the manifest it is about, its platform (null for a single manifest), its media type and bytes. */
    public record Downloaded(Digest manifest, Platform platform, String mediaType, byte[] content) {}

    /**
     * One SBOM attached to a manifest.
     *
     * @param subject      the manifest it describes
     * @param artifactType its format: {@value MediaTypes#SPDX_JSON} or {@value MediaTypes#CYCLONEDX_JSON}
     * @param referrer     the referrer manifest's digest
     * @param cosignTag    the {@code .sbom} tag it was also put under, or null
     */
    public record Attached(Digest subject, String artifactType, Digest referrer, String cosignTag) {}

    /** The SBOM layer media type for a format name: {@code spdx} or {@code cyclonedx}. */
    public static String mediaType(String format) {
        return switch (format) {
            case "spdx", "spdxjson" -> Cosign.SPDX_JSON;
            case "cyclonedx" -> Cosign.CYCLONEDX_JSON;
            default -> throw new IllegalArgumentException("unknown SBOM format '" + format + "': use spdx or cyclonedx");
        };
    }

    /** The OCI artifact type of a format name ({@code spdx}, {@code cyclonedx}) or of a cosign layer media type. */
    static String artifactType(String formatOrMediaType) {
        if (formatOrMediaType.equals("spdx") || SPDX_TYPES.contains(formatOrMediaType)) return MediaTypes.SPDX_JSON;
        if (formatOrMediaType.equals("cyclonedx") || CYCLONEDX_TYPES.contains(formatOrMediaType)) return MediaTypes.CYCLONEDX_JSON;
        throw new IllegalArgumentException("unknown SBOM format '" + formatOrMediaType + "': use spdx or cyclonedx");
    }

    /** Attaches {@code sbom} to the manifest {@code manifest} in {@code repo} under cosign's tag; returns the {@code .sbom} image's digest. */
    public static Digest attach(RegistryClient c, String repo, Digest manifest, byte[] sbom, String mediaType) throws IOException {
        Descriptor layer = Descriptor.of(mediaType, sbom);
        return Artifacts.putImage(c, repo, Cosign.sbomTag(manifest), List.of(new Artifacts.Layer(layer, sbom)), Map.of());
    }

    /**
     * Attaches {@code sbom} to {@code subject} both ways: as an OCI 1.1 referrer with the format's artifact type,
     * and, when {@code cosignTag}, under cosign's {@code .sbom} tag (replacing what it held).
     */
    public static Attached attachBoth(RegistryClient c, String repo, Descriptor subject, byte[] sbom, String format,
                                      boolean cosignTag) throws IOException {
        String type = artifactType(format);
        Descriptor layer = Descriptor.of(type, sbom);
        Digest referrer = Artifacts.putReferrer(c, repo, subject, type, new Artifacts.Layer(layer, sbom));
        String tag = null;
        if (cosignTag) {
            attach(c, repo, subject.digest(), sbom, cosignMediaType(type));
            tag = Cosign.sbomTag(subject.digest());
        }
        return new Attached(subject.digest(), type, referrer, tag);
    }

    /**
     * Pushes the SBOMs a layout holds about an image already pushed to {@code repo}: each artifact manifest as it is
     * in the layout (same digest) as a referrer of its subject, and per subject one document under cosign's
     * {@code .sbom} tag (SPDX when there is one).
     */
    public static List<Attached> push(RegistryClient c, String repo, OciLayout layout, List<LayoutSboms.LayoutSbom> sboms)
            throws IOException {
        Map<Digest, LayoutSboms.LayoutSbom> forCosign = new LinkedHashMap<>();
        for (LayoutSboms.LayoutSbom s : sboms) {
            LayoutSboms.LayoutSbom had = forCosign.get(s.subject().digest());
            if (had == null || (!had.artifactType().equals(MediaTypes.SPDX_JSON) && s.artifactType().equals(MediaTypes.SPDX_JSON))) {
                forCosign.put(s.subject().digest(), s);
            }
        }
        List<Attached> out = new ArrayList<>();
        Boolean referrersApi = null;
        for (LayoutSboms.LayoutSbom s : sboms) {
            byte[] artifact = layout.document(s.artifact());
            Manifest m = Manifest.parse(artifact);
            pushBlob(c, repo, layout, m.config());
            pushBlob(c, repo, layout, s.document());
            Digest referrer = c.putManifest(repo, s.artifact().digest().toString(), s.artifact().mediaType(), artifact);
            if (referrersApi == null) referrersApi = c.supportsReferrersApi(repo, s.subject().digest());
            if (!referrersApi) {
                c.addToReferrersTag(repo, s.subject().digest(), s.artifact().withArtifactType(s.artifactType()));
            }
            String tag = null;
            if (forCosign.get(s.subject().digest()) == s) {
                byte[] doc = layout.document(s.document());
                attach(c, repo, s.subject().digest(), doc, cosignMediaType(s.artifactType()));
                tag = Cosign.sbomTag(s.subject().digest());
            }
            out.add(new Attached(s.subject().digest(), s.artifactType(), referrer, tag));
        }
        return out;
    }

    private static void pushBlob(RegistryClient c, String repo, OciLayout layout, Descriptor d) throws IOException {
        c.pushBlob(repo, d, () -> {
            try {
                return layout.blob(d);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** cosign's layer media type for an artifact type. */
    private static String cosignMediaType(String artifactType) {
        return artifactType.equals(MediaTypes.SPDX_JSON) ? Cosign.SPDX_JSON : Cosign.CYCLONEDX_JSON;
    }

    /**
     * The SBOMs attached to what {@code ref} names. For an index: the SBOM of the manifest for {@code platform};
     * without a platform, the index's own SBOM, and when it has none an error listing the platforms to choose from.
     * With a {@code format} ({@code spdx}, {@code cyclonedx}) only SBOMs of that format, from cosign's
     * {@code .sbom} tag or the referrers; without one, what the {@code .sbom} tag holds (what cosign downloads),
     * else the referrers' SPDX, else any referrer SBOM.
     */
    public static List<Downloaded> download(RegistryClient c, Reference ref, Platform platform) throws IOException, PublishException {
        return download(c, ref, platform, null);
    }

    public static List<Downloaded> download(RegistryClient c, Reference ref, Platform platform, String format)
            throws IOException, PublishException {
        String want = format == null ? null : artifactType(format);
        String repo = ref.repository();
        RegistryClient.RemoteManifest top = Artifacts.resolve(c, ref);
        boolean index = top.mediaType().equals(MediaTypes.IMAGE_INDEX) || top.mediaType().equals(MediaTypes.DOCKER_MANIFEST_LIST);
        Digest target = top.digest();
        Platform chosen = null;
        List<Descriptor> children = index ? ImageIndex.parse(top.bytes()).manifests() : List.of();
        if (platform != null) {
            if (!index) throw new PublishException(ref + " is a single image, not an index: drop --platform");
            Descriptor match = children.stream().filter(d -> platform.equals(d.platform())).findFirst()
                    .orElseThrow(() -> new PublishException(ref + " has no image for " + platform + " (it has: " + platforms(children) + ")"));
            target = match.digest();
            chosen = platform;
        }
        List<Artifacts.Found> found = new ArrayList<>();
        for (Artifacts.Found f : Artifacts.tagLayers(c, repo, Cosign.sbomTag(target))) {
            if (SBOM_TYPES.contains(f.layer().mediaType())) found.add(f);
        }
        List<Artifacts.Found> referred = new ArrayList<>();
        for (Descriptor r : c.referrers(repo, target, null)) {
            if (r.artifactType() == null || !LayoutSboms.TYPES.contains(r.artifactType())) continue;
            Manifest m = Artifacts.manifest(c, repo, r.digest());
            if (m.subject() == null || !m.subject().digest().equals(target)) continue; // listed, but not about it
            for (Descriptor l : m.layers()) {
                if (SBOM_TYPES.contains(l.mediaType()) && referred.stream().noneMatch(g -> g.layer().digest().equals(l.digest()))) {
                    referred.add(new Artifacts.Found("referrer " + r.digest(), l));
                }
            }
        }
        List<Artifacts.Found> chosenLayers = new ArrayList<>();
        if (want != null) {
            for (Artifacts.Found f : concat(found, referred)) {
                if (isOf(f, want) && chosenLayers.stream().noneMatch(g -> g.layer().digest().equals(f.layer().digest()))) chosenLayers.add(f);
            }
            if (!chosenLayers.isEmpty()) chosenLayers = List.of(chosenLayers.get(0));
        } else if (!found.isEmpty()) {
            chosenLayers = found;
        } else {
            for (Artifacts.Found f : referred) if (isOf(f, MediaTypes.SPDX_JSON)) chosenLayers.add(f);
            if (chosenLayers.isEmpty() && !referred.isEmpty()) chosenLayers.add(referred.get(0));
            if (!chosenLayers.isEmpty()) chosenLayers = List.of(chosenLayers.get(0));
        }
        List<Downloaded> out = new ArrayList<>();
        for (Artifacts.Found f : chosenLayers) {
            out.add(new Downloaded(target, chosen, f.layer().mediaType(), Artifacts.blob(c, repo, f.layer())));
        }
        if (out.isEmpty()) {
            List<Artifacts.Found> any = concat(found, referred);
            if (!any.isEmpty()) {
                java.util.TreeSet<String> there = new java.util.TreeSet<>();
                for (Artifacts.Found f : any) there.add(formatName(f.layer().mediaType()));
                throw new PublishException("no " + format + " SBOM is attached to " + ref + (chosen == null ? "" : " for " + chosen)
                        + " (" + target + " has: " + String.join(", ", there) + "); pass --format " + there.first());
            }
            if (index && platform == null) {
                throw new PublishException(ref + " is a multi-platform index with no SBOM of its own: pass --platform (one of: "
                        + platforms(children) + ")");
            }
            throw new PublishException("no SBOM is attached to " + ref + (chosen == null ? "" : " for " + chosen) + " ("
                    + target + "; looked under " + Cosign.sbomTag(target) + " and its referrers); push the layout the build wrote "
                    + "with `kolibri push`, or attach one with cosign attach sbom");
        }
        return out;
    }

    private static boolean isOf(Artifacts.Found f, String artifactType) {
        String mt = f.layer().mediaType();
        return artifactType.equals(MediaTypes.SPDX_JSON) ? SPDX_TYPES.contains(mt) : CYCLONEDX_TYPES.contains(mt);
    }

    private static String formatName(String mediaType) {
        if (SPDX_TYPES.contains(mediaType)) return "spdx";
        if (CYCLONEDX_TYPES.contains(mediaType)) return "cyclonedx";
        return mediaType;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String platforms(List<Descriptor> ds) {
        List<String> p = new ArrayList<>();
        for (Descriptor d : ds) if (d.platform() != null) p.add(d.platform().toString());
        return p.isEmpty() ? "none" : String.join(", ", p);
    }
}
