package dev.kolibri.oci;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.layer.LayerPlan;
import dev.kolibri.layer.Partition;
import dev.kolibri.layer.PlannedLayer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds images and layouts from {@link Trees} the way the pipeline will: partition, layers, config, manifest. */
final class Images {
    private Images() {}

    /** A built image: the manifest and everything it needs. */
    record Built(Manifest manifest, byte[] manifestJson, ImageConfig config, byte[] configJson, List<Layer> layers,
                 Platform platform) {
        Descriptor descriptor() {
            return Descriptor.of(MediaTypes.IMAGE_MANIFEST, manifestJson).withPlatform(platform);
        }

        void addTo(LayoutWriter w) throws IOException {
            for (Layer l : layers) w.addBlob(l.blob(), l.descriptor());
            w.addBlob(MediaTypes.IMAGE_CONFIG, configJson);
            w.addBlob(MediaTypes.IMAGE_MANIFEST, manifestJson);
        }
    }

    /** amd64: two layers (base-files below, the rest above), gzip; arm64: one layer, zstd. */
    static Built image(String arch, Path blobDir) throws IOException {
        FileTree tree = Trees.tree(arch);
        LayerPlan plan = arch.equals("amd64")
                ? new LayerPlan(List.of(new PlannedLayer("base", List.of("base-files")),
                new PlannedLayer("rest", List.of("", "coreutils", "login"))))
                : new LayerPlan(List.of(new PlannedLayer("rootfs", List.of())));
        Compression c = arch.equals("amd64") ? Compression.GZIP : Compression.ZSTD;
        List<Layer> layers = new ArrayList<>();
        List<Descriptor> descs = new ArrayList<>();
        List<String> createdBy = new ArrayList<>();
        List<List<FileEntry>> parts = Partition.partition(tree, plan);
        for (int i = 0; i < parts.size(); i++) {
            Layer l = LayerWriter.write(parts.get(i), c, Trees.EPOCH, blobDir);
            layers.add(l);
            PlannedLayer p = plan.layers().get(i);
            descs.add(l.descriptor().withAnnotations(Map.of(LayerPlan.PACKAGES_ANNOTATION, p.packagesAnnotation())));
            createdBy.add("kolibri layer " + p.name());
        }
        Platform platform = Platform.ofArch(arch);
        ImageConfig config = ImageConfig.of(platform, "65532", List.of("PATH=/usr/bin", "LANG=C.UTF-8"),
                List.of("/usr/bin/tool"), List.of("--help"), "/home/nonroot", Map.of("b", "2", "a", "1"), Trees.EPOCH,
                layers.stream().map(Layer::diffId).toList(), createdBy);
        byte[] configJson = config.toJson();
        Manifest m = new Manifest(Descriptor.of(MediaTypes.IMAGE_CONFIG, configJson), descs,
                Map.of("org.opencontainers.image.created", "2023-11-14T22:13:20Z"), null, null);
        return new Built(m, m.toJson(), config, configJson, layers, platform);
    }

    static Descriptor tagged(Descriptor d, String tag) {
        return d.withAnnotations(Map.of(ImageIndex.REF_NAME, tag));
    }

    /** A layout whose {@code tag} names an image index over amd64 and arm64. */
    static ImageIndex multiArch(Path target, String tag, Path work) throws IOException {
        Built amd = image("amd64", Files.createDirectories(work.resolve("amd64")));
        Built arm = image("arm64", Files.createDirectories(work.resolve("arm64")));
        ImageIndex nested = ImageIndex.of(List.of(amd.descriptor(), arm.descriptor()));
        try (LayoutWriter w = LayoutWriter.create(target)) {
            amd.addTo(w);
            arm.addTo(w);
            Descriptor idx = w.addBlob(MediaTypes.IMAGE_INDEX, nested.toJson());
            w.commit(ImageIndex.of(List.of(tagged(idx, tag))));
        }
        return nested;
    }

    /** A layout whose {@code tag} names the amd64 manifest directly. */
    static Built singleArch(Path target, String tag, Path work) throws IOException {
        Built amd = image("amd64", Files.createDirectories(work.resolve("single")));
        try (LayoutWriter w = LayoutWriter.create(target)) {
            amd.addTo(w);
            w.commit(ImageIndex.of(List.of(tagged(amd.descriptor(), tag))));
        }
        return amd;
    }
}
