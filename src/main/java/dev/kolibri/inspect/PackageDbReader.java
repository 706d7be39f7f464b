package dev.kolibri.inspect;

import dev.kolibri.fs.FileTree;

import java.util.List;

/**
 * Reads one kind of package database out of an image's files: {@link DpkgDbReader} dpkg's, {@link RpmDbReader}
 * rpm's sqlite rpmdb.
 */
public interface PackageDbReader {
    /** The ecosystem of the packages this reader returns ({@code deb}, {@code rpm}). */
    String ecosystem();

    /** The installed packages recorded in {@code tree}, sorted by name then arch; empty when there is no database. */
    List<PackageRecord> read(FileTree tree);

    /** Every reader Kolibri has, in the order they are tried. */
    static List<PackageDbReader> all() {
        return List.of(new DpkgDbReader(), new RpmDbReader());
    }
}
