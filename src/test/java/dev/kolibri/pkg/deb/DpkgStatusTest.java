package dev.kolibri.pkg.deb;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.fs.InstallReport;
import dev.kolibri.fs.Installer;
import dev.kolibri.fs.TreeFiles;
import dev.kolibri.testing.DebBuilder;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpkgStatusTest {
    private static final long EPOCH = 1_700_000_000L;

    @TempDir
    Path tmp;

    private Path richDeb() throws IOException {
        return DebBuilder.deb("rich", "1:2.3-4", "amd64")
                .field("Homepage", "https://example.invalid/rich")
                .field("X-Custom", "kept in place")
                .field("Depends", "libc6 (>= 2.36), libfoo1 | libbar1")
                .field("Source", "rich-src (2.3-4)")
                .field("Essential", "yes")
                .field("Multi-Arch", "same")
                .field("Pre-Depends", "dpkg (>= 1.15)")
                .field("Provides", "rich-virtual")
                .field("Breaks", "old-rich (<< 2)")
                .field("Section", "libs")
                .field("Priority", "optional")
                .field("Installed-Size", "12")
                .field("Built-Using", "gcc-12 (= 12.2.0-14)")
                .file("usr/lib/rich/librich.so.1", "\u007fELF rich".getBytes(StandardCharsets.ISO_8859_1), "644")
                .file("usr/share/doc/rich/copyright", "free\n")
                .file("usr/bin/rich", "#!/bin/false\n".getBytes(StandardCharsets.UTF_8), "755")
                .symlink("usr/lib/rich/librich.so", "librich.so.1")
                .build(tmp.resolve("debs"));
    }

    private static DpkgStatus.Installed install(FileTree tree, Path deb) {
        DebArchive a = DebArchive.open(deb);
        InstallReport r = new Installer().install(tree, a.name(), a.payload());
        return DpkgStatus.Installed.of(a, r, tree);
    }

    /** dpkg itself is the oracle: install the same .deb with {@code dpkg --root} and compare what it wrote. */
    @Test
    void paragraphMd5sumsAndList_matchWhatDpkgWrites() throws IOException {
        Tools.require("dpkg", "dpkg-deb");
        Path deb = richDeb();
        Path root = tmp.resolve("dpkgroot");
        Path admin = root.resolve("var/lib/dpkg");
        for (String d : List.of("info", "updates", "triggers")) Files.createDirectories(admin.resolve(d));
        Files.writeString(admin.resolve("status"), "");
        Files.writeString(admin.resolve("available"), "");
        Tools.ok(tmp, "dpkg", "--root=" + root, "--force-depends", "--force-not-root", "-i", deb.toString());

        DpkgStatus.Installed p = install(new FileTree(), deb);
        assertThat(DpkgStatus.statusFile(List.of(p))).isEqualTo(Files.readString(admin.resolve("status")));
        assertThat(DpkgStatus.paragraph(p)).startsWith("Package: rich\nEssential: yes\nStatus: install ok installed\n");
        assertThat(DpkgStatus.md5sums(p)).isEqualTo(Files.readString(admin.resolve("info/rich:amd64.md5sums")));
        assertThat(DpkgStatus.list(p).lines().sorted().toList())
                .isEqualTo(Files.readString(admin.resolve("info/rich:amd64.list")).lines().sorted().toList());
    }

    @Test
    void statusFile_twoPackages_readByDpkgQueryAndVerifiedByDpkg() throws IOException {
        Tools.require("dpkg", "dpkg-query", "dpkg-deb");
        FileTree tree = new FileTree();
        DpkgStatus.Installed rich = install(tree, richDeb());
        DpkgStatus.Installed base = install(tree, DebBuilder.deb("abase", "12.4", "all")
                .file("etc/issue", "Kolibri\n").file("usr/share/doc/abase/README", "base\n").build(tmp.resolve("debs")));
        Path root = tmp.resolve("root");
        TreeFiles.materialize(tree, root);
        Path admin = root.resolve("var/lib/dpkg");
        Files.createDirectories(admin.resolve("info"));
        Files.writeString(admin.resolve("status"), DpkgStatus.statusFile(List.of(rich, base)));
        Files.writeString(admin.resolve("available"), "");
        for (DpkgStatus.Installed p : List.of(rich, base)) {
            Files.writeString(admin.resolve("info/" + p.name() + ".md5sums"), DpkgStatus.md5sums(p));
            Files.writeString(admin.resolve("info/" + p.name() + ".list"), DpkgStatus.list(p));
        }

        String q = Tools.ok(tmp, "dpkg-query", "--admindir=" + admin, "-W", "-f=${Package} ${Version} ${Status}\\n").out();
        assertThat(q).isEqualTo("abase 12.4 install ok installed\nrich 1:2.3-4 install ok installed\n");
        String owner = Tools.ok(tmp, "dpkg-query", "--admindir=" + admin, "-S", "/usr/lib/rich/librich.so.1").out();
        assertThat(owner).isEqualTo("rich:amd64: /usr/lib/rich/librich.so.1\n");

        Tools.Result verify = Tools.ok(tmp, "dpkg", "--root=" + root, "--verify");
        assertThat(verify.out()).isEmpty();
        Files.writeString(root.resolve("etc/issue"), "tampered\n");
        assertThat(Tools.run(tmp, Map.of(), List.of("dpkg", "--root=" + root, "--verify")).out())
                .contains("??5??????").contains("/etc/issue");
    }

    @Test
    void statusD_twoPackages_filesParsedBackAndMd5sumsCheckedByMd5sum() throws IOException {
        Tools.require("md5sum", "dpkg-deb");
        FileTree tree = new FileTree();
        DpkgStatus.Installed rich = install(tree, richDeb());
        DpkgStatus.Installed base = install(tree, DebBuilder.deb("abase", "12.4", "all")
                .file("etc/issue", "Kolibri\n").build(tmp.resolve("debs")));
        DpkgStatus.directories(EPOCH).forEach(tree::put);
        List<FileEntry> written = DpkgStatus.statusD(List.of(rich, base), EPOCH);
        assertThat(written).extracting(FileEntry::path).containsExactly(
                "var/lib/dpkg/status.d/abase", "var/lib/dpkg/status.d/abase.md5sums",
                "var/lib/dpkg/status.d/rich", "var/lib/dpkg/status.d/rich.md5sums");
        assertThat(written).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EntryType.FILE);
            assertThat(e.mode()).isEqualTo(0644);
            assertThat(e.uid()).isZero();
            assertThat(e.gid()).isZero();
            assertThat(e.mtime()).isEqualTo(EPOCH);
            assertThat(e.path()).contains(e.owner());
        });
        written.forEach(tree::put);

        Map<String, String> parsed = parse(new String(tree.get("var/lib/dpkg/status.d/rich").orElseThrow().content(),
                StandardCharsets.UTF_8));
        assertThat(parsed).containsEntry("Package", "rich").containsEntry("Status", "install ok installed")
                .containsEntry("Version", "1:2.3-4").containsEntry("X-Custom", "kept in place");
        assertThat(List.copyOf(parsed.keySet())).startsWith("Package", "Essential", "Status", "Priority", "Section")
                .endsWith("Description", "Homepage", "X-Custom", "Built-Using");

        Path root = tmp.resolve("root");
        TreeFiles.materialize(tree, root);
        for (String p : List.of("rich", "abase")) {
            Tools.Result r = Tools.ok(root, "md5sum", "-c", "var/lib/dpkg/status.d/" + p + ".md5sums");
            assertThat(r.out()).contains(": OK").doesNotContain("FAILED");
        }
        assertThat(Files.readString(root.resolve("var/lib/dpkg/status.d/rich.md5sums")).lines())
                .hasSize(3).anySatisfy(l -> assertThat(l).endsWith("  usr/bin/rich"));
    }

    @Test
    void md5sums_archiveMemberPresent_keptVerbatim() throws IOException {
        String verbatim = "d41d8cd98f00b204e9800998ecf8427e  etc/x.conf\n"; // deliberately not the content's md5
        Path deb = DebArchiveCrafter.deb().file("./etc/x.conf", "x\n").controlMember("md5sums", verbatim).build(tmp, "v.deb");
        DpkgStatus.Installed p = install(new FileTree(), deb);
        assertThat(DpkgStatus.md5sums(p)).isEqualTo(verbatim);
    }

    @Test
    void md5sums_hardlinkedFiles_eachListedWithTheSharedContent() throws IOException {
        FileTree tree = new FileTree();
        List<dev.kolibri.fs.PayloadEntry> members = List.of(
                dev.kolibri.fs.PayloadEntry.file("./usr/bin/perl", 0755, EPOCH, "perl".getBytes(StandardCharsets.UTF_8)),
                dev.kolibri.fs.PayloadEntry.hardlink("./usr/bin/perl5", "./usr/bin/perl", EPOCH));
        InstallReport r = new Installer().install(tree, "perl", members::forEach);
        DpkgStatus.Installed p = DpkgStatus.Installed.of("perl", Map.of("Package", "perl"), Optional.empty(), r, tree);
        assertThat(p.files()).extracting(FileEntry::type).containsOnly(EntryType.DIRECTORY, EntryType.FILE);
        Tools.require("md5sum");
        Path f = tmp.resolve("perl");
        Files.writeString(f, "perl");
        String md5 = Tools.ok(tmp, "md5sum", f.toString()).out().substring(0, 32);
        assertThat(DpkgStatus.md5sums(p)).isEqualTo(md5 + "  usr/bin/perl\n" + md5 + "  usr/bin/perl5\n");
    }

    @Test
    void statusFile_isAPureFunction_inputOrderDoesNotMatter() {
        DpkgStatus.Installed a = new DpkgStatus.Installed("a", ordered("Package", "a", "Version", "1"), Optional.empty(), List.of());
        DpkgStatus.Installed b = new DpkgStatus.Installed("b", ordered("Version", "2", "Package", "b"), Optional.empty(), List.of());
        String s = DpkgStatus.statusFile(List.of(b, a));
        assertThat(s).isEqualTo(DpkgStatus.statusFile(List.of(a, b)));
        assertThat(s).isEqualTo("Package: a\nStatus: install ok installed\nVersion: 1\n\n"
                + "Package: b\nStatus: install ok installed\nVersion: 2\n\n");
        assertThat(DpkgStatus.statusD(List.of(b, a), EPOCH)).isEqualTo(DpkgStatus.statusD(List.of(a, b), EPOCH));
    }

    @Test
    void paragraph_existingStatusFieldReplaced() {
        DpkgStatus.Installed a = new DpkgStatus.Installed("a",
                ordered("Package", "a", "Status", "deinstall ok config-files", "Version", "1"), Optional.empty(), List.of());
        assertThat(DpkgStatus.paragraph(a)).isEqualTo("Package: a\nStatus: install ok installed\nVersion: 1\n");
    }

    @Test
    void statusFile_duplicateOrMismatchedPackage_refused() {
        DpkgStatus.Installed a = new DpkgStatus.Installed("a", ordered("Package", "a"), Optional.empty(), List.of());
        assertThatThrownBy(() -> DpkgStatus.statusFile(List.of(a, a))).hasMessageContaining("'a' is listed twice");
        DpkgStatus.Installed wrong = new DpkgStatus.Installed("b", ordered("Package", "a"), Optional.empty(), List.of());
        assertThatThrownBy(() -> DpkgStatus.paragraph(wrong)).hasMessageContaining("'b'").hasMessageContaining("'a'");
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** A deliberately separate, naive deb822 reader: continuation lines appended. */
    private static Map<String, String> parse(String paragraph) {
        Map<String, String> m = new LinkedHashMap<>();
        String last = null;
        for (String line : paragraph.split("\n")) {
            if (line.startsWith(" ")) {
                m.put(last, m.get(last) + "\n" + line);
            } else {
                last = line.substring(0, line.indexOf(':'));
                m.put(last, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return m;
    }
}
