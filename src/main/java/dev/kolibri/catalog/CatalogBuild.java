package dev.kolibri.catalog;

import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.build.BuildResult;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.spec.ImageSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a catalog: every flavour of the images asked for, each into {@code OUT/<name>} (one layout per image name
 * holding all its streams' and flavours' tags), in one process so that repository metadata and the package cache
 * are shared.
 */
public final class CatalogBuild {
    private final Kolibri kolibri;

    public CatalogBuild(Kolibri kolibri) {
        this.kolibri = kolibri;
    }

    /**
     * How to build the catalog.
     *
     * @param output          the directory of the layouts ({@code out/})
     * @param images          image names to build (all when empty)
     * @param archs           OCI arches to build (each definition's own when empty)
     * @param locked          refuse a lock that no longer matches its definition
     * @param offline         build from the cache alone
     * @param sourceDateEpoch SOURCE_DATE_EPOCH, or null
     */
    public record Options(Path output, Set<String> images, List<String> archs, boolean locked, boolean offline,
                          Long sourceDateEpoch) {
        public Options {
            images = Set.copyOf(images);
            archs = List.copyOf(archs);
        }
    }

    /** One built flavour: its tags and the build's result. */
    public record Built(Flavour flavour, List<String> tags, BuildResult result) {}

    /** Locks every flavour (re-resolving those whose lock is stale or missing; all of them when {@code update}). */
    public List<Path> lock(Catalog catalog, Set<String> images, boolean update) throws Exception {
        List<Path> out = new ArrayList<>();
        for (Flavour f : catalog.flavours(images)) {
            ImageSpec spec = f.effective();
            if (update) kolibri.lock(spec);
            else kolibri.lockFor(spec, false, false);
            out.add(Lockfile.pathFor(spec));
        }
        return out;
    }

    /** The tags of every flavour, from its lock (made or refreshed first unless locked/offline). */
    public Map<Flavour, List<String>> tags(Catalog catalog, Options opts) throws Exception {
        List<Flavour> flavours = catalog.flavours(opts.images());
        Map<Flavour, String> versions = new LinkedHashMap<>();
        for (Flavour f : flavours) {
            ImageSpec spec = f.effective();
            versions.put(f, spec.main() == null ? null : mainVersion(spec, kolibri.lockFor(spec, opts.locked(), opts.offline())));
        }
        // majors shared between streams, judged on the base flavours (every stream of an image asked for has its
        // base among the flavours)
        Map<String, Map<ImageSpec, String>> bases = new LinkedHashMap<>();
        versions.forEach((f, v) -> {
            if (f.variant() == null) bases.computeIfAbsent(f.stream().name(), k -> new LinkedHashMap<>()).put(f.stream(), v);
        });
        Map<Flavour, List<String>> out = new LinkedHashMap<>();
        for (Flavour f : flavours) {
            out.put(f, Tags.of(f, versions.get(f), Tags.sharedMajors(bases.get(f.stream().name()))));
        }
        checkUnique(out);
        return out;
    }

    /** Builds every flavour; returns what each gave, in catalog order. */
    public List<Built> build(Catalog catalog, Options opts) throws Exception {
        Map<Flavour, List<String>> tags = tags(catalog, opts);
        List<Built> out = new ArrayList<>();
        for (Map.Entry<Flavour, List<String>> e : tags.entrySet()) {
            Flavour f = e.getKey();
            ImageSpec spec = f.effective();
            List<String> archs = opts.archs().isEmpty() ? List.of()
                    : opts.archs().stream().filter(spec.archs()::contains).toList();
            if (!opts.archs().isEmpty() && archs.isEmpty()) continue; // this image is not built for those arches
            BuildOptions bo = new BuildOptions(opts.output().resolve(spec.name()), archs, f.variant(), opts.locked(),
                    opts.offline(), Compression.GZIP, opts.sourceDateEpoch(), null, null, true, e.getValue());
            out.add(new Built(f, e.getValue(), kolibri.build(spec, bo)));
        }
        return out;
    }

    /** The version the lock pins for the main package (the same on every arch, or the catalog refuses it). */
    static String mainVersion(ImageSpec spec, Lockfile lock) {
        String version = null;
        for (Map.Entry<String, List<LockedPackage>> e : lock.packages().entrySet()) {
            String v = e.getValue().stream().filter(p -> p.name().equals(spec.main())).map(LockedPackage::version)
                    .findFirst().orElseThrow(() -> new CatalogException(spec.source() + ": the main package `" + spec.main()
                            + "` is not in the lock for " + e.getKey() + "; name one of the packages the image installs under `main:`"));
            if (version != null && !version.equals(v)) {
                throw new CatalogException(spec.source() + ": the main package " + spec.main() + " is " + version
                        + " on one arch and " + v + " on " + e.getKey() + "; tags need one version (lock again when the mirror has caught up)");
            }
            version = v;
        }
        return version;
    }

    private static void checkUnique(Map<Flavour, List<String>> tags) {
        Map<String, Flavour> seen = new LinkedHashMap<>();
        for (Map.Entry<Flavour, List<String>> e : tags.entrySet()) {
            for (String t : e.getValue()) {
                String key = e.getKey().stream().name() + ":" + t;
                Flavour was = seen.putIfAbsent(key, e.getKey());
                if (was != null && !was.equals(e.getKey())) {
                    throw new CatalogException("tag " + key + " derives from both " + was.label() + " (" + was.stream().source()
                            + ") and " + e.getKey().label() + " (" + e.getKey().stream().source() + "); give the streams distinct versions");
                }
            }
        }
    }
}
