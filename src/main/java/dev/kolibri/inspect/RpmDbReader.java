package dev.kolibri.inspect;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.pkg.rpm.RpmArchiveException;
import dev.kolibri.pkg.rpm.RpmHeader;
import dev.kolibri.pkg.rpm.RpmTags;
import dev.kolibri.pkg.rpm.SystemRelease;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * rpm's sqlite database ({@code usr/lib/sysimage/rpm/rpmdb.sqlite}, else {@code var/lib/rpm/rpmdb.sqlite}; symlinks
 * followed): the file is copied to a temporary directory and opened read-only, and every {@code Packages} blob is
 * parsed as a header. A record's version is {@code [EPOCH:]VERSION-RELEASE}, its source the {@code SOURCERPM} file
 * name, its maintainer the {@code Packager} (else the {@code Vendor}); fields {@code License}, {@code Vendor},
 * {@code Packager}, {@code Sourcerpm}, {@code Epoch} when present, and {@code Providename}: the provides as
 * {@code rpm -q --provides} prints them, joined by {@code ", "}. {@code gpg-pubkey} pseudo-packages (imported
 * keys, no arch) are skipped, as syft skips them. The BerkeleyDB ({@code var/lib/rpm/Packages}) and ndb
 * ({@code Packages.db}) formats are found ({@link #locate}) but not read. The package providing
 * {@code system-release} tells the distribution ({@link SystemRelease}).
 */
public final class RpmDbReader implements PackageDbReader {
    static final List<String> LOCATIONS = List.of("usr/lib/sysimage/rpm/rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite");
    /** The databases of older rpm versions: BerkeleyDB, ndb. */
    static final List<String> UNREAD = List.of("var/lib/rpm/Packages", "var/lib/rpm/Packages.db",
            "usr/lib/sysimage/rpm/Packages", "usr/lib/sysimage/rpm/Packages.db");
    /** The field holding a record's provides. */
    public static final String PROVIDES = "Providename";

    @Override
    public Optional<String> locate(FileTree tree) {
        for (String loc : LOCATIONS) if (file(tree, loc).isPresent()) return Optional.of("/" + loc);
        for (String loc : UNREAD) if (file(tree, loc).isPresent()) return Optional.of("/" + loc);
        return Optional.empty();
    }

    @Override
    public Optional<String> unreadable(FileTree tree) {
        for (String loc : LOCATIONS) if (file(tree, loc).isPresent()) return Optional.empty();
        for (String loc : UNREAD) {
            if (file(tree, loc).isPresent()) {
                return Optional.of("/" + loc + " is an rpm database in the BerkeleyDB or ndb format, which Kolibri does not read (only rpm's sqlite rpmdb.sqlite)");
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<OsIdentity> distro(List<PackageRecord> packages) {
        // several release packages that disagree tell nothing
        List<SystemRelease> found = packages.stream()
                .map(r -> SystemRelease.of(r.name(), r.version(), provides(r)))
                .flatMap(Optional::stream).toList();
        if (found.isEmpty() || found.stream().map(s -> s.id() + " " + s.versionId()).distinct().count() > 1) return Optional.empty();
        SystemRelease s = found.getFirst();
        return Optional.of(new OsIdentity(s.id(), s.versionId(), s.evidence()));
    }

    private static List<String> provides(PackageRecord r) {
        String p = r.field(PROVIDES);
        return p == null || p.isBlank() ? List.of() : List.of(p.split(", "));
    }

    private static Optional<FileEntry> file(FileTree tree, String loc) {
        return tree.resolve(loc).flatMap(tree::get)
                .map(e -> e.type() == EntryType.HARDLINK ? tree.get(e.linkTarget()).orElse(e) : e)
                .filter(e -> e.type() == EntryType.FILE && e.data() != null);
    }

    @Override
    public String ecosystem() {
        return "rpm";
    }

    @Override
    public List<PackageRecord> read(FileTree tree) {
        for (String loc : LOCATIONS) {
            Optional<FileEntry> db = file(tree, loc);
            if (db.isPresent()) {
                String wal = tree.resolve(loc + "-wal").flatMap(tree::get).filter(e -> e.type() == EntryType.FILE)
                        .map(FileEntry::path).orElse(null);
                return read(db.get().content(), wal == null ? null : tree.get(wal).get().content(), "/" + loc);
            }
        }
        return List.of();
    }

    /** The packages of an rpmdb.sqlite file's bytes (and its {@code -wal} file, or null). */
    public static List<PackageRecord> read(byte[] sqlite, byte[] wal, String what) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kolibri-rpmdb-read");
            Path file = Files.write(dir.resolve("rpmdb.sqlite"), sqlite);
            if (wal != null) Files.write(dir.resolve("rpmdb.sqlite-wal"), wal);
            java.util.Properties props = new java.util.Properties();
            props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
            Map<String, PackageRecord> byKey = new LinkedHashMap<>();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, props);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT hnum, blob FROM Packages ORDER BY hnum")) {
                while (rs.next()) {
                    PackageRecord r = record(RpmHeader.parse(rs.getBytes(2), what + " package #" + rs.getLong(1)));
                    if (r != null) byKey.putIfAbsent(r.key() + " " + r.version(), r);
                }
            }
            List<PackageRecord> out = new ArrayList<>(byKey.values());
            out.sort(Comparator.comparing(PackageRecord::name).thenComparing(PackageRecord::arch));
            return List.copyOf(out);
        } catch (SQLException e) {
            throw new RpmArchiveException("cannot read the rpm database " + what + ": " + e.getMessage()
                    + " (is it rpm's sqlite format? BerkeleyDB and ndb databases are not read)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the rpm database " + what + " to a temporary directory: " + e.getMessage(), e);
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    /** One installed header as a record, or null for a {@code gpg-pubkey} or a header without name or arch. */
    static PackageRecord record(RpmHeader h) {
        String name = h.string(RpmTags.NAME).orElse("");
        String arch = h.string(RpmTags.ARCH).orElse("");
        if (name.isEmpty() || arch.isEmpty() || name.equals("gpg-pubkey")) return null;
        OptionalLong epoch = h.number(RpmTags.EPOCH);
        String vr = h.string(RpmTags.VERSION).orElse("") + "-" + h.string(RpmTags.RELEASE).orElse("");
        String version = epoch.isPresent() ? epoch.getAsLong() + ":" + vr : vr;
        Map<String, String> fields = new LinkedHashMap<>();
        h.string(RpmTags.LICENSE).ifPresent(v -> fields.put("License", v));
        h.string(RpmTags.VENDOR).ifPresent(v -> fields.put("Vendor", v));
        h.string(RpmTags.PACKAGER).ifPresent(v -> fields.put("Packager", v));
        h.string(RpmTags.SOURCERPM).ifPresent(v -> fields.put("Sourcerpm", v));
        if (epoch.isPresent()) fields.put("Epoch", Long.toString(epoch.getAsLong()));
        List<String> provides = SystemRelease.provides(h);
        if (!provides.isEmpty()) fields.put(PROVIDES, String.join(", ", provides));
        String supplier = fields.getOrDefault("Packager", fields.get("Vendor"));
        return new PackageRecord("rpm", name, version, arch, fields.get("Sourcerpm"), null, supplier, fields);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
