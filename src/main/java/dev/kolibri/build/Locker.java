package dev.kolibri.build;

import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.LockedRepository;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Platform;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.RepositoryRelease;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.pkg.deb.DebRelations;
import dev.kolibri.pkg.deb.Debian;
import dev.kolibri.pkg.rpm.Rpm;
import dev.kolibri.pkg.rpm.RpmDeps;
import dev.kolibri.pkg.rpm.RpmVersions;
import dev.kolibri.pkg.rpm.SystemRelease;
import dev.kolibri.repo.AptSource;
import dev.kolibri.repo.AptSources;
import dev.kolibri.repo.RepositoryException;
import dev.kolibri.repo.DebRepository;
import dev.kolibri.repo.DebSource;
import dev.kolibri.repo.Keyring;
import dev.kolibri.repo.MetadataClient;
import dev.kolibri.repo.RepoSnapshot;
import dev.kolibri.repo.RpmRepository;
import dev.kolibri.repo.RpmSnapshot;
import dev.kolibri.repo.RpmSource;
import dev.kolibri.repo.YumRepos;
import dev.kolibri.solve.Pool;
import dev.kolibri.solve.Resolution;
import dev.kolibri.solve.SolveOptions;
import dev.kolibri.solve.Solver;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.RepositorySpec;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resolve stage: an (effective) image definition to a lock. Reads each repository's signed metadata once per
 * arch, pools the packages of all repositories (the newest version wins), and solves each arch, preferring the
 * first arch's versions on the others. Debian ({@code type: deb}) and RPM ({@code type: rpm}) definitions take the
 * same path; only the metadata reader, the version order and the request syntax differ.
 */
public final class Locker {
    private final MetadataClient client;
    private final AptSources system;
    private final Path yumRoot;
    private final BuildEvents events;

    public Locker(MetadataClient client, AptSources system, BuildEvents events) {
        this(client, system, Path.of("/"), events);
    }

    /** @param yumRoot the root whose {@code etc/yum.repos.d} is {@code url: system} for rpm ({@code /} normally) */
    public Locker(MetadataClient client, AptSources system, Path yumRoot, BuildEvents events) {
        this.client = client;
        this.system = system;
        this.yumRoot = yumRoot;
        this.events = events;
    }

    public Lockfile lock(ImageSpec spec) throws Exception {
        if (!spec.repositories().isEmpty() && RepositorySpec.RPM.equals(spec.repositories().get(0).type())) {
            return lockRpm(spec);
        }
        List<Source> sources = new ArrayList<>();
        for (RepositorySpec r : spec.repositories()) sources.add(source(spec, r));

        Map<String, List<LockedPackage>> byArch = new TreeMap<>();
        Map<String, LockedRepository> repos = new LinkedHashMap<>();
        Map<String, String> firstVersions = null;
        for (String arch : spec.archs()) {
            String debArch = Debian.INSTANCE.archOf(Platform.ofArch(arch).architecture());
            List<Package> pool = new ArrayList<>();
            Map<String, Origin> origins = new LinkedHashMap<>();
            for (Source src : sources) {
                DebSource s = src.deb();
                events.info("reading " + s.base() + " " + s.suite() + " (" + debArch + ")");
                RepoSnapshot snap = DebRepository.load(s, debArch, client, src.allowExpired());
                pool.addAll(snap.packages());
                String id = src.spec().isSystem() ? "system " + s.suite() : trimSlash(src.spec().url()) + " " + s.suite();
                origins.put(snap.id(), new Origin(id, s.base()));
                repos.putIfAbsent(id, new LockedRepository(id, RepositorySpec.DEB, src.spec().url(), s.suite(), null,
                        snap.releaseDigest().toString(), snap.release()));
            }
            List<Requirement> requests = new ArrayList<>();
            for (String p : spec.packages()) requests.add(request(p, debArch));
            SolveOptions opts = new SolveOptions(spec.installWeakDeps(),
                    firstVersions == null ? Map.of() : firstVersions, List.of());
            Resolution res = solve(spec, arch, new Pool(pool, Debian.INSTANCE.versions()), requests, opts, origins);
            firstVersions = record(spec, arch, res, firstVersions, byArch, origins);
        }
        return new Lockfile(Lockfile.VERSION, spec.digest().toString(), null, new ArrayList<>(repos.values()), byArch)
                .withContents(Contents.locked(spec));
    }

    /**
     * Solves one arch; an unsolvable request names the arch and the repositories (suites) searched, and a variant
     * whose {@code remove:} took out a package another one still needs says which.
     */
    private Resolution solve(ImageSpec spec, String arch, Pool pool, List<Requirement> requests, SolveOptions opts,
                             Map<String, Origin> origins) throws BuildException {
        Resolution res;
        try {
            res = Solver.solve(pool, requests, opts);
        } catch (dev.kolibri.solve.UnsatisfiableException e) {
            List<String> searched = origins.values().stream().map(Origin::id).distinct().toList();
            String what = spec.source() == null ? spec.name() : spec.source().toString();
            // "cannot install X", "no repository provides X": a requested name no repository has
            boolean missing = e.chain().size() == 2 && e.chain().get(1).startsWith("no repository provides");
            String hint = missing
                    ? "check the name in `packages:` of " + what + " (it may be in another suite or component; add that repository)"
                    : "change `packages:` of " + what + " (versions, alternatives) so that they can be installed together";
            throw new HintedBuildException(arch + ": " + e.getMessage() + " (searched: " + String.join(", ", searched) + ")", hint, e);
        }
        checkRemoved(spec, arch, res);
        return res;
    }

    /** A variant's {@code remove:} that did not take a package out because another package needs it is refused. */
    private static void checkRemoved(ImageSpec spec, String arch, Resolution res) throws BuildException {
        if (spec.variant() == null || spec.source() == null) return;
        List<String> removed;
        try {
            var v = dev.kolibri.spec.SpecLoader.load(spec.source()).variants().get(spec.variant());
            if (v == null) return;
            removed = v.remove();
        } catch (RuntimeException e) {
            return; // the definition was read once already; a change since is the lock's business
        }
        for (String r : removed) {
            Package kept = res.packages().stream().filter(p -> p.name().equals(r)).findFirst().orElse(null);
            if (kept == null) continue;
            List<String> needs = new ArrayList<>();
            for (Package p : res.packages()) {
                if (!p.name().equals(r) && res.edges().getOrDefault(p.id(), List.of()).contains(kept.id())) needs.add(p.name());
            }
            throw new HintedBuildException(spec.source() + ": variant `" + spec.variant() + "` removes `" + r + "`, but "
                    + (needs.isEmpty() ? "the other packages still need it" : String.join(", ", needs) + " need" + (needs.size() == 1 ? "s" : "")
                    + " it") + " (" + arch + "), so it would stay in the image",
                    "remove " + (needs.isEmpty() ? "what needs `" + r + "`" : String.join(", ", needs)) + " in the variant too, or keep `" + r + "`",
                    null);
        }
    }

    /**
     * The packages of {@code spec}'s repositories for {@code arch} that would put a file at {@code path}, as far as
     * their indexes tell (for a missing entrypoint's hint): an rpm repository's primary lists the {@code bin/} files,
     * each a provide of its path; Debian's {@code Packages} lists no files, so there a package named after the file
     * (or providing that name). At most three names, sorted.
     */
    public List<String> providersOf(ImageSpec spec, String arch, String path) throws Exception {
        boolean rpm = !spec.repositories().isEmpty() && RepositorySpec.RPM.equals(spec.repositories().get(0).type());
        String base = path.substring(path.lastIndexOf('/') + 1);
        List<Package> pool = new ArrayList<>();
        if (rpm) {
            String rpmArch = Rpm.INSTANCE.archOf(Platform.ofArch(arch).architecture());
            for (RepositorySpec r : spec.repositories()) {
                for (NamedRpmSource named : rpmSources(spec, r, rpmArch)) {
                    pool.addAll(RpmRepository.load(named.source(), rpmArch, client).snapshot().packages());
                }
            }
        } else {
            String debArch = Debian.INSTANCE.archOf(Platform.ofArch(arch).architecture());
            for (RepositorySpec r : spec.repositories()) {
                Source src = source(spec, r);
                pool.addAll(DebRepository.load(src.deb(), debArch, client, src.allowExpired()).packages());
            }
        }
        java.util.TreeSet<String> byFile = new java.util.TreeSet<>();
        java.util.TreeSet<String> byName = new java.util.TreeSet<>();
        for (Package p : pool) {
            for (dev.kolibri.pkg.Capability c : p.provides()) {
                if (c.name().equals(path)) byFile.add(p.name());
                if (c.name().equals(base)) byName.add(p.name());
            }
            if (p.name().equals(base)) byName.add(p.name());
        }
        java.util.TreeSet<String> found = byFile.isEmpty() ? byName : byFile;
        return found.stream().limit(3).toList();
    }

    /** A loaded repository as the lock names it: its logical id and the base its packages' paths are under. */
    private record Origin(String id, URI base) {}

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * RPM: each repository's signed {@code repomd.xml} and primary (filelists when a file dependency needs it) per
     * rpm arch; requests in rpm syntax ({@code name}, {@code name >= 1.2}, rich dependencies); names that another
     * package obsoletes entirely are left out, as dnf leaves them out of a fresh install.
     */
    private Lockfile lockRpm(ImageSpec spec) throws Exception {
        Map<String, List<LockedPackage>> byArch = new TreeMap<>();
        Map<String, LockedRepository> repos = new LinkedHashMap<>();
        Map<String, String> firstVersions = null;
        for (String arch : spec.archs()) {
            String rpmArch = Rpm.INSTANCE.archOf(Platform.ofArch(arch).architecture());
            List<Package> pool = new ArrayList<>();
            Map<String, Origin> origins = new LinkedHashMap<>();
            Map<String, LockedRepository> loadedHere = new LinkedHashMap<>();
            for (RepositorySpec r : spec.repositories()) {
                for (NamedRpmSource named : rpmSources(spec, r, rpmArch)) {
                    RpmSource s = named.source();
                    events.info("reading " + s.base() + " (" + rpmArch + ")");
                    RpmSnapshot loaded = RpmRepository.load(s, rpmArch, client);
                    loaded.warnings().forEach(w -> events.warn(arch + ": " + w));
                    RepoSnapshot snap = loaded.snapshot();
                    pool.addAll(snap.packages());
                    origins.put(snap.id(), new Origin(named.id(), s.base()));
                    loadedHere.putIfAbsent(named.id(), new LockedRepository(named.id(), RepositorySpec.RPM, r.url(), r.suite(), named.repo(),
                            snap.releaseDigest().toString(), null));
                }
            }
            RepositoryRelease identity = rpmRelease(pool, spec);
            for (LockedRepository lr : loadedHere.values()) {
                repos.putIfAbsent(lr.id(), new LockedRepository(lr.id(), lr.type(), lr.url(), lr.suite(), lr.repo(), lr.releaseDigest(),
                        identity == null ? null : new RepositoryRelease(identity.origin(), lr.repo(), null, null,
                                identity.version())));
            }
            List<Requirement> requests = new ArrayList<>();
            for (String p : spec.packages()) requests.add(rpmRequest(spec, p));
            SolveOptions opts = new SolveOptions(spec.installWeakDeps(),
                    firstVersions == null ? Map.of() : firstVersions, List.copyOf(RpmRepository.obsoletedNames(pool)))
                    .unorderedAlternatives();
            Resolution res = solve(spec, arch, new Pool(pool, RpmVersions.INSTANCE), requests, opts, origins);
            firstVersions = record(spec, arch, res, firstVersions, byArch, origins);
        }
        return new Lockfile(Lockfile.VERSION, spec.digest().toString(), null, new ArrayList<>(repos.values()), byArch)
                .withContents(Contents.locked(spec));
    }

    /**
     * An rpm distribution's identity, by the rule the image side reads an rpmdb with ({@link SystemRelease}): the
     * package that provides {@code system-release} names it ({@code fedora-release-common} gives {@code fedora}) and
     * its release ({@code system-release(43)}); the definition's {@code releasever} when it tells no number; null
     * when no package provides it.
     */
    private static RepositoryRelease rpmRelease(List<Package> pool, ImageSpec spec) {
        for (Package p : pool) {
            List<String> provides = p.provides().stream()
                    .map(c -> c.version() == null ? c.name() : c.name() + " = " + c.version()).toList();
            java.util.Optional<SystemRelease> rel = SystemRelease.of(p.name(), p.version(), provides);
            if (rel.isEmpty()) continue;
            String version = rel.get().versionId();
            if (version == null || !version.matches("[0-9][A-Za-z0-9._]*")) {
                version = spec.repositories().isEmpty() ? null : spec.repositories().get(0).suite();
            }
            return new RepositoryRelease(rel.get().id(), null, null, null, version);
        }
        return null;
    }

    /** Adds one arch's resolution to {@code byArch}; returns the first arch's versions (these, for the first). */
    private Map<String, String> record(ImageSpec spec, String arch, Resolution res, Map<String, String> firstVersions,
                                       Map<String, List<LockedPackage>> byArch, Map<String, Origin> origins)
            throws BuildException {
        res.notes().forEach(n -> events.warn(arch + ": " + n));
        List<LockedPackage> locked = new ArrayList<>();
        Map<String, String> versions = new LinkedHashMap<>();
        for (Package p : res.packages()) {
            Origin o = origins.get(p.repository());
            if (o == null) throw new IllegalStateException("package " + p.name() + " from unknown repository " + p.repository());
            locked.add(new LockedPackage(p.name(), p.version(), p.arch(), p.sourceName(), p.sourceVersion(),
                    pathIn(o, p), p.size(), p.sha256(), o.id()));
            versions.put(p.name(), p.version());
        }
        byArch.put(arch, locked);
        events.info("resolved " + locked.size() + " packages for " + arch);
        if (firstVersions == null) return versions;
        reportDifferences(spec.archs().get(0), firstVersions, arch, versions);
        return firstVersions;
    }

    /**
     * Where {@code p}'s file lies inside its repository ({@code pool/main/...}): what the lock keeps instead of a URL.
     * A file outside the repository's base (an index naming {@code ../} or another host) is refused.
     */
    static String pathIn(Origin o, Package p) throws BuildException {
        URI rel = o.base().relativize(URI.create(p.location()));
        String s = rel.toString();
        if (rel.isAbsolute() || s.isEmpty() || s.startsWith("/") || s.startsWith("../") || rel.getRawAuthority() != null) {
            throw new BuildException("package " + p.name() + " " + p.version() + ": its file " + p.location()
                    + " is not inside its repository " + o.base() + " (the index points elsewhere): refused");
        }
        return s;
    }

    /** An rpm request: {@code name}, {@code name >= 1.2}, {@code name = 1:2.0-1}, a rich dependency {@code (a or b)}. */
    static Requirement rpmRequest(ImageSpec spec, String p) throws BuildException {
        try {
            return RpmDeps.parse(p.strip());
        } catch (RuntimeException e) {
            throw new BuildException((spec.source() == null ? spec.name() : spec.source()) + ": package request '" + p
                    + "' is not an rpm dependency (" + e.getMessage() + "); write `name`, `name >= 1.2` or a rich "
                    + "dependency in parentheses");
        }
    }

    /**
     * The sources of one {@code type: rpm} repository: its URL (signed by {@code keyring:}); or, for {@code url:
     * system}, every enabled entry of this machine's {@code /etc/yum.repos.d} (what dnf would use), each with the
     * keys its {@code gpgkey} names unless the definition gives a {@code keyring:}.
     */
    /** An rpm source with the id the lock gives it, and for a system source the yum repository id. */
    private record NamedRpmSource(RpmSource source, String id, String repo) {}

    private List<NamedRpmSource> rpmSources(ImageSpec spec, RepositorySpec r, String rpmArch) throws BuildException, RepositoryException {
        Path specDir = spec.source() == null ? Path.of(".") : spec.source().toAbsolutePath().getParent();
        Keyring keyring = r.keyring() == null ? null : Keyring.load(r.keyringFile(specDir));
        if (!r.isSystem()) {
            if (keyring == null) {
                throw new BuildException(spec.source() + ":" + r.line() + ": repository " + r.url()
                        + " has no `keyring:`; Kolibri only believes signed metadata");
            }
            return List.of(new NamedRpmSource(RpmSource.signed(URI.create(r.url()), keyring), trimSlash(r.url()), null));
        }
        YumRepos yum = YumRepos.load(yumRoot, rpmArch, r.suite());
        List<NamedRpmSource> out = new ArrayList<>();
        for (YumRepos.YumRepo y : yum.all()) {
            if (!y.enabled()) continue;
            RpmSource src = keyring == null ? yum.source(y) : RpmSource.signed(yum.source(y).base(), keyring);
            out.add(new NamedRpmSource(src, "system " + y.id(), y.id()));
        }
        if (out.isEmpty()) {
            throw new BuildException(spec.source() + ":" + r.line() + ": `url: system`, but this machine has no yum source "
                    + "(no enabled repository in " + yumRoot.resolve("etc/yum.repos.d") + ") for this rpm image; "
                    + "build it on a Fedora-family machine, or give the repository's URL and keyring");
        }
        return out;
    }

    private void reportDifferences(String firstArch, Map<String, String> first, String arch, Map<String, String> now) {
        for (var e : now.entrySet()) {
            String v = first.get(e.getKey());
            if (v != null && !v.equals(e.getValue())) {
                events.warn(e.getKey() + " is " + v + " on " + firstArch + " but " + e.getValue() + " on " + arch
                        + " (the same version is not available for both)");
            }
        }
    }

    /** {@code name}, {@code name=version} or a Debian relation ({@code name (>= 1.2)}). */
    static Requirement request(String p, String debArch) {
        int eq = p.indexOf('=');
        String rel = eq > 0 && !p.contains("(") ? p.substring(0, eq).trim() + " (= " + p.substring(eq + 1).trim() + ")" : p;
        List<Requirement> r = DebRelations.requirements(rel, debArch);
        if (r.size() != 1) throw new IllegalArgumentException("package request '" + p + "' is not one package or relation");
        return r.get(0);
    }

    /** A repository to read, and whether its Release may be past Valid-Until (as apt here would allow). */
    private record Source(RepositorySpec spec, DebSource deb, boolean allowExpired) {}

    private Source source(ImageSpec spec, RepositorySpec r) throws BuildException, RepositoryException {
        if (!RepositorySpec.DEB.equals(r.type())) {
            throw new BuildException(spec.source() + ":" + r.line() + ": repositories of type " + r.type()
                    + " are not supported yet (only deb)");
        }
        Path specDir = spec.source() == null ? Path.of(".") : spec.source().toAbsolutePath().getParent();
        Path keyring = r.keyring() == null ? null : r.keyringFile(specDir);
        if (r.isSystem()) {
            AptSource src = system.sourceFor(r.suite()).orElseThrow(() -> new BuildException(spec.source() + ":" + r.line()
                    + ": `url: system`, but this machine has no apt source for suite " + r.suite()
                    + " nor for its archive (in /etc/apt/sources.list or sources.list.d); add one, or give the repository's URL"));
            DebSource deb = keyring == null ? system.debSource(src, r.suite(), r.components())
                    : new DebSource(src.uri(), r.suite(), r.components(), Keyring.load(keyring));
            return new Source(r, deb, system.allowExpired(src));
        }
        if (keyring == null) {
            throw new BuildException(spec.source() + ":" + r.line() + ": repository " + r.url()
                    + " has no `keyring:`; Kolibri only believes signed metadata");
        }
        URI base = URI.create(r.url().endsWith("/") ? r.url() : r.url() + "/");
        return new Source(r, new DebSource(base, r.suite(), r.components(), Keyring.load(keyring)), false);
    }
}
