package dev.kolibri.repo;

import dev.kolibri.oci.Digest;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.RepositoryRelease;

import java.util.List;

/**
 * The verified package list of one repository suite for one architecture.
 *
 * @param id            {@code base + " " + suite}; also each package's {@link Package#repository()}
 * @param releaseDigest sha256 of the {@code InRelease} (or {@code Release}) bytes as fetched: identifies the metadata
 * @param packages      packages of the arch and of {@code all}, components in the order asked, index order within
 * @param release       what the verified metadata says the repository is (Debian: the Release's Origin, Label,
 *                      Suite, Codename, Version); empty fields for rpm, whose identity comes from its packages
 */
public record RepoSnapshot(String id, Digest releaseDigest, List<Package> packages, RepositoryRelease release) {
    public RepoSnapshot {
        packages = List.copyOf(packages);
        if (release == null) release = new RepositoryRelease(null, null, null, null, null);
    }

    public RepoSnapshot(String id, Digest releaseDigest, List<Package> packages) {
        this(id, releaseDigest, packages, null);
    }
}
