package dev.kolibri.pkg.rpm;

import dev.kolibri.fs.FileEntry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The package database of rpm ≥ 4.16: {@code usr/lib/sysimage/rpm/rpmdb.sqlite} in the layout of rpm's
 * {@code lib/backend/sqlite.c} (table {@code Packages(hnum, blob)} plus one {@code (key, hnum, idx)} table per
 * indexed tag), and Fedora's {@code var/lib/rpm -> ../../usr/lib/sysimage/rpm} link.
 *
 * <p>Each blob is the package's main header with what rpm adds when it installs (see {@link #installedHeader}).
 * The file is reproducible: packages sorted by name, EVR and arch; install time and TID = the build epoch; fixed
 * page size, rollback journal (not WAL), {@code VACUUM} at the end.
 */
public final class RpmDb {
    public static final String DB_DIR = "usr/lib/sysimage/rpm";
    public static final String DB_FILE = DB_DIR + "/rpmdb.sqlite";
    public static final String LEGACY_LINK = "var/lib/rpm";
    public static final String LEGACY_LINK_TARGET = "../../usr/lib/sysimage/rpm";

    /** Index tables in rpm's order (rpmdb.c dbiTags), with the tag each one indexes. */
    private record Index(String table, int tag, boolean blobKey, boolean hnumIndex, boolean keyIndex) {}

    private static final List<Index> INDEXES = List.of(
            new Index("Name", RpmTags.NAME, false, false, true),
            new Index("Basenames", RpmTags.BASENAMES, false, true, true),
            new Index("Group", RpmTags.GROUP, false, false, true),
            new Index("Requirename", RpmTags.REQUIRENAME, false, true, true),
            new Index("Providename", RpmTags.PROVIDENAME, false, true, true),
            new Index("Conflictname", RpmTags.CONFLICTNAME, false, true, true),
            new Index("Obsoletename", RpmTags.OBSOLETENAME, false, true, true),
            new Index("Triggername", RpmTags.TRIGGERNAME, false, true, true),
            new Index("Dirnames", RpmTags.DIRNAMES, false, true, true),
            new Index("Installtid", RpmTags.INSTALLTID, true, false, false),
            new Index("Sigmd5", RpmTags.SIGMD5, true, false, false),
            new Index("Sha1header", RpmTags.SHA1HEADER, false, false, true),
            new Index("Filetriggername", RpmTags.FILETRIGGERNAME, false, true, true),
            new Index("Transfiletriggername", RpmTags.TRANSFILETRIGGERNAME, false, true, true),
            new Index("Recommendname", RpmTags.RECOMMENDNAME, false, true, true),
            new Index("Suggestname", RpmTags.SUGGESTNAME, false, true, true),
            new Index("Supplementname", RpmTags.SUPPLEMENTNAME, false, true, true),
            new Index("Enhancename", RpmTags.ENHANCENAME, false, true, true));

    // RPMSENSE bits (rpmds.h): requirements only needed while installing are not indexed
    private static final long SENSE_PREREQ = 1 << 6;
    private static final long INSTALL_ONLY = ((1 << 9) | (1 << 10) | (1L << 24) | (1L << 26) | (1 << 7) | (1 << 5)) & ~SENSE_PREREQ;
    private static final long ERASE_ONLY = (1 << 11) | (1 << 12) | (1 << 20) | (1 << 21);

    private static final Set<String> COLOR_3_ARCHS = Set.of("x86_64", "aarch64", "ppc64le", "ppc64", "s390x", "riscv64", "loongarch64");

    private RpmDb() {}

    /** rpm's transaction colour for a target arch: 3 on 64-bit multilib arches, 0 elsewhere (INSTALLCOLOR). */
    public static int installColorOf(String rpmArch) {
        return COLOR_3_ARCHS.contains(rpmArch) ? 3 : 0;
    }

    /**
     * The header rpm stores for an installed package: the main header's entries and data untouched (the immutable
     * region stays valid), then, sorted by tag, the signature tags rpm merges in (SIZE → SIGSIZE, MD5 → SIGMD5,
     * PAYLOADSIZE → ARCHIVESIZE, and every signature tag from 256 to 999 such as SHA1HEADER, SHA256HEADER) and
     * INSTALLTIME, FILESTATES (all normal), INSTALLCOLOR and INSTALLTID. Byte-identical to what
     * {@code rpm -i --justdb} stores, given the same time and colour. Kolibri writes one build time as both the
     * install time and the transaction id.
     */
    public static byte[] installedHeader(RpmArchive pkg, long installTime, int installColor) {
        return installedHeader(pkg, installTime, installTime, installColor);
    }

    /**
     * As {@link #installedHeader(RpmArchive, long, int)}, with rpm's transaction id apart from the install time
     * (rpm stamps the transaction when it starts and each package when it is installed: a second may pass).
     */
    static byte[] installedHeader(RpmArchive pkg, long installTime, long installTid, int installColor) {
        return installedHeader(pkg, installTime, installTid, installColor, Set.of());
    }

    /**
     * As above, with FILESTATES "not installed" (2, as {@code rpm --excludedocs} and {@code --excludepath} record it)
     * for each of the package's files in {@code notInstalled} (absolute paths), normal (0) for the others.
     */
    static byte[] installedHeader(RpmArchive pkg, long installTime, long installTid, int installColor,
                                  Set<String> notInstalled) {
        RpmHeader h = pkg.header();
        List<Added> added = new ArrayList<>();
        for (RpmHeader.Entry e : pkg.signature().entries()) {
            int tag = switch (e.tag()) {
                case RpmTags.SIG_SIZE -> RpmTags.SIGSIZE;
                case RpmTags.SIG_PGP -> RpmTags.SIGPGP;
                case RpmTags.SIG_MD5 -> RpmTags.SIGMD5;
                case RpmTags.SIG_GPG -> RpmTags.SIGGPG;
                case RpmTags.SIG_PGP5 -> RpmTags.SIGPGP5;
                case RpmTags.SIG_PAYLOADSIZE -> RpmTags.ARCHIVESIZE;
                case RpmTags.SIG_FILESIGNATURES -> RpmTags.FILESIGNATURES;
                case RpmTags.SIG_FILESIGNATURELENGTH -> RpmTags.FILESIGNATURELENGTH;
                default -> e.tag() >= 256 && e.tag() < 1000 ? e.tag() : -1;
            };
            if (tag < 0 || h.has(tag) || e.type() == RpmHeader.Type.NULL) continue;
            added.add(new Added(tag, e.type(), e.count(), pkg.signature().bytes(e.tag())));
        }
        addInt32(added, h, RpmTags.INSTALLTIME, installTime);
        int files = pkg.files().size();
        if (files > 0 && !h.has(RpmTags.FILESTATES)) {
            byte[] states = new byte[files];
            for (int i = 0; i < files; i++) {
                if (notInstalled.contains(pkg.files().get(i).path())) states[i] = FILE_NOT_INSTALLED;
            }
            added.add(new Added(RpmTags.FILESTATES, RpmHeader.Type.CHAR, files, states));
        }
        addInt32(added, h, RpmTags.INSTALLCOLOR, installColor);
        addInt32(added, h, RpmTags.INSTALLTID, installTid);
        added.sort(Comparator.comparingInt(Added::tag));

        byte[] blob = h.blob();
        int il = h.entries().size();
        int dl = h.dataLength();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(blob, 8 + 16 * il, dl);
        ByteBuffer index = ByteBuffer.allocate(16 * added.size());
        for (Added a : added) {
            int size = a.type.size;
            while ((data.size() % size) != 0) data.write(0);
            index.putInt(a.tag).putInt(a.type.ordinal()).putInt(data.size()).putInt(a.count);
            data.write(a.bytes, 0, a.bytes.length);
        }
        byte[] d = data.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(8 + 16 * (il + added.size()) + d.length);
        out.putInt(il + added.size()).putInt(d.length);
        out.put(blob, 8, 16 * il);
        out.put(index.array());
        out.put(d);
        byte[] result = out.array();
        RpmHeader.parse(result, pkg.nevra() + " (installed header)");   // self-check
        return result;
    }

    private record Added(int tag, RpmHeader.Type type, int count, byte[] bytes) {}

    private static void addInt32(List<Added> added, RpmHeader h, int tag, long value) {
        if (h.has(tag)) return;
        added.add(new Added(tag, RpmHeader.Type.INT32, 1, ByteBuffer.allocate(4).putInt((int) value).array()));
    }

    /** rpm's RPMFILE_STATE_NOTINSTALLED: a file of the package that the image does not hold. */
    static final byte FILE_NOT_INSTALLED = 2;

    /** The rpmdb.sqlite file for these packages (sorted first), every install time = {@code epoch}. */
    public static byte[] database(List<RpmArchive> packages, long epoch, String rpmArch) {
        return database(packages, epoch, rpmArch, Set.of());
    }

    /** As above, the files in {@code notInstalled} (absolute paths) recorded as not installed. */
    public static byte[] database(List<RpmArchive> packages, long epoch, String rpmArch, Set<String> notInstalled) {
        List<RpmArchive> sorted = new ArrayList<>(packages);
        sorted.sort(Comparator.comparing(RpmArchive::name)
                .thenComparing(RpmArchive::evr, RpmVersions.INSTANCE)
                .thenComparing(RpmArchive::arch));
        int color = installColorOf(rpmArch);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kolibri-rpmdb");
            Path db = dir.resolve("rpmdb.sqlite");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA page_size = 4096");
                    s.execute("PRAGMA journal_mode = DELETE");
                    s.execute("PRAGMA auto_vacuum = NONE");
                    s.execute("PRAGMA encoding = 'UTF-8'");
                    s.execute("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)");
                    for (Index ix : INDEXES) {
                        s.execute("CREATE TABLE '" + ix.table + "' (key '" + (ix.blobKey ? "BLOB" : "TEXT")
                                + "' NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL, FOREIGN KEY (hnum) REFERENCES 'Packages'(hnum))");
                        if (ix.keyIndex) s.execute("CREATE INDEX '" + ix.table + "_key_idx' ON '" + ix.table + "'(key ASC)");
                        if (ix.hnumIndex) s.execute("CREATE INDEX '" + ix.table + "_hnum_idx' ON '" + ix.table + "'(hnum ASC)");
                    }
                }
                c.setAutoCommit(false);
                try (PreparedStatement put = c.prepareStatement("INSERT INTO 'Packages' (hnum, blob) VALUES (?, ?)")) {
                    int hnum = 0;
                    for (RpmArchive p : sorted) {
                        hnum++;
                        byte[] blob = installedHeader(p, epoch, epoch, color, notInstalled);
                        put.setInt(1, hnum);
                        put.setBytes(2, blob);
                        put.executeUpdate();
                        RpmHeader h = RpmHeader.parse(blob, p.nevra());
                        for (Index ix : INDEXES) addKeys(c, ix, hnum, h);
                    }
                }
                c.commit();
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM");
                }
            }
            return Files.readAllBytes(db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the rpm database: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the rpm database in a temporary directory: " + e.getMessage(), e);
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    private static void addKeys(Connection c, Index ix, int hnum, RpmHeader h) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO '" + ix.table + "' (key, hnum, idx) VALUES (?, ?, ?)")) {
            if (ix.blobKey) {
                byte[] key;
                if (ix.tag == RpmTags.INSTALLTID) {
                    if (!h.has(ix.tag)) return;
                    // rpm binds the in-memory uint32: host byte order (little-endian on every arch Kolibri builds)
                    key = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) h.number(ix.tag).getAsLong()).array();
                } else {
                    key = h.bytes(ix.tag);
                    if (key.length == 0) return;
                }
                st.setBytes(1, key);
                st.setInt(2, hnum);
                st.setInt(3, 0);
                st.executeUpdate();
                return;
            }
            List<String> keys = h.strings(ix.tag);
            if (keys.isEmpty() && ix.tag == RpmTags.GROUP) keys = List.of("Unknown");
            long[] reqFlags = ix.tag == RpmTags.REQUIRENAME ? h.numbers(RpmTags.REQUIREFLAGS) : null;
            for (int i = 0; i < keys.size(); i++) {
                String k = keys.get(i);
                if (reqFlags != null && i < reqFlags.length && (reqFlags[i] & INSTALL_ONLY) != 0 && (reqFlags[i] & ERASE_ONLY) == 0) continue;
                if (ix.tag == RpmTags.TRIGGERNAME && keys.subList(0, i).contains(k)) continue;
                if (k.isEmpty()) continue;
                st.setString(1, k);
                st.setInt(2, hnum);
                st.setInt(3, i);
                st.executeUpdate();
            }
        }
    }

    /**
     * What the image gets: the directories down to {@value #DB_DIR}, the database file (0644) and the
     * {@code var/lib/rpm} link; all 0:0, mtime {@code epoch}, owner {@code ""} (image-wide), sorted by path. Keep
     * a directory the tree already has instead of these.
     */
    public static List<FileEntry> entries(List<RpmArchive> packages, long epoch, String rpmArch) {
        return entries(packages, epoch, rpmArch, Set.of());
    }

    /** As above, the files in {@code notInstalled} (absolute paths, left out by trimming) recorded as not installed. */
    public static List<FileEntry> entries(List<RpmArchive> packages, long epoch, String rpmArch, Set<String> notInstalled) {
        byte[] db = database(packages, epoch, rpmArch, notInstalled);
        List<FileEntry> out = new ArrayList<>();
        for (String d : List.of("usr", "usr/lib", "usr/lib/sysimage", DB_DIR, "var", "var/lib")) {
            out.add(FileEntry.directory(d, 0755, 0, 0, epoch, ""));
        }
        out.add(FileEntry.file(DB_FILE, 0644, 0, 0, epoch, db, ""));
        out.add(FileEntry.symlink(LEGACY_LINK, LEGACY_LINK_TARGET, 0, 0, epoch, ""));
        out.sort(Comparator.comparing(FileEntry::path));
        return List.copyOf(out);
    }

    private static void deleteQuietly(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }

}
