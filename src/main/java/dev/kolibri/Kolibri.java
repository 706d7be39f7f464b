package dev.kolibri;

import dev.kolibri.build.BuildEvents;
import dev.kolibri.build.BuildException;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.build.BuildResult;
import dev.kolibri.build.ImageBuilder;
import dev.kolibri.build.PackageSources;
import dev.kolibri.build.Locker;
import dev.kolibri.build.TreeCheck;
import dev.kolibri.layer.PreviousImage;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.lock.LockMismatchException;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.repo.AptSources;
import dev.kolibri.repo.HttpMetadataClient;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecLoader;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The library's front door: the whole pipeline with this machine's defaults (apt sources, cache, progress on
 * stderr). Each step is also usable on its own through the stage classes in {@code dev.kolibri.build}.
 */
public final class Kolibri {
    private final ContentStore store;
    private final Progress progress;
    private final BuildEvents events;
    private final AptSources system;
    private final Path yumRoot;
    private final PreviousImage.Opener previousOpener;

    public Kolibri(ContentStore store, Progress progress, BuildEvents events, AptSources system) {
        this(store, progress, events, system, Path.of("/"));
    }

    /** @param yumRoot the root whose {@code etc/yum.repos.d} is {@code url: system} for rpm images */
    public Kolibri(ContentStore store, Progress progress, BuildEvents events, AptSources system, Path yumRoot) {
        this(store, progress, events, system, yumRoot, PreviousImage.Opener.LAYOUTS);
    }

    private Kolibri(ContentStore store, Progress progress, BuildEvents events, AptSources system, Path yumRoot,
                    PreviousImage.Opener previousOpener) {
        this.store = store;
        this.progress = progress;
        this.events = events;
        this.system = system;
        this.yumRoot = yumRoot;
        this.previousOpener = previousOpener;
    }

    /** This front door reading {@code build --previous} through {@code opener} (layouts only by default). */
    public Kolibri withPreviousOpener(PreviousImage.Opener opener) {
        return new Kolibri(store, progress, events, system, yumRoot, opener);
    }

    /** This machine's defaults: {@code $XDG_CACHE_HOME/kolibri}, progress on stderr, {@code /etc/apt} sources. */
    public static Kolibri defaults(BuildEvents events) throws dev.kolibri.repo.RepositoryException {
        return new Kolibri(ContentStore.defaultStore(), Progress.forStderr(), events, AptSources.system());
    }

    /** Loads a definition and applies a variant (null: the base image). */
    public static ImageSpec load(Path specFile, String variant) {
        ImageSpec spec = SpecLoader.load(specFile);
        return variant == null ? spec : spec.withVariant(variant);
    }

    /** Resolves {@code spec} and writes its lockfile beside the definition; returns the lock. */
    public Lockfile lock(ImageSpec spec) throws Exception {
        Lockfile lock = new Locker(new HttpMetadataClient(), system, yumRoot, events).lock(spec);
        Path path = Lockfile.pathFor(spec);
        lock.write(path);
        events.info("wrote " + path);
        return lock;
    }

    /**
     * Builds {@code spec}: from its lock when there is one that matches, else after locking (refused with
     * {@code --locked} or {@code --offline}).
     */
    public BuildResult build(ImageSpec spec, BuildOptions opts) throws Exception {
        return build(spec, opts, TreeCheck.NONE);
    }

    /** {@link #build(ImageSpec, BuildOptions)} with {@code check} run on each arch's tree before anything is written. */
    public BuildResult build(ImageSpec spec, BuildOptions opts, TreeCheck check) throws Exception {
        // an output that cannot be written is refused before the repositories are read
        dev.kolibri.oci.LayoutWriter.check(opts.output());
        Lockfile lock = lockFor(spec, opts.locked(), opts.offline());
        // a missing entrypoint is named with the packages the repositories say would provide it (not offline)
        dev.kolibri.build.EntrypointCheck.Providers providers = opts.offline() ? dev.kolibri.build.EntrypointCheck.Providers.NONE
                : (path, arch) -> new Locker(new HttpMetadataClient(), system, yumRoot, BuildEvents.SILENT)
                        .providersOf(spec, arch, path);
        return new ImageBuilder(store, progress, events).withCheck(check).withPreviousOpener(previousOpener)
                .withSources(new PackageSources(system, yumRoot)).withProviders(providers)
                .build(spec, lock, opts);
    }

    /**
     * The lock {@code spec} builds from: the one beside it when it matches, else a new one (refused when
     * {@code locked} or {@code offline}, which never resolve).
     */
    public Lockfile lockFor(ImageSpec spec, boolean locked, boolean offline) throws Exception {
        Path lockPath = Lockfile.pathFor(spec);
        Lockfile lock;
        if (Files.exists(lockPath)) {
            lock = Lockfile.read(lockPath);
            try {
                lock.checkMatches(spec);
                dev.kolibri.build.Contents.checkLock(spec, lock);
            } catch (LockMismatchException e) {
                if (locked || offline) throw e;
                events.warn(lockPath + " no longer matches the definition; resolving again");
                lock = lock(spec);
            }
        } else if (locked) {
            throw new BuildException("--locked, but there is no lock " + lockPath + "; run `kolibri lock "
                    + spec.source() + "` first");
        } else if (offline) {
            throw new BuildException("--offline, but there is no lock " + lockPath
                    + " and resolving needs the repositories; run `kolibri lock " + spec.source() + "` first");
        } else {
            lock = lock(spec);
        }
        return lock;
    }
}
