package dev.kolibri.inspect;

import dev.kolibri.build.RpmImageFixture;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.pkg.rpm.RpmArchiveException;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rpmdb reader on databases the real rpm wrote (rpm -i --justdb, rpm --import), compared with rpm -qa. */
class RpmDbReaderTest {
    private static final String DB = "/usr/lib/sysimage/rpm";

    @Test
    void read_databaseWrittenByRpm_equalsRpmQa_andSkipsGpgPubkeys(@TempDir Path tmp) throws Exception {
        Tools.require("rpm", "gpg");
        RpmImageFixture.Repo repo = RpmImageFixture.repo();
        Path root = Files.createDirectories(tmp.resolve("root"));
        List<String> rpms;
        try (Stream<Path> s = Files.list(repo.dir())) {
            rpms = s.filter(p -> p.toString().endsWith(".rpm")).map(Path::toString).sorted().toList();
        }
        List<String> cmd = new ArrayList<>(List.of("rpm", "--root", root.toString(), "--dbpath", DB, "-i", "--justdb",
                "--nodeps", "--nosignature", "--ignorearch"));
        cmd.addAll(rpms);
        Tools.run(tmp, Map.of(), cmd).orFail(cmd);
        Path asc = tmp.resolve("key.asc");
        List<String> export = List.of("gpg", "--batch", "--yes", "--homedir", repo.gpgHome().toString(), "--armor",
                "--export", "--output", asc.toString());
        Tools.run(tmp, Map.of(), export).orFail(export);
        Tools.ok(tmp, "rpm", "--root", root.toString(), "--dbpath", DB, "--import", asc.toString());

        String qa = Tools.ok(tmp, "rpm", "--root", root.toString(), "--dbpath", DB, "-qa", "--qf",
                "%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH} %{SOURCERPM} %{LICENSE}\\n").out();
        TreeSet<String> expected = new TreeSet<>(Arrays.stream(qa.split("\n"))
                .filter(l -> !l.isBlank() && !l.startsWith("gpg-pubkey ")).toList());
        assertThat(qa).contains("gpg-pubkey ");

        FileTree tree = new FileTree();
        Path dbDir = root.resolve(DB.substring(1));
        try (Stream<Path> s = Files.list(dbDir)) {
            for (Path f : s.toList()) {
                tree.put(FileEntry.file("usr/lib/sysimage/rpm/" + f.getFileName(), 0644, 0, 0, 0, Files.readAllBytes(f), ""));
            }
        }
        List<PackageRecord> got = new RpmDbReader().read(tree);
        TreeSet<String> actual = new TreeSet<>();
        for (PackageRecord r : got) {
            actual.add(r.name() + " " + r.version() + " " + r.arch() + " " + r.sourceName() + " " + r.field("License"));
        }
        assertThat(actual).isEqualTo(expected).hasSize(rpms.size());
        assertThat(got).allMatch(r -> r.ecosystem().equals("rpm"));
        assertThat(got).extracting(PackageRecord::name).isSorted();
    }

    @Test
    void read_followsTheVarLibRpmLink() throws Exception {
        RpmImageFixture.repo();
        FileTree tree = new FileTree();
        tree.put(FileEntry.directory("var", 0755, 0, 0, 0, ""));
        tree.put(FileEntry.directory("var/lib", 0755, 0, 0, 0, ""));
        tree.put(FileEntry.symlink("var/lib/rpm", "../../srv/db", 0, 0, 0, ""));
        tree.put(FileEntry.directory("srv", 0755, 0, 0, 0, ""));
        tree.put(FileEntry.directory("srv/db", 0755, 0, 0, 0, ""));
        byte[] db = dev.kolibri.pkg.rpm.RpmDb.database(List.of(dev.kolibri.pkg.rpm.RpmArchive.open(
                RpmImageFixture.repo().dir().resolve("libgreet-1.0-4.x86_64.rpm"))), 1, "x86_64");
        tree.put(FileEntry.file("srv/db/rpmdb.sqlite", 0644, 0, 0, 0, db, ""));
        assertThat(new RpmDbReader().read(tree)).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("libgreet:x86_64");
            assertThat(r.version()).isEqualTo("2:1.0-4");
            assertThat(r.field("Epoch")).isEqualTo("2");
            assertThat(r.sourceName()).isEqualTo("fixture-1-1.src.rpm");
        });
    }

    @Test
    void read_noDatabase_isEmpty() {
        assertThat(new RpmDbReader().read(new FileTree())).isEmpty();
    }

    @Test
    void read_notSqlite_saysWhatAndWhere() {
        FileTree tree = new FileTree();
        tree.put(FileEntry.file("usr/lib/sysimage/rpm/rpmdb.sqlite", 0644, 0, 0, 0, "not a database".getBytes(), ""));
        assertThatThrownBy(() -> new RpmDbReader().read(tree))
                .isInstanceOf(RpmArchiveException.class)
                .hasMessageContaining("/usr/lib/sysimage/rpm/rpmdb.sqlite").hasMessageContaining("sqlite");
    }
}
