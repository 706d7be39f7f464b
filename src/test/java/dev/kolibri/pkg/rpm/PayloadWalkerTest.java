package dev.kolibri.pkg.rpm;

import dev.kolibri.fs.PayloadEntry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cpio-to-header join on hand-made newc streams: orders rpmbuild never produces, and broken payloads. */
class PayloadWalkerTest {
    private static RpmFile reg(String path, long size, long inode) {
        return new RpmFile(path, 0100644, size, "root", "root", 7, "", 0, "", 1, inode);
    }

    private static final class Cpio {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Cpio member(String name, long ino, int mode, int nlink, byte[] data) {
            byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
            String h = String.format("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
                    ino, mode, 0, 0, nlink, 7, data.length, 0, 0, 0, 0, n.length, 0);
            out.writeBytes(h.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(n);
            pad();
            out.writeBytes(data);
            pad();
            return this;
        }

        void pad() {
            while (out.size() % 4 != 0) out.write(0);
        }

        byte[] done() {
            member("TRAILER!!!", 0, 0, 1, new byte[0]);
            return out.toByteArray();
        }
    }

    private static List<PayloadEntry> walk(List<RpmFile> files, byte[] cpio) throws Exception {
        List<PayloadEntry> out = new ArrayList<>();
        new RpmArchive.PayloadWalker(files, "t.rpm", 1 << 20, n -> 0, n -> 0, out::add)
                .walk(new CpioReader(new ByteArrayInputStream(cpio), "t.rpm"));
        return out;
    }

    @Test
    void hardlinkContentOnFirstMember() throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        List<RpmFile> files = List.of(reg("/a", 3, 5), reg("/b", 3, 5), reg("/c", 3, 5));
        byte[] cpio = new Cpio().member("./a", 5, 0100644, 3, abc).member("./b", 5, 0100644, 3, new byte[0])
                .member("./c", 5, 0100644, 3, new byte[0]).done();
        List<PayloadEntry> got = walk(files, cpio);
        assertThat(got).extracting(PayloadEntry::path, PayloadEntry::kind, PayloadEntry::linkTarget).containsExactly(
                org.assertj.core.groups.Tuple.tuple("./a", PayloadEntry.Kind.FILE, null),
                org.assertj.core.groups.Tuple.tuple("./b", PayloadEntry.Kind.HARDLINK, "./a"),
                org.assertj.core.groups.Tuple.tuple("./c", PayloadEntry.Kind.HARDLINK, "./a"));
        assertThat(got.get(0).content()).isEqualTo(abc);
    }

    @Test
    void hardlinkContentOnLastMember_andEmptyHardlinkedFiles() throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        List<RpmFile> files = List.of(reg("/a", 3, 5), reg("/b", 3, 5), reg("/e1", 0, 6), reg("/e2", 0, 6));
        byte[] cpio = new Cpio().member("./a", 5, 0100644, 2, new byte[0]).member("./b", 5, 0100644, 2, abc)
                .member("./e1", 6, 0100644, 2, new byte[0]).member("./e2", 6, 0100644, 2, new byte[0]).done();
        assertThat(walk(files, cpio)).extracting(e -> e.path() + " " + e.kind() + " " + e.linkTarget()).containsExactly(
                "./b FILE null", "./a HARDLINK ./b", "./e1 FILE null", "./e2 HARDLINK ./e1");
    }

    @Test
    void brokenPayloads_refused() {
        List<RpmFile> files = List.of(reg("/a", 3, 5), reg("/b", 3, 5));
        byte[] noContent = new Cpio().member("./a", 5, 0100644, 2, new byte[0]).member("./b", 5, 0100644, 2, new byte[0]).done();
        assertThatThrownBy(() -> walk(files, noContent)).hasMessageContaining("has no member carrying its content");
        byte[] extra = new Cpio().member("./zzz", 1, 0100644, 1, new byte[0]).done();
        assertThatThrownBy(() -> walk(files, extra)).hasMessageContaining("'./zzz' is not in the header");
        byte[] missing = new Cpio().member("./a", 5, 0100644, 2, "abc".getBytes(StandardCharsets.US_ASCII)).done();
        assertThatThrownBy(() -> walk(files, missing)).hasMessageContaining("'/b' is in the header but missing");
        byte[] wrongType = new Cpio().member("./a", 5, 0040755, 2, new byte[0]).done();
        assertThatThrownBy(() -> walk(files, wrongType)).hasMessageContaining("file type 40000");
        byte[] wrongSize = new Cpio().member("./a", 9, 0100644, 1, "abcd".getBytes(StandardCharsets.US_ASCII)).done();
        assertThatThrownBy(() -> walk(List.of(reg("/a", 3, 9)), wrongSize)).hasMessageContaining("has 4 bytes, the header says 3");
        byte[] twice = new Cpio().member("./a", 9, 0100644, 1, "abc".getBytes(StandardCharsets.US_ASCII))
                .member("./a", 9, 0100644, 1, "abc".getBytes(StandardCharsets.US_ASCII)).done();
        assertThatThrownBy(() -> walk(List.of(reg("/a", 3, 9)), twice)).hasMessageContaining("appears twice");
        byte[] garbage = "not a cpio archive at all, sorry".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> walk(files, garbage)).hasMessageContaining("bad cpio magic");
        byte[] cut = java.util.Arrays.copyOf(new Cpio().member("./a", 9, 0100644, 1, "abc".getBytes(StandardCharsets.US_ASCII)).done(), 60);
        assertThatThrownBy(() -> walk(List.of(reg("/a", 3, 9)), cut)).hasMessageContaining("truncated");
    }
}
