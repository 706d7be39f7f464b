package dev.kolibri.oci;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayerWriterTest {
    @TempDir
    Path tmp;

    private Layer write(FileTree t, Compression c, Path dir) throws IOException {
        return LayerWriter.write(t.entries(), c, Trees.EPOCH, dir);
    }

    @Test
    void sameTreeTwice_sameDigests_whateverTheDirectoryOrUmask() throws IOException {
        // A file written with odd permissions on disk changes nothing: the writer never reads the disk.
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("deeper/b"));
        Files.writeString(b.resolve("noise"), "x");
        Files.setPosixFilePermissions(b.resolve("noise"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        for (Compression c : Compression.values()) {
            Layer one = write(Trees.tree("amd64"), c, a);
            Layer two = write(Trees.tree("amd64"), c, b);
            assertThat(two.descriptor()).as(c.name()).isEqualTo(one.descriptor());
            assertThat(two.diffId()).isEqualTo(one.diffId());
            assertThat(Files.readAllBytes(two.blob())).isEqualTo(Files.readAllBytes(one.blob()));
            assertThat(one.descriptor().mediaType()).isEqualTo(c.mediaType());
            assertThat(Digest.sha256(one.blob())).isEqualTo(one.descriptor().digest());
            assertThat(Files.size(one.blob())).isEqualTo(one.descriptor().size());
        }
        // The diffID does not depend on the compression.
        Layer g = write(Trees.tree("amd64"), Compression.GZIP, a);
        Layer z = write(Trees.tree("amd64"), Compression.ZSTD, a);
        Layer n = write(Trees.tree("amd64"), Compression.NONE, a);
        assertThat(g.diffId()).isEqualTo(z.diffId()).isEqualTo(n.diffId()).isEqualTo(n.descriptor().digest());
        assertThat(n.uncompressedSize()).isEqualTo(n.descriptor().size()).isEqualTo(g.uncompressedSize());
        assertThat(g.descriptor().digest()).isNotEqualTo(z.descriptor().digest());
    }

    @Test
    void goldenGzipDigest() throws IOException {
        // NOTE: the gzip bytes come from the JDK's zlib. If a JDK update changes its deflate output, this digest
        // changes (the diffID does not): update the pinned value and say so in the release notes.
        FileTree t = new FileTree();
        t.put(FileEntry.directory("etc", 0755, 0, 0, 1000, "p"));
        t.put(FileEntry.file("etc/hello", 0644, 0, 0, 1000, Trees.utf8("hello\n"), "p"));
        t.put(FileEntry.symlink("etc/link", "hello", 0, 0, 1000, "p"));
        Layer l = LayerWriter.write(t.entries(), Compression.GZIP, 2000, tmp);
        assertThat(l.diffId()).hasToString(GOLDEN_DIFF_ID);
        assertThat(l.descriptor().digest()).hasToString(GOLDEN_GZIP);
    }

    static final String GOLDEN_DIFF_ID = "sha256:304fded5bf6e9688fe8a46a8d27d3ed4383a00ca0b52c864faffc71fd656867e";
    static final String GOLDEN_GZIP = "sha256:74a6bfdddcb90f5eb5f476bc28bc9696a06e88e21ef5dff8aadc237fe250bfc9";

    @Test
    void gzipHeader_hasNoTimeNameOrHost() throws IOException {
        Layer l = write(Trees.tree("amd64"), Compression.GZIP, tmp);
        byte[] b = Files.readAllBytes(l.blob());
        assertThat(new byte[]{b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[9]})
                .isEqualTo(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) 255});
    }

    @Test
    void gzipLayer_passesGzipTest_andTarListsSortedNumericEntries() throws IOException {
        Tools.require("gzip", "tar");
        Layer l = write(Trees.tree("amd64"), Compression.GZIP, tmp);
        Tools.ok(tmp, "gzip", "-t", l.blob().toString());
        String list = Tools.ok(tmp, "tar", "--numeric-owner", "-tvzf", l.blob().toString()).out();
        List<String> names = new ArrayList<>();
        for (String line : list.split("\n")) {
            String[] f = line.trim().split("\\s+", 6);
            names.add(f[5].replaceAll(" (->|link to) .*", ""));
        }
        assertThat(names).startsWith("bin", "etc/", "etc/localtime", "etc/os-release", "etc/passwd", "home/",
                "home/nonroot/", "tmp/", "usr/", "usr/bin/", "usr/bin/atool");
        assertThat(names).contains(Trees.LONG_PATH, "usr/share/", "usr/share/doc/", "usr/lib/");
        assertThat(list).contains("drwx------ 65532/65532", "-rwsr-xr-x 0/0", "-rwxr-sr-x 0/5", "drwxrwxrwt 0/0");
        assertThat(list).contains("usr/bin/tool-hard link to usr/bin/atool", "usr/bin/tool link to usr/bin/atool");
        assertThat(list).contains("bin -> usr/bin", "etc/localtime -> /usr/share/zoneinfo/UTC");
        assertThat(list).contains("1000/1000").contains("usr/share/doc/\u00fcml\u00e4ut.txt");
        // Synthesized parents are 0755 root.
        assertThat(list).containsPattern("drwxr-xr-x 0/0 +0 [0-9-]+ [0-9:]+ usr/share/\n");
    }

    @Test
    void tar_hasNoHostValues_noAtimeOrCtime_andClampedMtimes() throws IOException {
        Layer l = write(Trees.tree("amd64"), Compression.NONE, tmp);
        String raw = new String(Files.readAllBytes(l.blob()), StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain("atime=").doesNotContain("ctime=");
        String user = System.getProperty("user.name");
        if (user != null && user.length() > 2) assertThat(raw).doesNotContain(user + "\0");
        try (InputStream in = Files.newInputStream(l.blob())) {
            for (LayerEntry e : LayerReader.entries(in, MediaTypes.LAYER_TAR)) {
                assertThat(e.mtime()).as(e.path()).isLessThanOrEqualTo(Trees.EPOCH);
                if (e.path().equals("usr/lib/late")) assertThat(e.mtime()).isEqualTo(Trees.EPOCH);
                if (e.path().equals("etc/passwd")) assertThat(e.mtime()).isEqualTo(Trees.EPOCH - 100);
            }
        }
    }

    @Test
    void missingParents_areAdded_withNewestMtime() throws IOException {
        List<FileEntry> entries = List.of(FileEntry.file("a/b/c", 0600, 7, 8, 500, Trees.utf8("x"), "p"),
                FileEntry.file("z", 0600, 7, 8, 900, Trees.utf8("y"), "p"));
        Layer l = LayerWriter.write(entries, Compression.NONE, Long.MAX_VALUE, tmp);
        try (InputStream in = Files.newInputStream(l.blob())) {
            List<LayerEntry> got = LayerReader.entries(in, MediaTypes.LAYER_TAR);
            assertThat(got).extracting(LayerEntry::path).containsExactly("a", "a/b", "a/b/c", "z");
            assertThat(got.get(0)).isEqualTo(new LayerEntry("a", EntryType.DIRECTORY, 0755, 0, 0, 900, null, 0, LayerEntry.Whiteout.NONE));
            assertThat(got.get(2).uid()).isEqualTo(7);
        }
    }

    @Test
    void zstdLayer_decompressesWithRealZstd() throws IOException {
        Tools.require("zstd");
        Layer z = write(Trees.tree("arm64"), Compression.ZSTD, tmp);
        Path out = tmp.resolve("layer.tar");
        Tools.ok(tmp, "zstd", "-q", "-d", z.blob().toString(), "-o", out.toString());
        assertThat(Digest.sha256(out)).isEqualTo(z.diffId());
        assertThat(Files.size(out)).isEqualTo(z.uncompressedSize());
    }

    @Test
    void levels_areConfigurable_andChecked() throws IOException {
        Layer fast = LayerWriter.write(Trees.tree("amd64").entries(), Compression.GZIP, 1, Trees.EPOCH, tmp);
        Layer best = LayerWriter.write(Trees.tree("amd64").entries(), Compression.GZIP, 9, Trees.EPOCH, tmp);
        assertThat(fast.diffId()).isEqualTo(best.diffId());
        assertThat(Files.readAllBytes(fast.blob())[8]).isEqualTo((byte) 4);
        assertThat(Files.readAllBytes(best.blob())[8]).isEqualTo((byte) 2);
        assertThatThrownBy(() -> LayerWriter.write(List.of(), Compression.ZSTD, 40, 0, tmp))
                .hasMessageContaining("zstd level 40 is out of range 1..19");
    }

    @Test
    void badEntries_areRefused_andLeaveNoTempFile() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("blobs"));
        FileEntry link = new FileEntry("x", EntryType.HARDLINK, 0644, 0, 0, 0, "missing", null, "p");
        assertThatThrownBy(() -> LayerWriter.write(List.of(link), Compression.GZIP, 0, dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hardlink x points to missing");
        FileEntry f = FileEntry.file("a", 0644, 0, 0, 0, new byte[0], "p");
        assertThatThrownBy(() -> LayerWriter.write(List.of(f, f), Compression.GZIP, 0, dir))
                .hasMessageContaining("two layer entries on one path: a");
        List<FileEntry> underLink = List.of(FileEntry.symlink("lib", "usr/lib", 0, 0, 0, "p"),
                FileEntry.file("lib/x", 0644, 0, 0, 0, new byte[0], "p"));
        assertThatThrownBy(() -> LayerWriter.write(underLink, Compression.GZIP, 0, dir))
                .hasMessageContaining("lib/x: its parent lib is a symlink, not a directory");
        try (var s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void hardlinkPrimary_carriesTheTargetsMetadata() throws IOException {
        Layer l = write(Trees.tree("amd64"), Compression.NONE, tmp);
        Map<String, LayerEntry> byPath = new java.util.HashMap<>();
        try (InputStream in = Files.newInputStream(l.blob())) {
            for (LayerEntry e : LayerReader.entries(in, MediaTypes.LAYER_TAR)) byPath.put(e.path(), e);
        }
        assertThat(byPath.get("usr/bin/atool").type()).isEqualTo(EntryType.FILE);
        assertThat(byPath.get("usr/bin/atool").size()).isEqualTo(Trees.utf8("#!/usr/bin/true\namd64\n").length);
        assertThat(byPath.get("usr/bin/tool").type()).isEqualTo(EntryType.HARDLINK);
        assertThat(byPath.get("usr/bin/tool").linkTarget()).isEqualTo("usr/bin/atool");
        assertThat(byPath.get("usr/bin/tool-hard").linkTarget()).isEqualTo("usr/bin/atool");
        assertThat(byPath.get(Trees.LONG_PATH).type()).isEqualTo(EntryType.FILE);
    }

    @Test
    void emptyLayer_isAValidTar() throws IOException {
        Layer l = LayerWriter.write(List.of(), Compression.GZIP, 0, tmp);
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(l.blob()))) {
            assertThat(LayerReader.entries(in, MediaTypes.LAYER_GZIP)).isEmpty();
        }
    }
}
