package dev.kolibri.inspect;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageRef;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What changed between two images, per platform: packages added, removed and changed (from the package
 * databases the images carry), layers reused and new (by digest), and the bytes a client holding the old image
 * must pull to get the new one.
 */
public final class ImageDiff {
    private ImageDiff() {}

    /** The difference per platform; a platform only one side has is listed with the other side empty. */
    public record Result(String oldImage, String newImage, List<PlatformDiff> platforms) {
        public Result {
            platforms = List.copyOf(platforms);
        }
    }

    /**
     * @param bytesToPull the compressed sizes of the new image's layers the old one lacks (each distinct digest
     *                    once), plus the new config and manifest
     */
    public record PlatformDiff(String platform, String oldManifest, String newManifest, List<PackageChange> added,
                               List<PackageChange> removed, List<PackageChange> changed, List<LayerRef> reusedLayers,
                               List<LayerRef> newLayers, long bytesToPull, long newImageBytes) {}

    /** A package: for {@code changed} both versions, for {@code added} only the new, for {@code removed} the old. */
    public record PackageChange(String name, String arch, String oldVersion, String newVersion) {}

    /** A layer by digest and compressed size, with the layer name its image gave it (or empty). */
    public record LayerRef(String digest, long size, String name) {}

    public static Result diff(ImageRef oldRef, ImageRef newRef) throws IOException {
        OciLayout oldLayout = LayoutReader.open(oldRef.dir());
        OciLayout newLayout = LayoutReader.open(newRef.dir());
        Map<String, OciLayout.Image> olds = byPlatform(oldLayout.images(oldRef.tag(), p -> true));
        Map<String, OciLayout.Image> news = byPlatform(newLayout.images(newRef.tag(), p -> true));
        Set<String> platforms = new LinkedHashSet<>(news.keySet());
        platforms.addAll(olds.keySet());
        List<PlatformDiff> out = new ArrayList<>();
        for (String p : platforms) out.add(platform(p, oldLayout, olds.get(p), newLayout, news.get(p)));
        return new Result(oldRef.toString(), newRef.toString(), out);
    }

    private static Map<String, OciLayout.Image> byPlatform(List<OciLayout.Image> images) {
        Map<String, OciLayout.Image> m = new TreeMap<>();
        for (OciLayout.Image i : images) m.putIfAbsent(i.platform().toString(), i);
        return m;
    }

    private static PlatformDiff platform(String platform, OciLayout oldLayout, OciLayout.Image oldImage,
                                         OciLayout newLayout, OciLayout.Image newImage) throws IOException {
        Map<String, Inspection.InstalledPackage> oldPk = packages(oldLayout, oldImage);
        Map<String, Inspection.InstalledPackage> newPk = packages(newLayout, newImage);
        List<PackageChange> added = new ArrayList<>();
        List<PackageChange> removed = new ArrayList<>();
        List<PackageChange> changed = new ArrayList<>();
        for (var e : newPk.entrySet()) {
            Inspection.InstalledPackage o = oldPk.get(e.getKey());
            Inspection.InstalledPackage n = e.getValue();
            if (o == null) added.add(new PackageChange(n.name(), n.arch(), null, n.version()));
            else if (!o.version().equals(n.version())) changed.add(new PackageChange(n.name(), n.arch(), o.version(), n.version()));
        }
        for (var e : oldPk.entrySet()) {
            if (!newPk.containsKey(e.getKey())) {
                Inspection.InstalledPackage o = e.getValue();
                removed.add(new PackageChange(o.name(), o.arch(), o.version(), null));
            }
        }
        Set<String> held = new java.util.HashSet<>();
        if (oldImage != null) for (Descriptor d : oldImage.manifest().layers()) held.add(d.digest().toString());
        List<LayerRef> reused = new ArrayList<>();
        List<LayerRef> fresh = new ArrayList<>();
        long pull = 0;
        long total = 0;
        if (newImage != null) {
            Set<String> counted = new java.util.HashSet<>();
            for (Descriptor d : newImage.manifest().layers()) {
                LayerRef ref = new LayerRef(d.digest().toString(), d.size(),
                        d.annotations().getOrDefault(dev.kolibri.layer.LayerPlan.NAME_ANNOTATION, ""));
                total += d.size();
                if (held.contains(ref.digest())) {
                    reused.add(ref);
                } else {
                    fresh.add(ref);
                    if (counted.add(ref.digest())) pull += d.size();
                }
            }
            long docs = newImage.manifest().config().size() + newImage.descriptor().size();
            pull += docs;
            total += docs;
        }
        return new PlatformDiff(platform, oldImage == null ? null : oldImage.descriptor().digest().toString(),
                newImage == null ? null : newImage.descriptor().digest().toString(), added, removed, changed,
                reused, fresh, pull, total);
    }

    private static Map<String, Inspection.InstalledPackage> packages(OciLayout layout, OciLayout.Image image)
            throws IOException {
        Map<String, Inspection.InstalledPackage> m = new TreeMap<>();
        if (image == null) return m;
        for (Inspection.InstalledPackage p : InstalledPackages.read(ImageFiles.flatten(layout, image))) {
            m.put(p.name() + ":" + p.arch(), p);
        }
        return m;
    }
}
