package dev.kolibri.build;

import dev.kolibri.fs.ContentDigests;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.fs.InstallReport;
import dev.kolibri.layer.ContentLayers;
import dev.kolibri.layer.ImageOwned;
import dev.kolibri.layer.LayerInput;
import dev.kolibri.layer.LayerPlan;
import dev.kolibri.layer.LayerPlanner;
import dev.kolibri.layer.OriginPlanner;
import dev.kolibri.layer.PackagePlanner;
import dev.kolibri.layer.Partition;
import dev.kolibri.layer.PlannedLayer;
import dev.kolibri.layer.PreviousPlanner;
import dev.kolibri.layer.SinglePlanner;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.oci.Compression;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Layer;
import dev.kolibri.oci.LayerCache;
import dev.kolibri.oci.LayerWriter;
import dev.kolibri.spec.Layering;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The layer stage: plans the layers of a finalized tree, splits it and writes the layers, compressed in parallel
 * (one layer per core at a time), returned in plan order. Descriptors carry the plan in their annotations.
 */
final class LayerStage {
    private LayerStage() {}

    /** One written layer: its descriptor (annotated), diffID, blob file, uncompressed size and plan entry. */
    record Written(PlannedLayer planned, Descriptor descriptor, Layer layer) {}

    /**
     * @param beforeFinalize the tree's entries before the finalize steps ran ({@link ImageOwned#snapshot})
     * @param previous       the previous build's plan for this platform, or null
     * @param contentOwners  the owners of the {@code contents:} entries' files, one layer each, in order
     */
    static List<Written> write(FileTree tree, Map<String, FileEntry> beforeFinalize, List<LockedPackage> packages,
                               List<InstallReport> reports, Layering layering, LayerPlan previous,
                               List<String> contentOwners, Compression compression, int level, long epoch,
                               Path blobDir, LayerCache cache, ContentDigests digests)
            throws IOException, InterruptedException {
        Map<String, Long> bytes = new HashMap<>();
        Map<String, List<String>> claims = new TreeMap<>();
        for (InstallReport r : reports) {
            bytes.merge(r.owner(), r.bytes(), Long::sum);
            claims.put(r.owner(), r.paths());
        }
        List<LayerInput> inputs = packages.stream()
                .map(p -> new LayerInput(p.name(), p.source(), bytes.getOrDefault(p.name(), 0L))).toList();
        LayerPlan planned = planner(layering, previous == null ? null : ContentLayers.strip(previous)).plan(inputs);
        boolean single = layering.strategy() == Layering.Strategy.SINGLE && previous == null;
        FileTree layered = single ? tree : ImageOwned.mark(beforeFinalize, tree);
        // a contents entry whose every file finalize changed (they moved to the image's layer) gets no empty layer
        Set<String> owning = new HashSet<>();
        for (FileEntry e : layered.entries()) if (ContentLayers.isContents(e.owner())) owning.add(e.owner());
        LayerPlan plan = ContentLayers.add(planned, contentOwners.stream().filter(owning::contains).toList());
        List<List<FileEntry>> parts = single
                ? Partition.partition(layered, plan)
                : Partition.partitionShared(layered, plan, claims, epoch);

        int threads = Math.max(1, Math.min(parts.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Layer>> futures = new ArrayList<>();
            for (List<FileEntry> part : parts) {
                futures.add(pool.submit(() -> LayerWriter.write(part, compression, level, epoch, blobDir, cache, digests)));
            }
            List<Written> out = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Layer layer = get(futures.get(i));
                PlannedLayer pl = plan.layers().get(i);
                out.add(new Written(pl, layer.descriptor().withAnnotations(LayerPlan.annotations(pl)), layer));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static LayerPlanner planner(Layering layering, LayerPlan previous) {
        if (previous != null) return new PreviousPlanner(previous, layering.budget());
        return switch (layering.strategy()) {
            case SINGLE -> new SinglePlanner();
            case PACKAGE -> new PackagePlanner(layering.budget());
            case ORIGIN -> new OriginPlanner(layering.budget());
        };
    }

    private static Layer get(Future<Layer> f) throws IOException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IOException(c.getMessage(), c);
        }
    }

    /** Deletes the blob files once they are in the layout (two layers may share one file). */
    static void cleanUp(List<Written> layers) throws IOException {
        for (Written w : layers) Files.deleteIfExists(w.layer().blob());
    }
}
