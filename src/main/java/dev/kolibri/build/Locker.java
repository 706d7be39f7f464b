package dev.kolibri.build;

import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.LockedRepository;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Platform;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.pkg.deb.DebRelations;
import dev.kolibri.pkg.deb.Debian;
import dev.kolibri.pkg.rpm.Rpm;
import dev.kolibri.pkg.rpm.RpmDeps;
import dev.kolibri.pkg.rpm.RpmVersions;
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
        Map<String, LockedRepository> repos = new TreeMap<>();
        Map<String, String> firstVersions = null;
        for (String arch : spec.archs()) {
            String debArch = Debian.INSTANCE.archOf(Platform.ofArch(arch).architecture());
            List<Package> pool = new ArrayList<>();
            for (Source src : sources) {
                DebSource s = src.deb();
                events.info("reading " + s.base() + " " + s.suite() + " (" + debArch + ")");
                RepoSnapshot snap = DebRepository.load(s, debArch, client, src.allowExpired());
                pool.addAll(snap.packages());
                repos.putIfAbsent(snap.id(), new LockedRepository(snap.id(), s.base().toString(), s.suite(),
                        snap.releaseDigest().toString()));
            }
            List<Requirement> requests = new ArrayList<>();
            for (String p : spec.packages()) requests.add(request(p, debArch));
            SolveOptions opts = new SolveOptions(spec.installWeakDeps(),
                    firstVersions == null ? Map.of() : firstVersions, List.of());
            Resolution res = Solver.solve(new Pool(pool, Debian.INSTANCE.versions()), requests, opts);
            firstVersions = record(spec, arch, res, firstVersions, byArch);
        }
        return new Lockfile(Lockfile.VERSION, spec.digest().toString(), null, new ArrayList<>(repos.values()), byArch)
                .withContents(Contents.locked(spec));
    }

    /**
     * RPM: each repository's signed {@code repomd.xml} and primary (filelists when a file dependency needs it) per
     * rpm arch; requests in rpm syntax ({@code name}, {@code name >= 1.2}, rich dependencies); names that another
     * package obsoletes entirely are left out, as dnf leaves them out of a fresh install.
     */
    private Lockfile lockRpm(ImageSpec spec) throws Exception {
        Map<String, List<LockedPackage>> byArch = new TreeMap<>();
        Map<String, LockedRepository> repos = new TreeMap<>();
        Map<String, String> firstVersions = null;
        for (String arch : spec.archs()) {
            String rpmArch = Rpm.INSTANCE.archOf(Platform.ofArch(arch).architecture());
            List<Package> pool = new ArrayList<>();
            for (RepositorySpec r : spec.repositories()) {
                for (RpmSource s : rpmSources(spec, r, rpmArch)) {
                    events.info("reading " + s.base() + " (" + rpmArch + ")");
                    RpmSnapshot loaded = RpmRepository.load(s, rpmArch, client);
                    loaded.warnings().forEach(w -> events.warn(arch + ": " + w));
                    RepoSnapshot snap = loaded.snapshot();
                    pool.addAll(snap.packages());
                    repos.putIfAbsent(snap.id(), new LockedRepository(snap.id(), s.base().toString(), null,
                            snap.releaseDigest().toString()));
                }
            }
            List<Requirement> requests = new ArrayList<>();
            for (String p : spec.packages()) requests.add(rpmRequest(spec, p));
            SolveOptions opts = new SolveOptions(spec.installWeakDeps(),
                    firstVersions == null ? Map.of() : firstVersions, List.copyOf(RpmRepository.obsoletedNames(pool)))
                    .unorderedAlternatives();
            Resolution res = Solver.solve(new Pool(pool, RpmVersions.INSTANCE), requests, opts);
            firstVersions = record(spec, arch, res, firstVersions, byArch);
        }
        return new Lockfile(Lockfile.VERSION, spec.digest().toString(), null, new ArrayList<>(repos.values()), byArch)
                .withContents(Contents.locked(spec));
    }

    /** Adds one arch's resolution to {@code byArch}; returns the first arch's versions (these, for the first). */
    private Map<String, String> record(ImageSpec spec, String arch, Resolution res, Map<String, String> firstVersions,
                                       Map<String, List<LockedPackage>> byArch) {
        res.notes().forEach(n -> events.warn(arch + ": " + n));
        List<LockedPackage> locked = new ArrayList<>();
        Map<String, String> versions = new LinkedHashMap<>();
        for (Package p : res.packages()) {
            locked.add(new LockedPackage(p.name(), p.version(), p.arch(), p.sourceName(), p.sourceVersion(),
                    p.location(), p.size(), p.sha256(), p.repository()));
            versions.put(p.name(), p.version());
        }
        byArch.put(arch, locked);
        events.info("resolved " + locked.size() + " packages for " + arch);
        if (firstVersions == null) return versions;
        reportDifferences(spec.archs().get(0), firstVersions, arch, versions);
        return firstVersions;
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
    private List<RpmSource> rpmSources(ImageSpec spec, RepositorySpec r, String rpmArch) throws BuildException, RepositoryException {
        Path specDir = spec.source() == null ? Path.of(".") : spec.source().toAbsolutePath().getParent();
        Keyring keyring = r.keyring() == null ? null : Keyring.load(r.keyringFile(specDir));
        if (!r.isSystem()) {
            if (keyring == null) {
                throw new BuildException(spec.source() + ":" + r.line() + ": repository " + r.url()
                        + " has no `keyring:`; Kolibri only believes signed metadata");
            }
            return List.of(RpmSource.signed(URI.create(r.url()), keyring));
        }
        YumRepos yum = YumRepos.load(yumRoot, rpmArch, null);
        List<RpmSource> out = new ArrayList<>();
        for (YumRepos.YumRepo y : yum.all()) {
            if (!y.enabled()) continue;
            out.add(keyring == null ? yum.source(y) : RpmSource.signed(yum.source(y).base(), keyring));
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
    private record Source(DebSource deb, boolean allowExpired) {}

    private Source source(ImageSpec spec, RepositorySpec r) throws BuildException, RepositoryException {
        if (!RepositorySpec.DEB.equals(r.type())) {
            throw new BuildException(spec.source() + ":" + r.line() + ": repositories of type " + r.type()
                    + " are not supported yet (only deb)");
        }
        Path specDir = spec.source() == null ? Path.of(".") : spec.source().toAbsolutePath().getParent();
        Path keyring = r.keyring() == null ? null : r.keyringFile(specDir);
        if (r.isSystem()) {
            AptSource src = system.forSuite(r.suite()).orElseThrow(() -> new BuildException(spec.source() + ":" + r.line()
                    + ": `url: system`, but this machine has no apt source for suite " + r.suite()
                    + " (in /etc/apt/sources.list or sources.list.d); add one, or give the repository's URL"));
            DebSource deb = keyring == null ? system.debSource(src, r.suite(), r.components())
                    : new DebSource(src.uri(), r.suite(), r.components(), Keyring.load(keyring));
            return new Source(deb, system.allowExpired(src));
        }
        if (keyring == null) {
            throw new BuildException(spec.source() + ":" + r.line() + ": repository " + r.url()
                    + " has no `keyring:`; Kolibri only believes signed metadata");
        }
        URI base = URI.create(r.url().endsWith("/") ? r.url() : r.url() + "/");
        return new Source(new DebSource(base, r.suite(), r.components(), Keyring.load(keyring)), false);
    }
}
