package dev.kolibri.pkg.rpm;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.fs.Installer;
import dev.kolibri.fs.TreeFiles;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class RpmDbTest {
    private static final String DBPATH = "/usr/lib/sysimage/rpm";
    private static final List<String> TABLES = List.of("Name", "Basenames", "Group", "Requirename", "Providename",
            "Conflictname", "Obsoletename", "Triggername", "Dirnames", "Installtid", "Sigmd5", "Sha1header",
            "Filetriggername", "Transfiletriggername", "Recommendname", "Suggestname", "Supplementname", "Enhancename");

    private static List<RpmArchive> fixtures() {
        return List.of(RpmArchive.open(RpmFixtures.kitchen("gzip")), RpmArchive.open(RpmFixtures.hello("xz")));
    }

    private static List<String> rows(Path db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object o = rs.getObject(i);
                    sb.append(i > 1 ? "|" : "").append(o instanceof byte[] b ? "x'" + HexFormat.of().formatHex(b) + "'" : o);
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    @Test
    void schema_matchesRpmInitdb(@TempDir Path dir) throws Exception {
        Tools.require("rpm");
        Path root = dir.resolve("root");
        Files.createDirectories(root);
        Tools.ok(null, "rpm", "--root", root.toString(), "--dbpath", DBPATH, "--initdb");
        Path ours = dir.resolve("ours.sqlite");
        Files.write(ours, RpmDb.database(List.of(), 0, "x86_64"));
        String q = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid";
        // same schema statements; VACUUM lists tables before indexes, rpm --initdb interleaves them
        assertThat(rows(ours, q)).hasSize(49).containsExactlyInAnyOrderElementsOf(rows(root.resolve(DBPATH.substring(1) + "/rpmdb.sqlite"), q));
        assertThat(rows(ours, "PRAGMA user_version")).containsExactly("0");
        assertThat(rows(ours, "PRAGMA journal_mode")).containsExactly("delete");
    }

    @Test
    void headersAndIndexes_matchRpmJustdb(@TempDir Path dir) throws Exception {
        Tools.require("rpm");
        List<RpmArchive> pkgs = fixtures();
        Path root = dir.resolve("root");
        Files.createDirectories(root);
        List<String> cmd = new ArrayList<>(List.of("rpm", "--root", root.toString(), "--dbpath", DBPATH, "-i",
                "--justdb", "--nodeps", "--noscripts", "--ignorearch"));
        for (RpmArchive p : pkgs) cmd.add(p.file().toString());
        Tools.run(null, Map.of(), cmd).orFail(cmd);
        Path theirs = root.resolve(DBPATH.substring(1) + "/rpmdb.sqlite");

        Map<String, RpmArchive> byName = new HashMap<>();
        for (RpmArchive p : pkgs) byName.put(p.name(), p);
        Map<Long, String> theirNames = new HashMap<>();
        long installTid = -1;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + theirs + "?mode=ro");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT hnum, blob FROM Packages")) {
            while (rs.next()) {
                byte[] blob = rs.getBytes(2);
                RpmHeader h = RpmHeader.parse(blob, "rpm's blob");
                String name = h.string(RpmTags.NAME).orElseThrow();
                theirNames.put(rs.getLong(1), name);
                // rpm stamps the transaction when it starts and each package when it lands: a second may pass
                long installTime = h.number(RpmTags.INSTALLTIME).orElseThrow();
                installTid = h.number(RpmTags.INSTALLTID).orElseThrow();
                int color = (int) h.number(RpmTags.INSTALLCOLOR).orElseThrow();
                byte[] ours = RpmDb.installedHeader(byName.get(name), installTime, installTid, color);
                assertThat(HexFormat.of().formatHex(ours)).as(name).isEqualTo(HexFormat.of().formatHex(blob));
            }
        }
        assertThat(theirNames.values()).containsExactlyInAnyOrder("hello", "kitchen");

        Path ours = dir.resolve("ours.sqlite");
        Files.write(ours, RpmDb.database(pkgs, installTid, "x86_64"));
        Map<Long, String> ourNames = new HashMap<>();
        for (String r : rows(ours, "SELECT hnum, key FROM Name")) {
            String[] f = r.split("\\|");
            ourNames.put(Long.parseLong(f[0]), f[1]);
        }
        assertThat(ourNames).containsEntry(1L, "hello").containsEntry(2L, "kitchen");
        for (String t : TABLES) {
            String q = "SELECT hnum, key, idx, typeof(key) FROM '" + t + "'";
            assertThat(named(rows(ours, q), ourNames)).as(t).isEqualTo(named(rows(theirs, q), theirNames));
        }
        assertThat(rows(ours, "SELECT name, seq FROM sqlite_sequence")).containsExactly("Packages|2");
        assertThat(named(rows(ours, "SELECT hnum, key, idx FROM Requirename"), ourNames))
                .as("install-only requirements (rpmlib(), Requires(post)) are not indexed")
                .containsExactly("kitchen|config(kitchen)|0", "kitchen|hello|2");
    }

    private static TreeSet<String> named(List<String> rows, Map<Long, String> names) {
        TreeSet<String> out = new TreeSet<>();
        for (String r : rows) {
            int bar = r.indexOf('|');
            out.add(names.get(Long.parseLong(r.substring(0, bar))) + r.substring(bar));
        }
        return out;
    }

    @Test
    void database_isReproducible() {
        List<RpmArchive> pkgs = fixtures();
        byte[] a = RpmDb.database(pkgs, RpmFixtures.EPOCH, "x86_64");
        byte[] b = RpmDb.database(List.of(pkgs.get(1), pkgs.get(0)), RpmFixtures.EPOCH, "x86_64");
        assertThat(a).isEqualTo(b);
        assertThat(new String(a, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("SQLite format 3");
        assertThat(a[18]).as("rollback journal, not WAL").isEqualTo((byte) 1);
    }

    @Test
    void entries_layoutAndLegacyLink() {
        List<FileEntry> es = RpmDb.entries(fixtures(), RpmFixtures.EPOCH, "aarch64");
        assertThat(es).extracting(FileEntry::path).containsExactly("usr", "usr/lib", "usr/lib/sysimage",
                "usr/lib/sysimage/rpm", "usr/lib/sysimage/rpm/rpmdb.sqlite", "var", "var/lib", "var/lib/rpm");
        assertThat(es).allSatisfy(e -> {
            assertThat(e.owner()).isEmpty();
            assertThat(e.mtime()).isEqualTo(RpmFixtures.EPOCH);
        });
        FileEntry link = es.get(7);
        assertThat(link.type()).isEqualTo(EntryType.SYMLINK);
        assertThat(link.linkTarget()).isEqualTo("../../usr/lib/sysimage/rpm");
        assertThat(RpmDb.installColorOf("aarch64")).isEqualTo(3);
        assertThat(RpmDb.installColorOf("i686")).isZero();
    }

    @Test
    void realRpm_queriesAndVerifiesOurImage(@TempDir Path dir) throws Exception {
        Tools.require("rpm", "chmod");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: rpm --root -V needs to chroot and own files as other users (run as root)");
        List<RpmArchive> pkgs = fixtures();
        FileTree tree = new FileTree();
        tree.put(FileEntry.directory("etc", 0755, 0, 0, RpmFixtures.EPOCH, ""));
        tree.put(FileEntry.file("etc/passwd", 0644, 0, 0, RpmFixtures.EPOCH,
                "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n".getBytes(StandardCharsets.UTF_8), ""));
        tree.put(FileEntry.file("etc/group", 0644, 0, 0, RpmFixtures.EPOCH,
                "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8), ""));
        Installer installer = new Installer();
        for (RpmArchive p : pkgs) {
            installer.install(tree, p.name(), p.payload(n -> n.equals("nobody") ? 65534 : n.equals("root") ? 0 : null,
                    n -> n.equals("nogroup") ? 65534 : n.equals("root") ? 0 : null));
        }
        for (FileEntry e : RpmDb.entries(pkgs, RpmFixtures.EPOCH, "x86_64")) {
            if (!tree.contains(e.path())) tree.put(e);
        }
        Path root = dir.resolve("root");
        Files.createDirectories(root);
        materialize(tree, root);

        String base = "rpm --root " + root + " --dbpath " + DBPATH + " ";
        String qa = sh(base + "-qa --qf '%{NAME}-%{EPOCH}:%{VERSION}-%{RELEASE}.%{ARCH}\\n' | sort");
        assertThat(qa.strip().split("\n")).containsExactly(
                "hello-3:1.0~rc1-1.kb." + pkgs.get(1).arch(), "kitchen-1:2.0^git20240101-3.noarch");
        assertThat(sh("rpm --root " + root + " --dbpath /var/lib/rpm -qa | sort")).as("through the var/lib/rpm link")
                .isEqualTo("hello-1.0~rc1-1.kb." + pkgs.get(1).arch() + "\nkitchen-2.0^git20240101-3.noarch\n");
        String qi = sh(base + "-qi kitchen");
        assertThat(qi).contains("Name        : kitchen", "Version     : 2.0^git20240101", "License     : GPL-2.0-or-later AND MIT",
                "Vendor      : Kolibri");
        assertThat(sh(base + "-q --qf '%{INSTALLTIME}' kitchen")).isEqualTo(Long.toString(RpmFixtures.EPOCH));
        assertThat(sh(base + "-qf /usr/bin/hello")).isEqualTo("hello-1.0~rc1-1.kb." + pkgs.get(1).arch() + "\n");
        assertThat(sh(base + "-qf /usr/share/kitchen/first")).startsWith("kitchen-");
        assertThat(sh(base + "-q --whatprovides kitchen-sink")).startsWith("kitchen-");

        var verify = Tools.run(null, Map.of(), List.of("sh", "-c", base + "-Va"));
        assertThat(verify.out()).as("rpm -Va: " + verify.err()).isEmpty();
        assertThat(verify.exit()).isZero();

        // and it would notice: change a file and its mode
        Files.writeString(root.resolve("etc/kitchen/kitchen.conf"), "colour = red\n");
        Tools.ok(null, "chmod", "0644", root.resolve("usr/bin/kitchen-su").toString());
        var after = Tools.run(null, Map.of(), List.of("sh", "-c", base + "-Va"));
        assertThat(after.exit()).isNotZero();
        assertThat(after.out()).contains("/etc/kitchen/kitchen.conf").contains("/usr/bin/kitchen-su");
    }

    private static String sh(String cmd) {
        return Tools.ok(null, "sh", "-c", cmd).out();
    }

    /** TreeFiles plus what rpm -V checks and TreeFiles leaves out: owners, setuid bits, mtimes. */
    private static void materialize(FileTree tree, Path root) throws IOException {
        FileTree withoutLinks = new FileTree();
        for (FileEntry e : tree.entries()) if (e.type() != EntryType.HARDLINK) withoutLinks.put(e);
        TreeFiles.materialize(withoutLinks, root);   // TreeFiles links in path order: a link may precede its target
        for (FileEntry e : tree.entries()) {
            if (e.type() == EntryType.HARDLINK) Files.createLink(root.resolve(e.path()), root.resolve(e.linkTarget()));
        }
        for (FileEntry e : tree.entries()) {
            Path p = root.resolve(e.path());
            if (e.type() == EntryType.SYMLINK) {
                Files.setAttribute(p, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", e.gid(), LinkOption.NOFOLLOW_LINKS);
                continue;
            }
            if (e.type() == EntryType.HARDLINK) continue;
            Files.setAttribute(p, "unix:uid", e.uid());
            Files.setAttribute(p, "unix:gid", e.gid());
            if ((e.mode() & 07000) != 0) Tools.ok(null, "chmod", Integer.toOctalString(e.mode()), p.toString());
        }
        for (FileEntry e : tree.entries()) {
            if (e.type() == EntryType.FILE || e.type() == EntryType.DIRECTORY) {
                Files.setLastModifiedTime(root.resolve(e.path()), FileTime.fromMillis(e.mtime() * 1000));
            }
        }
    }
}
