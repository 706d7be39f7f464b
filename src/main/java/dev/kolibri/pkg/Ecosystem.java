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
}
