package dev.kolibri.repo;

import dev.kolibri.oci.Digest;
import dev.kolibri.pkg.Package;

import java.util.List;

/**
 * The verified package list of one repository suite for one architecture.
 *
 * @param id            {@code base + " " + suite}; also each package's {@link Package#repository()}
 * @param releaseDigest sha256 of the {@code InRelease} (or {@code Release}) bytes as fetched: identifies the metadata
 * @param packages      packages of the arch and of {@code all}, components in the order asked, index order within
 */
public record RepoSnapshot(String id, Digest releaseDigest, List<Package> packages) {
    public RepoSnapshot {
        packages = List.copyOf(packages);
    }
}
