package dev.kolibri.pkg.deb;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.fs.InstallReport;
import dev.kolibri.fs.Installer;
import dev.kolibri.fs.PayloadEntry;
import dev.kolibri.fs.UnsafePayloadException;
import dev.kolibri.testing.DebBuilder;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DebArchiveTest {
    @TempDir
    Path tmp;

    private static final byte[] ELF = "\u007fELF pretend binary".getBytes(StandardCharsets.ISO_8859_1);

    private Path sampleDeb(String compression) throws IOException {
        Tools.require("dpkg-deb");
        return DebBuilder.deb("sample", "1:2.0-1", "amd64").compression(compression)
                .field("Depends", "libc6 (>= 2.36)")
                .field("Homepage", "https://example.invalid/sample")
                .file("usr/bin/sample", ELF, "755")
                .file("usr/share/doc/sample/README", "hello\n")
                .file("etc/sample.conf", "key=value\n".getBytes(StandardCharsets.UTF_8), "600")
                .symlink("usr/bin/sample-alias", "sample")
                .symlink("usr/lib/sample/abs", "/etc/sample.conf")
                .build(tmp.resolve("debs-" + compression));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "zstd", "none"})
    void payload_eachCompression_matchesDpkgDebExtraction(String compression) throws IOException {
        Path deb = sampleDeb(compression);
        DebArchive a = DebArchive.open(deb);
        assertThat(a.dataMember()).isEqualTo(switch (compression) {
            case "gzip" -> "data.tar.gz";
            case "xz" -> "data.tar.xz";
            case "zstd" -> "data.tar.zst";
            default -> "data.tar";
        });
        assertThat(a.name()).isEqualTo("sample");
        assertThat(a.control()).containsEntry("Version", "1:2.0-1").containsEntry("Depends", "libc6 (>= 2.36)");
        assertThatMatchesOracle(deb, a);
    }

    @Test
    void payload_rawMemberNames_areTheArchiveNames() throws IOException {
        Path deb = sampleDeb("xz");
        List<String> ours = new ArrayList<>();
        DebArchive.open(deb).forEachPayloadEntry(e -> ours.add(e.path()));
        String tarList = Tools.ok(tmp, "sh", "-c", "dpkg-deb --fsys-tarfile '" + deb + "' | tar -t").out();
        assertThat(ours).containsExactlyElementsOf(tarList.lines().toList());
        assertThat(ours).contains("./usr/bin/sample", "./usr/bin/");
    }

    @Test
    void control_fieldsInFileOrderWithMultilineDescription() throws IOException {
        Tools.require("dpkg-deb");
        Path deb = DebBuilder.deb("multi", "1.0", "all").field("Description-md5", "x").build(tmp);
        DebArchive a = DebArchive.open(deb);
        String info = Tools.ok(tmp, "dpkg-deb", "--field", deb.toString()).out();
        List<String> oracleKeys = info.lines().filter(l -> !l.startsWith(" ") && l.contains(":"))
                .map(l -> l.substring(0, l.indexOf(':'))).toList();
        assertThat(List.copyOf(a.control().keySet())).containsExactlyElementsOf(oracleKeys);
        assertThat(a.md5sums()).isEmpty();
        assertThat(a.conffiles()).isEmpty();
        assertThat(a.maintainerScripts()).isEmpty();
    }

    @Test
    void control_membersAndScripts_reported() throws IOException {
        Path deb = DebArchiveCrafter.deb().file("./etc/x.conf", "x\n")
                .controlMember("md5sums", "401b30e3b8b5d629635a5c613cdb7919  etc/x.conf\n")
                .controlMember("conffiles", "/etc/x.conf\n")
                .controlMember("postrm", "#!/bin/sh\n")
                .controlMember("preinst", "#!/bin/sh\n")
                .controlMember("triggers", "interest foo\n")
                .build(tmp, "scripts.deb");
        DebArchive a = DebArchive.open(deb);
        assertThat(a.md5sums()).contains("401b30e3b8b5d629635a5c613cdb7919  etc/x.conf\n");
        assertThat(a.conffiles()).contains("/etc/x.conf\n");
        assertThat(a.maintainerScripts()).containsExactly("preinst", "postrm");
    }

    @Test
    void withControl_fromTheControlTarOpenRead_isTheSameArchive() throws IOException {
        Path deb = DebBuilder.deb("sample", "1:2.0-1", "amd64").field("Depends", "libc6 (>= 2.36)")
                .file("/usr/bin/sample", "#!/bin/true\n").build(tmp);
        DebArchive opened = DebArchive.open(deb);
        // the kept tar is byte for byte what dpkg-deb itself extracts as the control tar
        Process p = new ProcessBuilder("dpkg-deb", "--ctrl-tarfile", deb.toString()).redirectErrorStream(false).start();
        byte[] reference = p.getInputStream().readAllBytes();
        try {
            assertThat(p.waitFor()).isZero();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(opened.controlTar()).isEqualTo(reference);
        DebArchive again = DebArchive.withControl(deb, opened.dataMember(), opened.controlTar());
        assertThat(again.control()).isEqualTo(opened.control());
        assertThat(again.md5sums()).isEqualTo(opened.md5sums());
        assertThat(again.maintainerScripts()).isEqualTo(opened.maintainerScripts());
        assertThat(again.name()).isEqualTo("sample");
        List<PayloadEntry> a = new ArrayList<>();
        List<PayloadEntry> b = new ArrayList<>();
        opened.forEachPayloadEntry(a::add);
        again.forEachPayloadEntry(b::add);
        assertThat(b).isEqualTo(a);
        assertThatThrownBy(() -> DebArchive.withControl(deb, opened.dataMember(), "not a tar".getBytes()))
                .isInstanceOf(DebArchiveException.class);
        assertThatThrownBy(() -> DebArchive.withControl(deb, "control.tar.xz", opened.controlTar()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Real Debian packages from this machine's apt cache: a hardlink (perl-base), setuid binaries (passwd). */
    @ParameterizedTest
    @ValueSource(strings = {"perl-base_", "passwd_", "tzdata_"})
    void payload_realPackageFromAptCache_matchesDpkgDebExtraction(String prefix) throws IOException {
        Path cache = Path.of("/var/cache/apt/archives");
        Path deb;
        try (Stream<Path> s = Files.isDirectory(cache) ? Files.list(cache) : Stream.empty()) {
            deb = s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".deb"))
                    .sorted().findFirst().orElse(null);
        }
        Assumptions.assumeTrue(deb != null, () -> "skipped: no " + prefix + "*.deb in " + cache);
        DebArchive a = DebArchive.open(deb);
        String oracleMd5 = Tools.ok(tmp, "sh", "-c", "dpkg-deb --ctrl-tarfile '" + deb + "' | tar -xO ./md5sums").out();
        assertThat(a.md5sums()).contains(oracleMd5);
        assertThat(a.control().get("Package")).isEqualTo(prefix.substring(0, prefix.length() - 1));
        InstallReport r = assertThatMatchesOracle(deb, a);
        String contents = Tools.ok(tmp, "dpkg-deb", "--contents", deb.toString()).out();
        long setuidInOracle = contents.lines().filter(l -> l.matches("^-..[sS].*|^-.....[sS].*")).count();
        assertThat(r.setuidPaths()).hasSize((int) setuidInOracle);
        if (prefix.equals("passwd_")) assertThat(r.setuidPaths()).contains("usr/bin/passwd");
        if (prefix.equals("perl-base_")) {
            long links = contents.lines().filter(l -> l.contains(" link to ")).count();
            assertThat(links).isPositive();
        }
    }

    /** Installs {@code a} and compares paths, types, modes, owners, link targets and bytes with {@code dpkg-deb -x}. */
    private InstallReport assertThatMatchesOracle(Path deb, DebArchive a) throws IOException {
        Path out = Files.createTempDirectory(tmp, "x");
        Tools.ok(tmp, "dpkg-deb", "-x", deb.toString(), out.toString());
        List<String> oracle = Tools.ok(out, "find", ".", "-mindepth", "1", "-printf", "%P|%y|%m|%U|%G|%l\\n").out()
                .lines().sorted().toList();
        FileTree tree = new FileTree();
        InstallReport report = new Installer().install(tree, a.name(), a.payload());
        List<String> ours = tree.entries().stream().map(e -> e.path() + "|" + switch (e.type()) {
            case DIRECTORY -> "d";
            case FILE, HARDLINK -> "f";
            case SYMLINK -> "l";
        } + "|" + Integer.toOctalString(e.mode()) + "|" + e.uid() + "|" + e.gid() + "|"
                + (e.type() == EntryType.SYMLINK ? e.linkTarget() : "")).sorted().toList();
        assertThat(ours).containsExactlyElementsOf(oracle);
        long bytes = 0;
        for (FileEntry e : tree.entries()) {
            if (e.type() == EntryType.FILE || e.type() == EntryType.HARDLINK) {
                byte[] mine = e.type() == EntryType.FILE ? e.content() : tree.get(e.linkTarget()).orElseThrow().content();
                if (!Arrays.equals(mine, Files.readAllBytes(out.resolve(e.path())))) {
                    throw new AssertionError("content differs from dpkg-deb -x: " + e.path());
                }
                if (e.type() == EntryType.FILE) bytes += mine.length;
            }
            if (e.type() == EntryType.HARDLINK) {
                assertThat(Files.isSameFile(out.resolve(e.path()), out.resolve(e.linkTarget()))).isTrue();
            }
        }
        assertThat(report.bytes()).isEqualTo(bytes);
        assertThat(report.paths()).containsExactlyInAnyOrderElementsOf(tree.entries().stream().map(FileEntry::path).toList());
        return report;
    }

    // ---- hostile and broken packages ----

    private FileTree installCrafted(DebArchiveCrafter c, String name) throws IOException {
        FileTree tree = new FileTree();
        new Installer().install(tree, "evil", DebArchive.open(c.build(tmp, name)).payload());
        return tree;
    }

    @Test
    void hostile_dotDotMember_refused() {
        assertThatThrownBy(() -> installCrafted(DebArchiveCrafter.deb().dir("./").file("./../../etc/evil", "x"), "dotdot.deb"))
                .isInstanceOf(UnsafePayloadException.class)
                .hasMessage("unsafe package 'evil': member './../../etc/evil' refused: its path climbs out of the root with '..'");
    }

    @Test
    void hostile_absoluteMember_landsInsideTheTree() throws IOException {
        FileTree tree = installCrafted(DebArchiveCrafter.deb().file("/etc/evil", "x"), "abs.deb");
        assertThat(tree.get("etc/evil").orElseThrow().content()).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
        assertThat(tree.entries()).extracting(FileEntry::path).containsExactly("etc", "etc/evil");
    }

    @Test
    void hostile_memberThroughSymlinkedParent_refused() {
        assertThatThrownBy(() -> installCrafted(DebArchiveCrafter.deb().dir("./usr/").dir("./usr/lib/")
                .symlink("./usr/lib/x", "/etc").file("./usr/lib/x/passwd", "root::0:0::/:/bin/sh\n"), "symparent.deb"))
                .isInstanceOf(UnsafePayloadException.class)
                .hasMessageContaining("'./usr/lib/x/passwd'").hasMessageContaining("'/usr/lib/x' is a symlink (-> /etc)");
    }

    @Test
    void hostile_hardlinkOutside_refused() {
        assertThatThrownBy(() -> installCrafted(DebArchiveCrafter.deb().hardlink("./x", "../outside"), "hl.deb"))
                .isInstanceOf(UnsafePayloadException.class).hasMessageContaining("'../outside'");
    }

    @Test
    void hostile_deviceAndFifo_droppedSetuidReported() throws IOException {
        Path deb = DebArchiveCrafter.deb().dir("./dev/").member("./dev/null", "chr", 0666, null, null)
                .member("./dev/fifo", "fifo", 0600, null, null)
                .member("./usr/bin/su", "file", 04755, "su", null).build(tmp, "dev.deb");
        List<PayloadEntry.Kind> kinds = new ArrayList<>();
        DebArchive a = DebArchive.open(deb);
        a.forEachPayloadEntry(e -> kinds.add(e.kind()));
        assertThat(kinds).containsExactly(PayloadEntry.Kind.DIRECTORY, PayloadEntry.Kind.CHAR_DEVICE,
                PayloadEntry.Kind.FIFO, PayloadEntry.Kind.FILE);
        FileTree tree = new FileTree();
        InstallReport r = new Installer().install(tree, "evil", a.payload());
        assertThat(r.droppedPaths()).containsExactly("dev/fifo", "dev/null");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("character device './dev/null'"));
        assertThat(r.setuidPaths()).containsExactly("usr/bin/su");
        assertThat(tree.get("usr/bin/su").orElseThrow().mode()).isEqualTo(04755);
        assertThat(tree.contains("dev/null")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "pax"})
    void payload_longAndUnicodeNames_read(String format) throws IOException {
        String longName = "./usr/share/" + "d".repeat(120) + "/" + "f".repeat(110) + ".txt";
        Path deb = DebArchiveCrafter.deb().format(format).file(longName, "long").file("./usr/share/naïve-東京", "u")
                .symlink("./usr/share/l", "/" + "t".repeat(150)).compression("gzip").build(tmp, format + ".deb");
        List<PayloadEntry> got = new ArrayList<>();
        DebArchive.open(deb).forEachPayloadEntry(got::add);
        assertThat(got).extracting(PayloadEntry::path).containsExactly(longName, "./usr/share/naïve-東京", "./usr/share/l");
        assertThat(got.get(2).linkTarget()).isEqualTo("/" + "t".repeat(150));
        assertThat(got.get(0).mtime()).isEqualTo(1_700_000_000L);
    }

    @Test
    void open_truncatedDeb_clearError() throws IOException {
        Path deb = sampleDeb("xz");
        byte[] b = Files.readAllBytes(deb);
        Path cut = tmp.resolve("cut.deb");
        Files.write(cut, Arrays.copyOf(b, b.length - 100));
        assertThatThrownBy(() -> DebArchive.open(cut))
                .isInstanceOf(DebArchiveException.class)
                .hasMessageContaining(cut.toString()).hasMessageContaining("truncated").hasMessageContaining("delete it from the cache");
    }

    @Test
    void open_truncatedInsideTheArHeaders_clearError() throws IOException {
        Path deb = sampleDeb("xz");
        Path cut = tmp.resolve("cut2.deb");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(deb), 100));
        assertThatThrownBy(() -> DebArchive.open(cut)).isInstanceOf(DebArchiveException.class)
                .hasMessageContaining(cut.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip"})
    void payload_fileTruncatedAfterOpen_clearError(String compression) throws IOException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 3000; i++) big.append("line ").append(i * 7919 % 1000).append('\n');
        Path deb = DebArchiveCrafter.deb().compression(compression).file("./a", big.toString()).build(tmp, "later.deb");
        DebArchive a = DebArchive.open(deb);
        byte[] b = Files.readAllBytes(deb);
        Files.write(deb, Arrays.copyOf(b, b.length - 700));
        assertThatThrownBy(() -> a.forEachPayloadEntry(e -> { }))
                .isInstanceOf(DebArchiveException.class).hasMessageContaining(deb.toString())
                .hasMessageContaining("delete it from the cache");
    }

    @Test
    void payload_corruptXz_clearError() throws IOException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 2000; i++) big.append("line ").append(i * 7919 % 1000).append('\n');
        Path deb = DebArchiveCrafter.deb().file("./a", big.toString()).file("./b", big.reverse().toString())
                .corruptData().build(tmp, "corrupt.deb");
        DebArchive a = DebArchive.open(deb);
        assertThatThrownBy(() -> a.forEachPayloadEntry(e -> { }))
                .isInstanceOf(DebArchiveException.class)
                .hasMessageContaining(deb + " (data.tar.xz): cannot read the payload (")
                .hasMessageEndingWith("delete it from the cache and fetch it again");
    }

    @Test
    void open_notAnArFile_clearError() throws IOException {
        Path f = tmp.resolve("page.deb");
        Files.writeString(f, "<html>404 not found</html>\n");
        assertThatThrownBy(() -> DebArchive.open(f)).isInstanceOf(DebArchiveException.class)
                .hasMessage(f + ": not a Debian package (no ar archive header); the download is corrupt or incomplete: "
                        + "delete it from the cache and fetch it again");
    }

    @Test
    void open_missingFile_clearError() {
        Path f = tmp.resolve("nope.deb");
        assertThatThrownBy(() -> DebArchive.open(f)).isInstanceOf(DebArchiveException.class).hasMessage(f + ": no such file");
    }

    @Test
    void open_missingDataMember_clearError() throws IOException {
        Path deb = DebArchiveCrafter.deb().file("./a", "a").omitData().build(tmp, "nodata.deb");
        assertThatThrownBy(() -> DebArchive.open(deb)).isInstanceOf(DebArchiveException.class)
                .hasMessageContaining("no data.tar member");
    }

    @Test
    void open_unknownCompression_clearError() throws IOException {
        Path deb = DebArchiveCrafter.deb().file("./a", "a").dataName("data.tar.lz4").build(tmp, "lz4.deb");
        assertThatThrownBy(() -> DebArchive.open(deb)).isInstanceOf(DebArchiveException.class)
                .hasMessageContaining("'data.tar.lz4' uses an unknown compression");
    }

    @Test
    void open_otherFormatVersion_refused() throws IOException {
        Path deb = DebArchiveCrafter.deb().file("./a", "a").debianBinary("3.0\n").build(tmp, "v3.deb");
        assertThatThrownBy(() -> DebArchive.open(deb)).isInstanceOf(DebArchiveException.class)
                .hasMessageContaining("unsupported package format '3.0'");
    }

    @Test
    void payload_aboveSizeLimit_refused() throws IOException {
        Path deb = DebArchiveCrafter.deb().file("./big", "z".repeat(200_000)).build(tmp, "bomb.deb");
        assertThat(Files.size(deb)).isLessThan(10_000);
        DebArchive a = DebArchive.open(deb, 100_000);
        // the refusal names the package, the member, its size and the limit with its key
        assertThatThrownBy(() -> a.forEachPayloadEntry(e -> { }))
                .isInstanceOf(dev.kolibri.fs.LimitExceededException.class)
                .hasMessageContaining("package '").hasMessageContaining("member './big'")
                .hasMessageContaining("(200000 bytes)").hasMessageContaining("limit of 97.7 KiB (100000 bytes) per package")
                .hasMessageContaining("limits.package").hasMessageNotContaining(tmp.toString());
        List<String> names = new ArrayList<>();
        DebArchive.open(deb).forEachPayloadEntry(e -> names.add(e.path()));
        assertThat(names).containsExactly("./big");
    }
}
