package dev.kolibri.pkg;

/**
 * What differs between package ecosystems (deb, rpm; apk can follow). Everything else in the pipeline is written
 * once, against this interface. Implementations: {@code dev.kolibri.pkg.deb.Debian}, {@code dev.kolibri.pkg.rpm.Rpm}.
 */
public interface Ecosystem {

    /** {@code deb} or {@code rpm}: the value of {@code type:} in an image definition. */
    String id();

    /** The version order and capability matching of this ecosystem. */
    VersionScheme versions();

    /** The ecosystem's spelling of an OCI architecture ({@code amd64} to {@code amd64} or {@code x86_64}). */
    String archOf(String ociArch);

    /** Whether packages of this architecture install on every arch ({@code all}, {@code noarch}). */
    boolean isArchIndependent(String arch);

    /**
     * The distribution release a repository's signed metadata names, or null when it names none this ecosystem can
     * tell (a private repository without an {@code Origin}).
     */
    Distro distroOf(RepositoryRelease release);

    /**
     * The release that names an image whose packages come from {@code releases} (in the definition's order): the
     * first that is a release of its own (Debian's {@code bookworm}, not {@code bookworm-security} or
     * {@code bookworm-backports}) with a release number, else the first release of its own, else the first known
     * one; null when none is known.
     */
    default Distro baseDistro(java.util.List<RepositoryRelease> releases) {
        Distro first = null;
        Distro firstOwn = null;
        for (RepositoryRelease r : releases) {
            Distro d = r == null ? null : distroOf(r);
            if (d == null) continue;
            if (first == null) first = d;
            String c = r.codename() != null ? r.codename() : r.suite();
            boolean own = c == null || c.indexOf('-') < 0;
            if (own && d.versionId() != null) return d;
            if (own && firstOwn == null) firstOwn = d;
        }
        return firstOwn != null ? firstOwn : first;
    }
}
