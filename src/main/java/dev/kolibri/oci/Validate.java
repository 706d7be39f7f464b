package dev.kolibri.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an OCI image layout the way go-containerregistry's {@code validate.Image} checks an image: every
 * descriptor reachable from {@code index.json} has its blob with the right size and digest, each document's
 * {@code mediaType} agrees with the descriptor pointing at it, each config's {@code diff_ids} are the digests of
 * the uncompressed layers, history and platforms agree with the config.
 */
public final class Validate {
    private Validate() {}

    /** Throws, listing every problem found, unless the layout is valid. */
    public static void check(Path layout) throws OciLayoutException {
        List<String> p = problems(layout);
        if (!p.isEmpty()) {
            throw new OciLayoutException("invalid OCI layout " + layout + ": " + p.size() + " problem(s):\n  - "
                    + String.join("\n  - ", p));
        }
    }

    /** Every problem found, one line each; empty for a valid layout. */
    public static List<String> problems(Path layout) {
        List<String> out = new ArrayList<>();
        OciLayout l;
        try {
            l = OciLayout.open(layout);
        } catch (IOException e) {
            out.add(e.getMessage());
            return out;
        }
        Set<Digest> seen = new HashSet<>();
        for (Descriptor d : l.index().manifests()) visit(l, d, d.platform(), out, seen, 0);
        return out;
    }

    private static void visit(OciLayout l, Descriptor d, Platform expected, List<String> out, Set<Digest> seen, int depth) {
        if (depth > 8) {
            out.add(d.digest() + ": index nesting deeper than 8");
            return;
        }
        if (!seen.add(d.digest())) return;
        try {
            switch (d.mediaType()) {
                case MediaTypes.IMAGE_INDEX -> {
                    byte[] b = l.document(d);
                    checkMediaType(d, MediaTypes.IMAGE_INDEX, b, out);
                    for (Descriptor m : ImageIndex.parse(b).manifests()) visit(l, m, m.platform(), out, seen, depth + 1);
                }
                case MediaTypes.IMAGE_MANIFEST -> manifest(l, d, expected, out, seen);
                default -> drain(l, d);
            }
        } catch (IOException | OciFormatException e) {
            out.add(d.digest() + " (" + d.mediaType() + "): " + e.getMessage());
        }
    }

    private static void manifest(OciLayout l, Descriptor d, Platform expected, List<String> out, Set<Digest> seen)
            throws IOException {
        byte[] b = l.document(d);
        checkMediaType(d, MediaTypes.IMAGE_MANIFEST, b, out);
        Manifest m = Manifest.parse(b);
        if (!m.config().mediaType().equals(MediaTypes.IMAGE_CONFIG)) {
            // An artifact (signature, SBOM, attestation): its blobs must still be intact.
            drain(l, m.config());
            for (Descriptor layer : m.layers()) drain(l, layer);
            return;
        }
        ImageConfig c = l.config(m.config());
        if (expected != null && !expected.equals(c.platform())) {
            out.add(d.digest() + ": index says platform " + expected + ", config says " + c.platform());
        }
        if (c.diffIds().size() != m.layers().size()) {
            out.add(d.digest() + ": manifest has " + m.layers().size() + " layers, config has " + c.diffIds().size() + " diff_ids");
        }
        long nonEmpty = c.history().stream().filter(h -> !h.emptyLayer()).count();
        if (!c.history().isEmpty() && nonEmpty != m.layers().size()) {
            out.add(d.digest() + ": config history has " + nonEmpty + " non-empty entries for " + m.layers().size() + " layers");
        }
        for (int i = 0; i < m.layers().size(); i++) {
            Descriptor layer = m.layers().get(i);
            Compression comp;
            try {
                comp = Compression.ofMediaType(layer.mediaType());
            } catch (IllegalArgumentException e) {
                out.add(layer.digest() + ": " + e.getMessage());
                continue;
            }
            try (InputStream raw = l.blob(layer); InputStream in = comp.decompress(raw)) {
                Digest diffId = Digest.sha256(in);
                raw.transferTo(OutputStream.nullOutputStream()); // reach the end, so the blob digest is checked
                if (i < c.diffIds().size() && !diffId.equals(c.diffIds().get(i))) {
                    out.add(layer.digest() + ": layer " + i + " uncompresses to " + diffId + ", config diff_id is " + c.diffIds().get(i));
                }
            } catch (IOException e) {
                out.add(layer.digest() + " (layer " + i + "): " + e.getMessage());
            }
        }
    }

    private static void checkMediaType(Descriptor d, String want, byte[] doc, List<String> out) {
        if (!d.mediaType().equals(want)) out.add(d.digest() + ": descriptor media type " + d.mediaType() + ", expected " + want);
        String inDoc = Json.text(Json.read(doc, d.mediaType()), "mediaType", d.mediaType(), false);
        if (inDoc != null && !inDoc.equals(d.mediaType())) {
            out.add(d.digest() + ": descriptor says " + d.mediaType() + ", document says " + inDoc);
        }
    }

    private static void drain(OciLayout l, Descriptor d) throws IOException {
        try (InputStream in = l.blob(d)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
