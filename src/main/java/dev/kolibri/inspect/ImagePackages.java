package dev.kolibri.inspect;

import dev.kolibri.fs.FileTree;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The packages an image's package databases record: the one reader {@code inspect}, {@code sbom} and {@code scan}
 * read images through. Every {@link PackageDbReader} that {@linkplain PackageDbReader#locate finds} its database
 * in the flattened tree reads it (dpkg's {@code var/lib/dpkg/status.d/} and {@code status}; rpm's sqlite rpmdb at
 * {@code usr/lib/sysimage/rpm/rpmdb.sqlite} or {@code var/lib/rpm}); each record keeps the ecosystem of the
 * database it came from. An image without a database gives no packages and a note that says so; an image with
 * two databases gives the packages of both and a note that says so.
 *
 * @param databases the databases found, in reader order
 * @param packages  every record read, sorted by ecosystem, name, arch
 * @param distro    the distribution release the databases tell (Debian's {@code base-files}, the rpm package
 *                  providing {@code system-release}), or null when they tell none or disagree
 * @param notes     what a reader of the result should know (no database, two databases, a format not read), one
 *                  line each
 */
public record ImagePackages(List<Database> databases, List<PackageRecord> packages, OsIdentity distro,
                            List<String> notes) {

    /** One database found: its reader's ecosystem ({@code deb}, {@code rpm}), where it is, how many packages it lists. */
    public record Database(String ecosystem, String path, int packages) {
        public Database {
            Objects.requireNonNull(ecosystem, "ecosystem");
            Objects.requireNonNull(path, "path");
        }
    }

    public ImagePackages {
        databases = List.copyOf(databases);
        packages = List.copyOf(packages);
        notes = List.copyOf(notes);
    }

    /** Reads {@code tree} with every reader Kolibri has. */
    public static ImagePackages read(FileTree tree) {
        return read(tree, PackageDbReader.all());
    }

    /** Reads {@code tree} with {@code readers}. */
    public static ImagePackages read(FileTree tree, List<PackageDbReader> readers) {
        List<Database> dbs = new ArrayList<>();
        List<PackageRecord> all = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<OsIdentity> distros = new ArrayList<>();
        for (PackageDbReader reader : readers) {
            Optional<String> where = reader.locate(tree);
            if (where.isEmpty()) continue;
            List<PackageRecord> records = reader.read(tree);
            dbs.add(new Database(reader.ecosystem(), where.get(), records.size()));
            all.addAll(records);
            reader.unreadable(tree).ifPresent(notes::add);
            reader.distro(records).ifPresent(distros::add);
        }
        if (dbs.isEmpty()) {
            notes.add("no package database found (dpkg's /var/lib/dpkg/status or status.d/, rpm's "
                    + "/usr/lib/sysimage/rpm/rpmdb.sqlite or /var/lib/rpm): no packages listed");
        } else if (dbs.size() > 1) {
            notes.add("the image holds " + dbs.size() + " package databases, all read: " + String.join("; ",
                    dbs.stream().map(d -> d.ecosystem() + " at " + d.path() + " (" + d.packages() + " packages)").toList()));
        }
        all.sort(Comparator.comparing(PackageRecord::ecosystem).thenComparing(PackageRecord::name)
                .thenComparing(PackageRecord::arch));
        OsIdentity distro = distros.stream().map(d -> d.id() + " " + d.versionId()).distinct().count() == 1
                ? distros.getFirst() : null;
        return new ImagePackages(dbs, all, distro, notes);
    }

    /**
     * The ecosystem of the image's packages: the one of its first database (dpkg before rpm), or empty when it has
     * none.
     */
    public Optional<String> ecosystem() {
        return databases.isEmpty() ? Optional.empty() : Optional.of(databases.getFirst().ecosystem());
    }

    /** The distribution release the databases tell, if any. */
    public Optional<OsIdentity> distroIdentity() {
        return Optional.ofNullable(distro);
    }
}
