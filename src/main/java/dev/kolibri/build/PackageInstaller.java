package dev.kolibri.build;

import dev.kolibri.finalize.Finalizer;
import dev.kolibri.fs.PayloadCache;
import dev.kolibri.fs.Unpacking;
import dev.kolibri.inspect.DpkgDbReader;
import dev.kolibri.inspect.PackageDbReader;
import dev.kolibri.inspect.RpmDbReader;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.pkg.Ecosystem;
import dev.kolibri.pkg.deb.Debian;
import dev.kolibri.pkg.rpm.Rpm;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.PathSpec;
import dev.kolibri.spec.RepositorySpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a build does differently per ecosystem: unpack the locked package files into a tree (with the package
 * database to write), the finalize steps, and the reader that reads that database back for the SBOM stage.
 * Everything else in {@link ImageBuilder} is written once.
 */
enum PackageInstaller {
    DEB(Debian.INSTANCE) {
        @Override
        RootFs install(List<LockedPackage> packages, Map<String, Path> files, String arch, PayloadCache cache,
                       Unpacking unpacking, BuildEvents events) {
            return RootFs.installDeb(packages, files, cache, unpacking, events);
        }

        @Override
        Finalizer finalizer(List<PathSpec> paths) {
            return Finalizer.standardDeb(paths);
        }

        @Override
        PackageDbReader reader() {
            return new DpkgDbReader();
        }
    },
    RPM(Rpm.INSTANCE) {
        @Override
        RootFs install(List<LockedPackage> packages, Map<String, Path> files, String arch, PayloadCache cache,
                       Unpacking unpacking, BuildEvents events) {
            // RPM payloads map owner names through the image's own passwd/group, so they are not cached
            return RpmRootFs.install(packages, files, Rpm.INSTANCE.archOf(arch), unpacking, events);
        }

        @Override
        Finalizer finalizer(List<PathSpec> paths) {
            return Finalizer.standardRpm(paths);
        }

        @Override
        PackageDbReader reader() {
            return new RpmDbReader();
        }
    };

    private final Ecosystem ecosystem;

    PackageInstaller(Ecosystem ecosystem) {
        this.ecosystem = ecosystem;
    }

    /** {@code deb} or {@code rpm}: the ecosystem id the finalize steps, SBOMs and purls use. */
    String ecosystem() {
        return ecosystem.id();
    }

    /** The ecosystem itself. */
    Ecosystem model() {
        return ecosystem;
    }

    /**
     * Installs {@code packages} (files by sha256) for the OCI arch {@code arch}, decoded payloads kept in
     * {@code cache}, every content streamed within {@code unpacking}'s limits (and into its spill when not cached).
     */
    abstract RootFs install(List<LockedPackage> packages, Map<String, Path> files, String arch, PayloadCache cache,
                            Unpacking unpacking, BuildEvents events);

    /** The finalize steps, with the definition's {@code paths:} entries. */
    abstract Finalizer finalizer(List<PathSpec> paths);

    abstract PackageDbReader reader();

    /** The installer for a definition: its repositories' type ({@code deb} when it has none). */
    static PackageInstaller of(ImageSpec spec) {
        return !spec.repositories().isEmpty() && RepositorySpec.RPM.equals(spec.repositories().get(0).type()) ? RPM : DEB;
    }
}
