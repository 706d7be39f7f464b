package dev.kolibri.inspect;

import dev.kolibri.fs.FileTree;

import java.util.List;
import java.util.Optional;

/**
 * Reads one kind of package database out of an image's files: {@link DpkgDbReader} dpkg's, {@link RpmDbReader}
 * rpm's sqlite rpmdb. {@link ImagePackages#read} runs every reader that finds its database.
 */
public interface PackageDbReader {
    /** The ecosystem of the packages this reader returns ({@code deb}, {@code rpm}). */
    String ecosystem();

    /** Where this reader's database is in {@code tree} ({@code /var/lib/dpkg/status.d}), or empty when it has none. */
    Optional<String> locate(FileTree tree);

    /** The installed packages recorded in {@code tree}, sorted by name then arch; empty when there is no database. */
    List<PackageRecord> read(FileTree tree);

    /** The distribution release the packages {@link #read} returned tell, if any. */
    default Optional<OsIdentity> distro(List<PackageRecord> packages) {
        return Optional.empty();
    }

    /**
     * Why the database {@link #locate} found gave no packages, when the reason is not "it lists none" (a format
     * this reader does not read), else empty.
     */
    default Optional<String> unreadable(FileTree tree) {
        return Optional.empty();
    }

    /** Every reader Kolibri has, in the order they are tried. */
    static List<PackageDbReader> all() {
        return List.of(new DpkgDbReader(), new RpmDbReader());
    }
}
