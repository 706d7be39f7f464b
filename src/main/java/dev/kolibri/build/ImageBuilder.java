package dev.kolibri.build;

import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.DownloadOptions;
import dev.kolibri.fetch.Downloader;
import dev.kolibri.fetch.FetchException;
import dev.kolibri.fetch.Progress;
import dev.kolibri.finalize.FinalizeContext;
import dev.kolibri.finalize.FinalizeResult;
import dev.kolibri.finalize.Finalizer;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.layer.LayerInput;
import dev.kolibri.layer.LayerPlan;
import dev.kolibri.layer.LayerPlanner;
import dev.kolibri.layer.Partition;
import dev.kolibri.layer.PlannedLayer;
import dev.kolibri.layer.SinglePlanner;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageConfig;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.Layer;
import dev.kolibri.oci.LayerWriter;
import dev.kolibri.oci.LayoutWriter;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.Platform;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.Layering;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The build stages after resolution, for one (effective) image definition and its lock: fetch, install,
 * finalize, layer, assemble, write. Same lock in, same bytes out.
 */
public final class ImageBuilder {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final ContentStore store;
    private final Progress progress;
    private final BuildEvents events;

    public ImageBuilder(ContentStore store, Progress progress, BuildEvents events) {
        this.store = store;
        this.progress = progress;
        this.events = events;
    }

    /** Builds every requested arch of {@code spec} (a variant already applied) from {@code lock} into a layout. */
    public BuildResult build(ImageSpec spec, Lockfile lock, BuildOptions opts) throws Exception {
        List<String> archs = opts.archs().isEmpty() ? spec.archs() : opts.archs();
        for (String a : archs) {
            if (!lock.packages().containsKey(a)) {
                throw new BuildException("the lock has no packages for arch " + a + " (it has " + lock.packages().keySet()
                        + "); add the arch to the definition and run `kolibri lock` again");
            }
        }
        List<String> warnings = new CopyOnWriteArrayList<>();
        BuildEvents recording = new BuildEvents() {
            @Override public void info(String line) { events.info(line); }
            @Override public void warn(String line) { warnings.add(line); events.warn(line); }
        };

        Map<String, Path> files = fetch(lock, archs, opts.offline());
        String tag = tagOf(spec);
        Files.createDirectories(opts.output().toAbsolutePath().getParent());
        try (LayoutWriter out = LayoutWriter.create(opts.output())) {
            List<Descriptor> manifests = new ArrayList<>();
            List<BuildResult.PlatformImage> images = new ArrayList<>();
            for (String arch : archs) {
                recording.info("building " + spec.name() + " for linux/" + arch);
                PlatformBuild pb = buildArch(spec, lock.packages().get(arch), files, arch, opts, out, recording);
                manifests.add(pb.descriptor());
                images.add(pb.summary());
            }
            ImageIndex index = new ImageIndex(manifests, Map.of(), null, null);
            Descriptor indexDesc = out.addBlob(MediaTypes.IMAGE_INDEX, index.toJson());
            Descriptor tagged = indexDesc.withAnnotations(Map.of(ImageIndex.REF_NAME, tag));
            out.commit(new ImageIndex(List.of(tagged), Map.of(), null, null));
            recording.info("wrote " + opts.output() + " (" + tag + ", " + indexDesc.digest() + ")");
            return new BuildResult(opts.output(), tag, indexDesc.digest(), images, warnings);
        }
    }

    /** {@code VERSION} or {@code latest}, with {@code -VARIANT} for a variant. */
    public static String tagOf(ImageSpec spec) {
        String base = spec.version() == null ? "latest" : spec.version();
        return spec.variant() == null ? base : base + "-" + spec.variant();
    }

    private Map<String, Path> fetch(Lockfile lock, List<String> archs, boolean offline) throws Exception {
        Map<String, Downloader.Request> bySha = new TreeMap<>();
        for (String arch : archs) {
            for (LockedPackage p : lock.packages().get(arch)) {
                bySha.putIfAbsent(p.sha256(), new Downloader.Request(p.name() + " " + p.version() + " (" + p.arch() + ")",
                        URI.create(p.url()), p.size(), p.sha256()));
            }
        }
        Downloader d = new Downloader(store, DownloadOptions.defaults().withOffline(offline), progress);
        Map<Downloader.Request, Path> got;
        try {
            got = d.fetchAll(new ArrayList<>(bySha.values()));
        } catch (FetchException e) {
            throw new BuildException(oneLine(e.failures()), e);
        }
        Map<String, Path> out = new HashMap<>();
        got.forEach((r, p) -> out.put(r.sha256(), p));
        return out;
    }

    /** The fetch failures on one line (the CLI shows exactly one {@code error:} line): the first few, then a count. */
    static String oneLine(List<String> failures) {
        if (failures.size() == 1) return failures.get(0);
        int shown = Math.min(3, failures.size());
        String s = failures.size() + " packages could not be fetched: " + String.join("; ", failures.subList(0, shown));
        return failures.size() > shown ? s + "; and " + (failures.size() - shown) + " more" : s;
    }

    private record PlatformBuild(Descriptor descriptor, BuildResult.PlatformImage summary) {}

    private PlatformBuild buildArch(ImageSpec spec, List<LockedPackage> packages, Map<String, Path> files, String arch,
                                    BuildOptions opts, LayoutWriter out, BuildEvents ev) throws Exception {
        Platform platform = Platform.ofArch(arch);
        RootFs root = RootFs.installDeb(packages, files, ev);
        long epoch = opts.sourceDateEpoch() != null ? opts.sourceDateEpoch() : root.newestMtime();
        root.writeDpkgDatabase(epoch);

        FinalizeContext ctx = FinalizeContext.of("deb", epoch)
                .withRunAsUser(spec.user())
                .withAllowShell(spec.allowShell())
                .withInstalledPackages(new TreeSet<>(packages.stream().map(LockedPackage::name).toList()));
        FinalizeResult fin = Finalizer.standardDeb().apply(root.tree(), ctx);
        fin.warnings().forEach(w -> ev.warn(arch + ": " + w));

        LayerPlan plan = planner(spec.layering()).plan(packages.stream()
                .map(p -> new LayerInput(p.name(), p.source(), p.size())).toList());
        List<List<FileEntry>> parts = Partition.partition(root.tree(), plan);
        List<Descriptor> layerDescs = new ArrayList<>();
        List<dev.kolibri.oci.Digest> diffIds = new ArrayList<>();
        List<String> history = new ArrayList<>();
        long compressed = 0;
        long uncompressed = 0;
        Path blobTmp = Files.createTempDirectory(out.stagingDir(), "layers");
        for (int i = 0; i < parts.size(); i++) {
            PlannedLayer pl = plan.layers().get(i);
            Layer layer = LayerWriter.write(parts.get(i), opts.compression(), epoch, blobTmp);
            Descriptor d = layer.descriptor().withAnnotations(Map.of(LayerPlan.PACKAGES_ANNOTATION, pl.packagesAnnotation()));
            out.addBlob(layer.blob(), d);
            Files.deleteIfExists(layer.blob());
            layerDescs.add(d);
            diffIds.add(layer.diffId());
            history.add("kolibri: layer " + pl.name() + " (" + pl.packages().size() + " packages)");
            compressed += d.size();
            uncompressed += layer.uncompressedSize();
        }
        Files.deleteIfExists(blobTmp);

        ImageConfig config = ImageConfig.of(platform, String.valueOf(spec.user()), env(spec, fin),
                spec.entrypoint(), spec.cmd(), spec.workdir(), labels(spec, epoch), epoch, diffIds, history);
        Descriptor configDesc = out.addBlob(MediaTypes.IMAGE_CONFIG, config.toJson());
        Manifest manifest = new Manifest(configDesc, layerDescs, Map.of(), null, null);
        Descriptor manDesc = out.addBlob(MediaTypes.IMAGE_MANIFEST, manifest.toJson()).withPlatform(platform);
        return new PlatformBuild(manDesc, new BuildResult.PlatformImage(platform, manDesc.digest(), packages.size(),
                layerDescs.size(), compressed, uncompressed));
    }

    static LayerPlanner planner(Layering layering) {
        // `package` and `origin` strategies arrive with the layering issue; until then every strategy is one layer.
        return new SinglePlanner();
    }

    private static List<String> env(ImageSpec spec, FinalizeResult fin) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.putAll(fin.envAdditions());
        env.putAll(spec.env());
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static Map<String, String> labels(ImageSpec spec, long epoch) {
        Map<String, String> l = new TreeMap<>();
        l.put("org.opencontainers.image.title", spec.name());
        if (spec.version() != null) l.put("org.opencontainers.image.version", spec.version());
        l.put("org.opencontainers.image.created", Instant.ofEpochSecond(epoch).toString());
        l.put("dev.kolibri.image.spec-digest", spec.digest().toString());
        l.putAll(spec.labels());
        return l;
    }
}
