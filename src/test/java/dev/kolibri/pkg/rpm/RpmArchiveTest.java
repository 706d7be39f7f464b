package dev.kolibri.pkg.rpm;

import dev.kolibri.fs.FileTree;
import dev.kolibri.fs.InstallReport;
import dev.kolibri.fs.Installer;
import dev.kolibri.fs.PayloadEntry;
import dev.kolibri.fs.TreeFiles;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpmArchiveTest {

    private static List<PayloadEntry> entries(RpmArchive a) {
        List<PayloadEntry> out = new ArrayList<>();
        a.payload(n -> n.equals("nobody") ? 65534 : n.equals("root") ? 0 : null,
                n -> n.equals("nogroup") ? 65534 : n.equals("root") ? 0 : null).forEachEntry(out::add);
        return out;
    }

    private static String qf(Path rpm, String format) {
        return Tools.ok(null, "rpm", "-qp", "--qf", format, rpm.toString()).out();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "zstd", "bzip2", "lzma"})
    void payload_matchesRpmDump(String compressor) throws Exception {
        Tools.require("rpm");
        Path rpm = RpmFixtures.kitchen(compressor);
        RpmArchive a = RpmArchive.open(rpm);
        assertThat(a.payloadCompressor()).isEqualTo(compressor);
        List<PayloadEntry> got = entries(a);
        Map<String, PayloadEntry> byPath = new LinkedHashMap<>();
        for (PayloadEntry e : got) byPath.put(e.path().substring(1), e);
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (PayloadEntry e : got) if (e.kind() == PayloadEntry.Kind.FILE) contents.put(e.path(), e.content());

        // rpm --dump: path size mtime digest mode owner group isconfig isdoc rdev symlink
        int checked = 0;
        for (String line : Tools.ok(null, "rpm", "-qp", "--dump", rpm.toString()).out().split("\n")) {
            String[] f = line.split(" ");
            String path = f[0];
            int mode = Integer.parseInt(f[4], 8);
            if (path.equals("/var/log/kitchen.log")) {
                assertThat(byPath).as("%ghost is not in the payload").doesNotContainKey(path);
                continue;
            }
            PayloadEntry e = byPath.get(path);
            assertThat(e).as(path).isNotNull();
            assertThat(e.mode()).as(path + " mode").isEqualTo(mode & 07777);
            assertThat(e.mtime()).as(path + " mtime").isEqualTo(Long.parseLong(f[2]));
            assertThat(e.userName()).isEqualTo(f[5]);
            assertThat(e.groupName()).isEqualTo(f[6]);
            assertThat(e.uid()).isEqualTo(f[5].equals("nobody") ? 65534 : 0);
            assertThat(e.gid()).isEqualTo(f[6].equals("nogroup") ? 65534 : 0);
            switch (mode & 0170000) {
                case 0040000 -> assertThat(e.kind()).isEqualTo(PayloadEntry.Kind.DIRECTORY);
                case 0120000 -> {
                    assertThat(e.kind()).isEqualTo(PayloadEntry.Kind.SYMLINK);
                    assertThat(e.linkTarget()).isEqualTo(f[10]);
                }
                default -> {
                    byte[] content = e.kind() == PayloadEntry.Kind.HARDLINK ? contents.get(e.linkTarget()) : e.content();
                    assertThat(content).as(path).isNotNull();
                    assertThat((long) content.length).isEqualTo(Long.parseLong(f[1]));
                    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))).isEqualTo(f[3]);
                }
            }
            checked++;
        }
        assertThat(checked).isEqualTo(got.size()).isEqualTo(12);

        // the hardlink pair: rpm puts the content on the last member; we emit it first, then the link to it
        PayloadEntry second = byPath.get("/usr/share/kitchen/second");
        PayloadEntry first = byPath.get("/usr/share/kitchen/first");
        assertThat(second.kind()).isEqualTo(PayloadEntry.Kind.FILE);
        assertThat(first.kind()).isEqualTo(PayloadEntry.Kind.HARDLINK);
        assertThat(first.linkTarget()).isEqualTo(second.path());
        assertThat(got.indexOf(second)).isLessThan(got.indexOf(first));
    }

    @Test
    void memberNames_matchRpm2cpio() {
        Tools.require("rpm2cpio", "cpio", "sh");
        Path rpm = RpmFixtures.kitchen("xz");
        String listed = Tools.ok(null, "sh", "-c", "rpm2cpio '" + rpm + "' | cpio --quiet -t").out();
        Set<String> want = new TreeSet<>(List.of(listed.strip().split("\n")));
        Set<String> got = new TreeSet<>();
        for (PayloadEntry e : entries(RpmArchive.open(rpm))) got.add(e.path());
        assertThat(got).isEqualTo(want);
    }

    @Test
    void metadata_matchesRpmQuery() {
        Tools.require("rpm");
        Path rpm = RpmFixtures.kitchen("gzip");
        RpmArchive a = RpmArchive.open(rpm);
        assertThat(a.name()).isEqualTo("kitchen");
        assertThat(a.epoch()).hasValue(1);
        assertThat(a.version()).isEqualTo("2.0^git20240101");
        assertThat(a.release()).isEqualTo("3");
        assertThat(a.arch()).isEqualTo("noarch");
        assertThat(a.evr()).isEqualTo("1:2.0^git20240101-3");
        assertThat(a.nevra()).isEqualTo("kitchen-1:2.0^git20240101-3.noarch");
        assertThat(a.buildTime()).isEqualTo(RpmFixtures.EPOCH);
        String q = qf(rpm, "%{SOURCERPM}|%{LICENSE}|%{PACKAGER}|%{VENDOR}|%{URL}|%{SUMMARY}|%{BUILDTIME}");
        assertThat(String.join("|", a.sourceRpm().orElseThrow(), a.license(), a.packager(), a.vendor(), a.url(),
                a.summary(), Long.toString(a.buildTime()))).isEqualTo(q);
        assertThat(a.header().strings(RpmTags.PROVIDENAME)).containsExactly("config(kitchen)", "kitchen", "kitchen-sink");
        assertThat(a.header().strings(RpmTags.REQUIRENAME)).contains("hello", "config(kitchen)");
        assertThat(a.files()).filteredOn(RpmFile::isGhost).extracting(RpmFile::path).containsExactly("/var/log/kitchen.log");
        assertThat(a.files()).filteredOn(RpmFile::isConfig).extracting(RpmFile::path).containsExactly("/etc/kitchen/kitchen.conf");
        assertThat(a.headerBlob()).hasSize(a.header().sizeWithMagic() - 8);
    }

    @Test
    void staticBinary_installsAndRuns(@TempDir Path dir) throws IOException {
        Tools.require("rpm");
        Path rpm = RpmFixtures.hello("zstd");
        RpmArchive a = RpmArchive.open(rpm);
        assertThat(a.evr()).isEqualTo("3:1.0~rc1-1.kb");
        assertThat(a.arch()).isEqualTo(qf(rpm, "%{ARCH}"));
        FileTree tree = new FileTree();
        InstallReport report = new Installer().install(tree, a.name(), a.payload());
        assertThat(report.paths()).contains("usr/bin/hello");
        byte[] bin = tree.get("usr/bin/hello").orElseThrow().content();
        assertThat(bin).isEqualTo(Files.readAllBytes(RpmFixtures.helloBinary()));
        TreeFiles.materialize(tree, dir);
        assertThat(Tools.ok(null, dir.resolve("usr/bin/hello").toString()).out()).isEqualTo("hello from kolibri\n");
    }

    @Test
    void install_reportsSetuidAndKeepsOddDirectoryMode() {
        RpmArchive a = RpmArchive.open(RpmFixtures.kitchen("gzip"));
        FileTree tree = new FileTree();
        InstallReport report = new Installer().install(tree, a.name(), entries(a)::forEach);
        assertThat(report.setuidPaths()).containsExactly("usr/bin/kitchen-su");
        assertThat(tree.get("var/lib/kitchen").orElseThrow().mode()).isEqualTo(0711);
        assertThat(tree.get("usr/share/kitchen/nobody.txt").orElseThrow().uid()).isEqualTo(65534);
        assertThat(tree.contains("var/log/kitchen.log")).isFalse();
        assertThat(tree.get("usr/share/kitchen/first").orElseThrow().linkTarget()).isEqualTo("usr/share/kitchen/second");
    }

    @Test
    void tamperedPayload_isRefusedNamingThePackage() throws IOException {
        Path bad = RpmFixtures.tampered(RpmFixtures.kitchen("gzip"), -20);
        assertThatThrownBy(() -> RpmArchive.open(bad)).isInstanceOf(RpmArchiveException.class)
                .hasMessageContaining("kitchen-1:2.0^git20240101-3.noarch").hasMessageContaining("payload digest mismatch");
    }

    @Test
    void tamperedHeader_isRefusedNamingThePackage() throws IOException {
        Path good = RpmFixtures.kitchen("xz");
        RpmArchive a = RpmArchive.open(good);
        // a byte inside the SUMMARY string of the main header: still parses, no longer matches SHA256HEADER
        long hdrStart = Files.size(good) - a.header().sizeWithMagic() - payloadLength(good, a);
        RpmHeader.Entry summary = a.header().entry(RpmTags.SUMMARY).orElseThrow();
        long at = hdrStart + 16 + 16L * a.header().entries().size() + summary.offset() + 2;
        Path bad = RpmFixtures.tampered(good, at);
        assertThatThrownBy(() -> RpmArchive.open(bad)).isInstanceOf(RpmArchiveException.class)
                .hasMessageContaining("kitchen").hasMessageContaining("main header digest mismatch");
    }

    @Test
    void fileChangedAfterOpen_payloadRefused() throws IOException {
        Path copy = Files.createTempFile(RpmFixtures.root(), "changed", ".rpm");
        Files.copy(RpmFixtures.kitchen("zstd"), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        RpmArchive a = RpmArchive.open(copy);
        byte[] b = Files.readAllBytes(copy);
        b[b.length - 3] ^= 1;
        Files.write(copy, b);
        assertThatThrownBy(() -> a.payload().forEachEntry(e -> {})).isInstanceOf(RpmArchiveException.class)
                .hasMessageContaining("kitchen");
    }

    @Test
    void notAnRpm_truncated_missing() throws IOException {
        Path dir = RpmFixtures.root();
        Path text = Files.writeString(dir.resolve("not.rpm"), "hello, this is not a package at all ".repeat(5));
        assertThatThrownBy(() -> RpmArchive.open(text)).isInstanceOf(RpmArchiveException.class)
                .hasMessageContaining("not an RPM package");
        byte[] full = Files.readAllBytes(RpmFixtures.kitchen("gzip"));
        Path cut = dir.resolve("cut.rpm");
        Files.write(cut, java.util.Arrays.copyOf(full, 400));
        assertThatThrownBy(() -> RpmArchive.open(cut)).isInstanceOf(RpmArchiveException.class)
                .hasMessageContaining("cut.rpm").hasMessageContaining("truncated");
        Path shorter = dir.resolve("short-payload.rpm");
        Files.write(shorter, java.util.Arrays.copyOf(full, full.length - 100));
        assertThatThrownBy(() -> RpmArchive.open(shorter)).isInstanceOf(RpmArchiveException.class)
                .hasMessageContaining("payload digest mismatch");
        assertThatThrownBy(() -> RpmArchive.open(dir.resolve("nope.rpm"))).hasMessageContaining("no such file");
    }

    @Test
    void hostileHeaderCount_isRefused() throws IOException {
        byte[] full = Files.readAllBytes(RpmFixtures.kitchen("gzip"));
        // signature header entry count at lead + 8: claim 0x7fffffff entries
        full[96 + 8] = 0x7f;
        Path bad = RpmFixtures.root().resolve("hostile.rpm");
        Files.write(bad, full);
        assertThatThrownBy(() -> RpmArchive.open(bad)).isInstanceOf(RpmArchiveException.class)
                .hasMessageContaining("entries").hasMessageContaining("hostile");
    }

    @Test
    void decompressionBomb_isBounded() {
        RpmArchive a = RpmArchive.open(RpmFixtures.kitchen("gzip"), 100);
        assertThatThrownBy(() -> a.payload().forEachEntry(e -> {}))
                .isInstanceOf(dev.kolibri.fs.LimitExceededException.class)
                .hasMessageContaining("limit of 100 bytes").hasMessageContaining("limits.package")
                .hasMessageContaining("member '");
    }

    private static long payloadLength(Path rpm, RpmArchive a) throws IOException {
        int sig = a.signature().sizeWithMagic();
        int pad = (8 - sig % 8) % 8;
        return Files.size(rpm) - 96 - sig - pad - a.header().sizeWithMagic();
    }
}
