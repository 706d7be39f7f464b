package dev.kolibri.build;

import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.LockedRepository;
import dev.kolibri.oci.Platform;
import dev.kolibri.pkg.rpm.Rpm;
import dev.kolibri.repo.AptSource;
import dev.kolibri.repo.AptSources;
import dev.kolibri.repo.RepositoryException;
import dev.kolibri.repo.YumRepos;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the packages of a lock are fetched from on this machine. A lock names no mirror: a package's
 * {@link LockedPackage#path() path} is resolved against its repository's base here, the machine's apt source for a
 * {@code url: system} suite ({@link AptSources#sourceFor}), the machine's yum repository of that id for rpm, or the
 * explicit URL. The sha256 in the lock makes the mirror irrelevant to the result. A lock of format 1 holds absolute
 * URLs, which resolve to themselves.
 */
public final class PackageSources {
    private AptSources apt;
    private final Path yumRoot;
    private final Map<String, URI> bases = new HashMap<>();

    /** @param apt the machine's apt sources, or null to read {@code /etc/apt} when first needed */
    public PackageSources(AptSources apt, Path yumRoot) {
        this.apt = apt;
        this.yumRoot = yumRoot;
    }

    /** This machine's sources: {@code /etc/apt}, {@code /etc/yum.repos.d}. */
    public static PackageSources system() {
        return new PackageSources(null, Path.of("/"));
    }

    /** The URL of {@code p} (of {@code repo}) for the OCI arch {@code arch}. */
    public synchronized URI url(LockedRepository repo, LockedPackage p, String arch) throws BuildException {
        URI path = URI.create(p.path());
        if (path.isAbsolute()) return path;
        return base(repo, arch).resolve(path);
    }

    /**
     * The URL an SBOM or provenance statement records for {@code p}: the file's URL when the definition names the
     * repository's URL (or a format-1 lock holds it), null for the machine's own source, whose mirror is no part
     * of what was built (so the documents are the same on every machine).
     */
    public static String recordedUrl(LockedRepository repo, LockedPackage p) {
        URI path = URI.create(p.path());
        if (path.isAbsolute()) return path.toString();
        return repo.isSystem() ? null : repo.explicitBase().resolve(path).toString();
    }

    private URI base(LockedRepository repo, String arch) throws BuildException {
        String key = repo.id() + "\n" + arch;
        URI known = bases.get(key);
        if (known != null) return known;
        URI base;
        try {
            if (!repo.isSystem()) {
                base = repo.explicitBase();
            } else if (repo.repo() != null) {
                String rpmArch = Rpm.INSTANCE.archOf(Platform.ofArch(arch).architecture());
                YumRepos yum = YumRepos.load(yumRoot, rpmArch, repo.suite());
                base = yum.source(yum.forId(repo.repo())).base();
            } else {
                if (apt == null) apt = AptSources.system(); // read once, when the first package needs it
                AptSource src = apt.sourceFor(repo.suite()).orElseThrow(() -> new BuildException(
                        "the lock's repository `" + repo.id() + "` is this machine's own source, but this machine has no apt "
                                + "source for suite " + repo.suite() + " (nor for its archive) in /etc/apt; add one, or build "
                                + "where there is one"));
                base = src.uri();
            }
        } catch (RepositoryException e) {
            throw new BuildException("cannot find the lock's repository `" + repo.id() + "` on this machine: " + e.getMessage(), e);
        }
        bases.put(key, base);
        return base;
    }
}
