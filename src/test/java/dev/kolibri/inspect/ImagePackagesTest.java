package dev.kolibri.inspect;

import dev.kolibri.build.RpmImageFixture;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.pkg.deb.BaseFiles;
import dev.kolibri.pkg.rpm.RpmArchive;
import dev.kolibri.pkg.rpm.RpmDb;
import dev.kolibri.pkg.rpm.SourceRpm;
import dev.kolibri.pkg.rpm.SystemRelease;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The one package-database reader: which databases an image holds, their records, the release they tell, notes. */
class ImagePackagesTest {
    private static void file(FileTree t, String path, byte[] content) {
        t.put(FileEntry.file(path, 0644, 0, 0, 0, content, ""));
    }

    private static void file(FileTree t, String path, String text) {
        file(t, path, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] rpmdb(String... rpms) throws Exception {
        List<RpmArchive> archives = new ArrayList<>();
        for (String r : rpms) archives.add(RpmArchive.open(RpmImageFixture.repo().dir().resolve(r)));
        return RpmDb.database(archives, 1, "x86_64");
    }

    @Test
    void noDatabase_isNoPackages_andANoteSaysSo() {
        ImagePackages p = ImagePackages.read(new FileTree());
        assertThat(p.databases()).isEmpty();
        assertThat(p.packages()).isEmpty();
        assertThat(p.ecosystem()).isEmpty();
        assertThat(p.distro()).isNull();
        assertThat(p.notes()).singleElement().asString().contains("no package database found")
                .contains("/var/lib/dpkg/status").contains("rpmdb.sqlite");
    }

    @Test
    void dpkg_statusD_isDeb_andBaseFilesTellsTheDebianRelease() {
        FileTree t = new FileTree();
        file(t, "var/lib/dpkg/status.d/base-files", "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n");
        file(t, "var/lib/dpkg/status.d/libc6", "Package: libc6\nVersion: 2.36-9\nArchitecture: amd64\nSource: glibc\n");
        ImagePackages p = ImagePackages.read(t);
        assertThat(p.databases()).containsExactly(new ImagePackages.Database("deb", "/var/lib/dpkg/status.d", 2));
        assertThat(p.ecosystem()).contains("deb");
        assertThat(p.packages()).extracting(PackageRecord::name).containsExactly("base-files", "libc6");
        assertThat(p.distro()).isEqualTo(new OsIdentity("debian", "12", "base-files 12.4+deb12u5"));
        assertThat(p.notes()).isEmpty();
    }

    @Test
    void bothDatabases_areRead_eachRecordKeepsItsEcosystem_andANoteSaysSo(@TempDir Path tmp) throws Exception {
        FileTree t = new FileTree();
        file(t, "var/lib/dpkg/status", "Package: tzdata\nStatus: install ok installed\nVersion: 2024a-0+deb12u1\nArchitecture: all\n");
        byte[] db = rpmdb("libgreet-1.0-4.x86_64.rpm", "fedora-release-common-43-1.noarch.rpm");
        file(t, "usr/lib/sysimage/rpm/rpmdb.sqlite", db);

        ImagePackages p = ImagePackages.read(t);
        assertThat(p.databases()).containsExactly(new ImagePackages.Database("deb", "/var/lib/dpkg/status", 1),
                new ImagePackages.Database("rpm", "/usr/lib/sysimage/rpm/rpmdb.sqlite", 2));
        assertThat(p.packages()).extracting(r -> r.ecosystem() + " " + r.name())
                .containsExactly("deb tzdata", "rpm fedora-release-common", "rpm libgreet");
        assertThat(p.notes()).singleElement().asString().contains("2 package databases")
                .contains("deb at /var/lib/dpkg/status (1 packages)").contains("rpm at /usr/lib/sysimage/rpm/rpmdb.sqlite (2 packages)");
        assertThat(p.distro()).isEqualTo(new OsIdentity("fedora", "43", "fedora-release-common provides system-release(43)"));

        // the oracle: the real rpm reads the same rpmdb
        Tools.require("rpm");
        Path dbDir = Files.createDirectories(tmp.resolve("root/usr/lib/sysimage/rpm"));
        Files.write(dbDir.resolve("rpmdb.sqlite"), db);
        String qa = Tools.ok(tmp, "rpm", "--root", tmp.resolve("root").toString(), "--dbpath", "/usr/lib/sysimage/rpm",
                "-qa", "--qf", "%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH} %{SOURCERPM}\\n").out();
        TreeSet<String> fromRpm = new TreeSet<>(Arrays.stream(qa.split("\n")).filter(l -> !l.isBlank()).toList());
        TreeSet<String> fromUs = new TreeSet<>();
        for (PackageRecord r : p.packages()) {
            if (r.ecosystem().equals("rpm")) fromUs.add(r.name() + " " + r.version() + " " + r.arch() + " " + r.sourceName());
        }
        assertThat(fromUs).isEqualTo(fromRpm);
        String provides = Tools.ok(tmp, "rpm", "--root", tmp.resolve("root").toString(), "--dbpath", "/usr/lib/sysimage/rpm",
                "-q", "--provides", "fedora-release-common").out();
        PackageRecord release = p.packages().stream().filter(r -> r.name().equals("fedora-release-common")).findFirst().orElseThrow();
        assertThat(List.of(release.field(RpmDbReader.PROVIDES).split(", ")))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(provides.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    @Test
    void berkeleyDbRpmdb_isFoundButNotRead_andANoteSaysSo() {
        FileTree t = new FileTree();
        file(t, "var/lib/rpm/Packages", new byte[] {0, 0, 0, 0, 0x61, 0x15, 0x06, 0});
        ImagePackages p = ImagePackages.read(t);
        assertThat(p.databases()).containsExactly(new ImagePackages.Database("rpm", "/var/lib/rpm/Packages", 0));
        assertThat(p.packages()).isEmpty();
        assertThat(p.ecosystem()).contains("rpm");
        assertThat(p.notes()).singleElement().asString().contains("/var/lib/rpm/Packages").contains("BerkeleyDB");
    }

    @Test
    void systemRelease_fromTheReleasePackagesProvides() {
        assertThat(SystemRelease.of("fedora-release-common", "43-1", List.of("fedora-release-common = 43-1", "system-release", "system-release(43)")))
                .contains(new SystemRelease("fedora", "43", "fedora-release-common provides system-release(43)"));
        assertThat(SystemRelease.of("redhat-release", "9.4-0.5.el9", List.of("redhat-release = 9.4-0.5.el9", "system-release = 9.4-0.5.el9",
                "system-release(releasever) = 9"))).map(SystemRelease::id).contains("rhel");
        assertThat(SystemRelease.of("redhat-release", "9.4-0.5.el9", List.of("system-release(releasever) = 9")))
                .map(SystemRelease::versionId).contains("9");
        assertThat(SystemRelease.of("almalinux-release", "9.4-1.el9", List.of("system-release = 9.4-1.el9")))
                .map(s -> s.id() + " " + s.versionId()).contains("almalinux 9.4");
        assertThat(SystemRelease.of("rocky-release", "9.3-1.2.el9", List.of("system-release")))
                .map(s -> s.id() + " " + s.versionId()).contains("rocky 9.3");
        assertThat(SystemRelease.of("fixture-release", "1-1", List.of("fixture-release = 1-1"))).isEmpty();
        assertThat(SystemRelease.of("system-release", "2023-1", List.of("system-release"))).isEmpty();
    }

    @Test
    void baseFiles_versionTellsTheDebianRelease() {
        assertThat(BaseFiles.debianRelease("12.4+deb12u5")).contains("12");
        assertThat(BaseFiles.debianRelease("13.8")).contains("13");
        assertThat(BaseFiles.debianRelease("11.1+deb11u11")).contains("11");
        assertThat(BaseFiles.debianRelease("12ubuntu4.6")).isEmpty();
        assertThat(BaseFiles.debianRelease("12.4+deb11u1")).isEmpty();
    }

    @Test
    void sourceRpm_fileNameSplits() {
        assertThat(SourceRpm.parse("openssl-3.0.7-27.el9.src.rpm")).contains(new SourceRpm("openssl", "3.0.7", "27.el9"));
        assertThat(SourceRpm.parse("fixture-1-1.src.rpm")).map(SourceRpm::name).contains("fixture");
        assertThat(SourceRpm.parse("openssl")).isEmpty();
        assertThat(SourceRpm.parse(null)).isEmpty();
    }

    @Test
    void osIdentity_osReleaseWins_unlessItLacksVersionId() {
        OsIdentity db = new OsIdentity("fedora", "43", "fedora-release-common provides system-release(43)");
        assertThat(OsIdentity.choose(Map.of("ID", "rhel", "VERSION_ID", "9.4"), db)).isEqualTo(new OsIdentity("rhel", "9.4", "os-release"));
        assertThat(OsIdentity.choose(Map.of("ID", "kolibri"), db)).isEqualTo(db);
        assertThat(OsIdentity.choose(Map.of(), db)).isEqualTo(db);
        assertThat(OsIdentity.choose(Map.of("ID", "kolibri"), null)).isEqualTo(new OsIdentity("kolibri", null, "os-release"));
    }
}
