package dev.kolibri.build;

import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.DownloadOptions;
import dev.kolibri.fetch.Downloader;
import dev.kolibri.fetch.FetchException;
import dev.kolibri.fetch.Progress;
import dev.kolibri.finalize.FinalizeContext;
import dev.kolibri.finalize.FinalizeResult;
import dev.kolibri.fs.ContentDigests;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.PayloadCache;
import dev.kolibri.layer.ContentLayers;
import dev.kolibri.layer.LayerPlan;
import dev.kolibri.layer.PreviousImage;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageConfig;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.LayerCache;
import dev.kolibri.oci.LayoutWriter;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.Platform;
import dev.kolibri.spec.ImageSpec;

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
    private final TreeCheck check;
    private final PreviousImage.Opener previousOpener;
    private final PackageSources sources;
    private final EntrypointCheck.Providers providers;

    public ImageBuilder(ContentStore store, Progress progress, BuildEvents events) {
        this(store, progress, events, TreeCheck.NONE, PreviousImage.Opener.LAYOUTS, PackageSources.system(),
                EntrypointCheck.Providers.NONE);
    }

    private ImageBuilder(ContentStore store, Progress progress, BuildEvents events, TreeCheck check,
                         PreviousImage.Opener previousOpener, PackageSources sources, EntrypointCheck.Providers providers) {
        this.store = store;
        this.progress = progress;
        this.events = events;
        this.check = check;
        this.previousOpener = previousOpener;
        this.sources = sources;
        this.providers = providers;
    }

    /** This builder naming, when an entrypoint is missing, the packages {@code providers} says would provide it. */
    public ImageBuilder withProviders(EntrypointCheck.Providers providers) {
        return new ImageBuilder(store, progress, events, check, previousOpener, sources, providers);
    }

    /** This builder with {@code check} run on each arch's finalized tree before its layers are written. */
    public ImageBuilder withCheck(TreeCheck check) {
        return new ImageBuilder(store, progress, events, check, previousOpener, sources, providers);
    }

    /** This builder reading {@code --previous} through {@code opener} (e.g. one that also reads registries). */
    public ImageBuilder withPreviousOpener(PreviousImage.Opener opener) {
        return new ImageBuilder(store, progress, events, check, opener, sources, providers);
    }

    /** This builder finding the lock's {@code url: system} repositories in {@code sources} (default: this machine's). */
    public ImageBuilder withSources(PackageSources sources) {
        return new ImageBuilder(store, progress, events, check, previousOpener, sources, providers);
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

        if (lock.isLegacy()) {
            recording.warn((spec.source() == null ? "the lock" : Lockfile.pathFor(spec).toString()) + " is of format 1 (it names mirror "
                    + "URLs and no distro identity); run `kolibri lock " + (spec.source() == null ? spec.name() : spec.source())
                    + "` to update it");
        }
        PreviousImage prev = opts.previous() == null ? null : previousOpener.open(opts.previous());
        List<String> tags = opts.tags().isEmpty() ? List.of(tagOf(spec)) : opts.tags();
        String tag = tags.get(0);
        // the output first: a directory that is not a layout, or a parent that cannot be written, is refused
        // before anything is downloaded
        try (LayoutWriter out = LayoutWriter.create(opts.output())) {
            SbomStage sboms = new SbomStage(spec.name(), tag, SbomStage.toolVersion());
            Map<String, Path> files = fetch(lock, archs, opts.offline());
            List<Descriptor> manifests = new ArrayList<>();
            List<BuildResult.PlatformImage> images = new ArrayList<>();
            for (String arch : archs) {
                recording.info("building " + spec.name() + " for linux/" + arch);
                PlatformBuild pb = buildArch(spec, lock, files, arch, opts, out, recording, sboms, prev);
                manifests.add(pb.descriptor());
                images.add(pb.summary());
            }
            ImageIndex index = new ImageIndex(manifests, Map.of(), null, null);
            Descriptor indexDesc = out.addBlob(MediaTypes.IMAGE_INDEX, index.toJson());
            // The index under the tag; each platform's manifest also under TAG-ARCH, for tools that take one
            // image per tag (umoci refuses a tag that leads to several manifests); then the SBOM artifacts.
            List<Descriptor> entries = new ArrayList<>();
            for (String t : tags) entries.add(indexDesc.withAnnotations(Map.of(ImageIndex.REF_NAME, t)));
            for (String t : tags) {
                for (Descriptor m : manifests) {
                    entries.add(m.withAnnotations(Map.of(ImageIndex.REF_NAME, t + "-" + m.platform().architecture())));
                }
            }
            entries.addAll(sboms.indexEntries());
            sboms.stage(out, spec, lock, indexDesc.digest(), archs);
            out.commit(new ImageIndex(entries, Map.of(), null, null));
            recording.info("wrote " + opts.output() + " (" + tag + ", " + indexDesc.digest() + "; SBOMs and provenance in "
                    + sbomDirOf(opts.output(), tag) + ")");
            return new BuildResult(opts.output(), tag, indexDesc.digest(), images, warnings);
        }
    }

    /**
     * Where a build puts the SBOMs and provenance of the image {@code tag} in the layout {@code layout}:
     * {@code <layout>/sbom/<tag>/}, holding {@code <arch>.spdx.json}, {@code <arch>.cdx.json} and
     * {@code provenance.intoto.json}. Inside the layout, so that they appear with it in one rename.
     */
    public static Path sbomDirOf(Path layout, String tag) {
        return SbomStage.dirFor(layout, tag);
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
                if (bySha.containsKey(p.sha256())) continue;
                URI url;
                try {
                    url = sources.url(lock.repositoryOf(p), p, arch);
                } catch (BuildException e) {
                    // a cached package needs no source: the lock still builds from the cache where its repository
                    // is not configured (--offline on another machine)
                    if (!store.contains(p.sha256())) throw e;
                    url = URI.create("file:/nonexistent/kolibri-cache-only/" + p.sha256());
                }
                bySha.put(p.sha256(), new Downloader.Request(p.name() + " " + p.version() + " (" + p.arch() + ")",
                        url, p.size(), p.sha256()));
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

    private PlatformBuild buildArch(ImageSpec spec, Lockfile lock, Map<String, Path> files, String arch,
                                    BuildOptions opts, LayoutWriter out, BuildEvents ev, SbomStage sboms,
                                    PreviousImage prev) throws Exception {
        List<LockedPackage> packages = lock.packages().get(arch);
        Platform platform = Platform.ofArch(arch);
        PackageInstaller installer = PackageInstaller.of(spec);
        ContentDigests digests = new ContentDigests();
        // contents not kept by the payload cache are spilled to disk here (deleted once the image is written)
        Path spill = store.root().resolve("spill").resolve(arch + "-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()));
        try (dev.kolibri.fs.Unpacking unpacking = dev.kolibri.fs.Unpacking.spilling(spec.limits(), spill)) {
            return buildArch(spec, lock, packages, platform, installer, digests, unpacking, arch, files, opts, out,
                    ev, sboms, prev);
        }
    }

    private PlatformBuild buildArch(ImageSpec spec, Lockfile lock, List<LockedPackage> packages, Platform platform,
                                    PackageInstaller installer, ContentDigests digests,
                                    dev.kolibri.fs.Unpacking unpacking, String arch, Map<String, Path> files,
                                    BuildOptions opts, LayoutWriter out, BuildEvents ev, SbomStage sboms,
                                    PreviousImage prev) throws Exception {
        ev.info(arch + ": unpacking " + packages.size() + " packages");
        RootFs installed = installer.install(packages, files, arch, payloadCache(opts, digests), unpacking, ev);
        // trim: what no runtime reads, before the database is written (it names what stays) and before contents:
        // and finalize add theirs (never trimmed)
        RootFs root = installed.trim(spec.trim());
        if (root.trimmed().active()) {
            ev.info(arch + ": trimmed " + root.trimmed().removed().size() + " paths (" + String.format(java.util.Locale.ROOT,
                    "%.1f MiB", root.trimmed().bytes() / 1048576.0) + ")");
        }
        ev.info(arch + ": unpacked " + root.tree().entries().size() + " files; finalizing");
        long epoch = opts.sourceDateEpoch() != null ? opts.sourceDateEpoch() : root.newestMtime();
        root.writeDatabase(epoch);
        // contents: local files, before finalize so that its steps see them (local CA certificates join the bundle)
        List<String> contentOwners = Contents.place(spec, root.tree(), epoch);
        Contents.caWarning(installer.ecosystem(), root.tree()).ifPresent(w -> ev.warn(arch + ": " + w));

        dev.kolibri.pkg.Distro distro = distroOf(installer, lock);
        boolean osReleaseShipped = !dev.kolibri.finalize.OsRelease.read(root.tree()).isEmpty();
        FinalizeContext ctx = FinalizeContext.of(installer.ecosystem(), epoch)
                .withOsReleaseDefaults(distro == null ? Map.of() : distro.osRelease())
                .withRunAsUser(spec.user())
                .withAllowShell(spec.allowShell())
                .withInstalledPackages(new TreeSet<>(packages.stream().map(LockedPackage::name).toList()));
        Map<String, FileEntry> beforeFinalize = dev.kolibri.layer.ImageOwned.snapshot(root.tree());
        FinalizeResult fin = installer.finalizer().apply(root.tree(), ctx);
        fin.warnings().forEach(w -> ev.warn(arch + ": " + w));
        EntrypointCheck.check(spec.name(), arch, spec.entrypoint(), spec.cmd(), spec.workdir(), env(spec, fin),
                root.tree(), providers);
        // the labels derived from the main package, in the config and as a file in the last layer
        Map<String, String> labels = labels(spec, epoch, distro, osReleaseShipped, DerivedLabels.of(spec, root.tree(), distro, arch));
        if (spec.main() != null) DerivedLabels.write(root.tree(), labels, epoch);
        check.check(arch, packages, root.tree());
        // From here on the tree is only read: describe it for the SBOMs while the layers are written.
        java.util.concurrent.FutureTask<SbomStage.Described> described = new java.util.concurrent.FutureTask<>(
                () -> sboms.describe(platform, root.tree(), installer.reader(), lock, packages, epoch));
        Thread describer = new Thread(described, "kolibri-sbom-" + arch);
        describer.setDaemon(true);
        describer.start();

        LayerPlan previous = null;
        if (prev != null) {
            previous = prev.plan(platform).orElse(null);
            if (previous == null) ev.warn(arch + ": --previous " + prev + " has no image for " + platform + "; planning afresh");
        }
        List<Descriptor> layerDescs = new ArrayList<>();
        List<dev.kolibri.oci.Digest> diffIds = new ArrayList<>();
        List<String> history = new ArrayList<>();
        long compressed = 0;
        Path blobTmp = Files.createTempDirectory(out.stagingDir(), "layers");
        int level = opts.compressionLevel() != null ? opts.compressionLevel() : opts.compression().defaultLevel();
        ev.info(arch + ": writing the layers (" + opts.compression().name().toLowerCase(java.util.Locale.ROOT) + " level " + level
                + ", unchanged ones from the layer cache)");
        List<LayerStage.Written> written = LayerStage.write(root.tree(), beforeFinalize, packages, root.reports(),
                spec.layering(), previous, contentOwners, opts.compression(), level, epoch, blobTmp, layerCache(opts),
                digests);
        for (LayerStage.Written w : written) {
            Descriptor d = w.descriptor();
            out.moveBlob(w.layer());
            layerDescs.add(d);
            diffIds.add(w.layer().diffId());
            history.add(ContentLayers.isContents(w.planned().name())
                    ? "kolibri: layer " + w.planned().name() + " (local files)"
                    : "kolibri: layer " + w.planned().name() + " (" + w.planned().packages().size() + " packages)");
            compressed += d.size();
        }
        ev.info(arch + ": wrote " + written.size() + " layers, " + String.format(java.util.Locale.ROOT, "%.1f MiB",
                compressed / 1048576.0) + " compressed");
        LayerStage.cleanUp(written);
        Files.deleteIfExists(blobTmp);

        ImageConfig config = ImageConfig.of(platform, String.valueOf(spec.user()), env(spec, fin),
                spec.entrypoint(), spec.cmd(), spec.workdir(), labels, epoch, diffIds,
                history);
        Descriptor configDesc = out.addBlob(MediaTypes.IMAGE_CONFIG, config.toJson());
        Manifest manifest = new Manifest(configDesc, layerDescs, Map.of(), null, null);
        Descriptor manDesc = out.addBlob(MediaTypes.IMAGE_MANIFEST, manifest.toJson()).withPlatform(platform);
        sboms.attach(out, platform, manDesc, layerDescs, awaitDescribed(described));
        // "unpacked" is the bytes of the image's files, as `kolibri inspect` counts them (not the layer tars' bytes)
        long unpacked = root.tree().entries().stream().mapToLong(FileEntry::size).sum();
        return new PlatformBuild(manDesc, new BuildResult.PlatformImage(platform, manDesc.digest(), packages.size(),
                layerDescs.size(), compressed, unpacked));
    }

    /**
     * Decoded payloads: {@code <cache>/payloads/v2}, keyed by package sha256 (see {@link PayloadCache}). Entries of
     * format 4 and later (contents read in place, as regions of the entry file) live in {@code v2} (where names are also no longer renamed when they are not UTF-8), so that a build
     * of an older Kolibri, which replaces entries of a format it does not know, never rewrites a file this build
     * is reading from.
     */
    private PayloadCache payloadCache(BuildOptions opts, ContentDigests digests) {
        return opts.buildCache() ? PayloadCache.at(store.root().resolve("payloads").resolve("v2"), digests)
                : PayloadCache.disabled();
    }

    /** Compressed layers: {@code <cache>/layers/v2}, keyed by recipe (see {@link LayerCache}). */
    private LayerCache layerCache(BuildOptions opts) {
        return opts.buildCache() ? LayerCache.at(store.root().resolve("layers").resolve("v2")) : LayerCache.disabled();
    }

    private static SbomStage.Described awaitDescribed(java.util.concurrent.FutureTask<SbomStage.Described> task)
            throws Exception {
        try {
            return task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    private static List<String> env(ImageSpec spec, FinalizeResult fin) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.putAll(fin.envAdditions());
        env.putAll(spec.env());
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** The release the lock's repositories name (the base release when several: bookworm over its backports). */
    static dev.kolibri.pkg.Distro distroOf(PackageInstaller installer, Lockfile lock) {
        List<dev.kolibri.pkg.RepositoryRelease> releases = new ArrayList<>();
        for (var r : lock.repositories()) if (r.release() != null) releases.add(r.release());
        return installer.model().baseDistro(releases);
    }

    /**
     * The image's labels: title, version, created, the definition's digest; {@code dev.kolibri.image.distro} (the
     * release its packages come from, {@code debian-12}) and, when no package shipped an os-release and Kolibri
     * wrote it from that release, {@code dev.kolibri.image.os-release=kolibri}; then those derived from the main
     * package ({@link DerivedLabels}); then the definition's own.
     */
    private static Map<String, String> labels(ImageSpec spec, long epoch, dev.kolibri.pkg.Distro distro,
                                              boolean osReleaseShipped, Map<String, String> derived) {
        Map<String, String> l = new TreeMap<>();
        if (distro != null) l.put("dev.kolibri.image.distro", distro.key());
        if (!osReleaseShipped) l.put("dev.kolibri.image.os-release", "kolibri");
        l.put("org.opencontainers.image.title", spec.name());
        if (spec.version() != null) l.put("org.opencontainers.image.version", spec.version());
        l.put("org.opencontainers.image.created", Instant.ofEpochSecond(epoch).toString());
        l.put("dev.kolibri.image.spec-digest", spec.digest().toString());
        l.putAll(derived);
        l.putAll(spec.labels());
        return l;
    }
}
