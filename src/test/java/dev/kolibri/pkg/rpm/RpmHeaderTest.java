package dev.kolibri.pkg.rpm;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpmHeaderTest {

    /** Builds a header blob (rpmdb form) from entries whose data is laid out by the caller. */
    private static final class Blob {
        final List<int[]> index = new ArrayList<>();
        final ByteArrayOutputStream data = new ByteArrayOutputStream();

        Blob add(int tag, int type, int count, byte[] bytes, int align) {
            while (data.size() % align != 0) data.write(0);
            index.add(new int[]{tag, type, data.size(), count});
            data.writeBytes(bytes);
            return this;
        }

        Blob raw(int tag, int type, int offset, int count) {
            index.add(new int[]{tag, type, offset, count});
            return this;
        }

        byte[] bytes() {
            byte[] d = data.toByteArray();
            ByteBuffer b = ByteBuffer.allocate(8 + 16 * index.size() + d.length);
            b.putInt(index.size()).putInt(d.length);
            for (int[] e : index) b.putInt(e[0]).putInt(e[1]).putInt(e[2]).putInt(e[3]);
            return b.put(d).array();
        }
    }

    private static byte[] z(String... s) {
        return (String.join("\0", s) + "\0").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyType_readsBack() {
        byte[] blob = new Blob()
                .add(RpmTags.NAME, 6, 1, z("héllo"), 1)
                .add(RpmTags.SUMMARY, 9, 1, z("summary C", "summary de"), 1)
                .add(RpmTags.BASENAMES, 8, 3, z("a", "", "c"), 1)
                .add(RpmTags.FILESTATES, 1, 2, new byte[]{0, (byte) 0xff}, 1)
                .add(2000, 2, 1, new byte[]{(byte) 0x80}, 1)
                .add(RpmTags.FILEMODES, 3, 2, ByteBuffer.allocate(4).putShort((short) 0100755).putShort((short) 0xffff).array(), 2)
                .add(RpmTags.FILEMTIMES, 4, 2, ByteBuffer.allocate(8).putInt(1_700_000_000).putInt(-1).array(), 4)
                .add(RpmTags.LONGFILESIZES, 5, 1, ByteBuffer.allocate(8).putLong(5_000_000_000L).array(), 8)
                .add(RpmTags.SIGMD5, 7, 3, new byte[]{1, 2, 3}, 1)
                .add(3000, 0, 1, new byte[0], 1)
                .bytes();
        RpmHeader h = RpmHeader.parse(blob, "test");
        assertThat(h.entries()).hasSize(10);
        assertThat(h.string(RpmTags.NAME)).hasValue("héllo");
        assertThat(h.string(RpmTags.SUMMARY)).hasValue("summary C");
        assertThat(h.strings(RpmTags.BASENAMES)).containsExactly("a", "", "c");
        assertThat(h.numbers(RpmTags.FILESTATES)).containsExactly(0, 255);
        assertThat(h.numbers(2000)).containsExactly(128);
        assertThat(h.numbers(RpmTags.FILEMODES)).containsExactly(0100755, 0xffff);
        assertThat(h.numbers(RpmTags.FILEMTIMES)).containsExactly(1_700_000_000L, 0xffffffffL);
        assertThat(h.number(RpmTags.LONGFILESIZES)).hasValue(5_000_000_000L);
        assertThat(h.bytes(RpmTags.SIGMD5)).containsExactly(1, 2, 3);
        assertThat(h.entry(3000).orElseThrow().type()).isEqualTo(RpmHeader.Type.NULL);
        assertThat(h.has(RpmTags.VERSION)).isFalse();
        assertThat(h.string(RpmTags.VERSION)).isEmpty();
        assertThat(h.numbers(RpmTags.NAME)).isEmpty();
        assertThat(h.blob()).isEqualTo(blob);
    }

    @Test
    void read_checksMagicAndRoundTrips() throws Exception {
        byte[] blob = new Blob().add(RpmTags.NAME, 6, 1, z("x"), 1).bytes();
        RpmHeader h = RpmHeader.parse(blob, "t");
        RpmHeader again = RpmHeader.read(new ByteArrayInputStream(h.withMagic()), "t");
        assertThat(again.blob()).isEqualTo(blob);
        byte[] bad = h.withMagic();
        bad[0] = 0x12;
        assertThatThrownBy(() -> RpmHeader.read(new ByteArrayInputStream(bad), "pkg.rpm"))
                .isInstanceOf(RpmArchiveException.class).hasMessageContaining("pkg.rpm").hasMessageContaining("magic");
        byte[] cut = java.util.Arrays.copyOf(h.withMagic(), 20);
        assertThatThrownBy(() -> RpmHeader.read(new ByteArrayInputStream(cut), "pkg.rpm")).hasMessageContaining("truncated");
    }

    @Test
    void hostileSizes_refusedBeforeAllocating() {
        byte[] many = ByteBuffer.allocate(8).putInt(0x10000).putInt(0).array();
        assertThatThrownBy(() -> RpmHeader.parse(many, "h")).hasMessageContaining("65536 entries");
        byte[] huge = ByteBuffer.allocate(8).putInt(1).putInt(0x7fffffff).array();
        assertThatThrownBy(() -> RpmHeader.parse(huge, "h")).hasMessageContaining("data is 2147483647 bytes");
        byte[] intro = new byte[16];
        System.arraycopy(RpmHeader.MAGIC, 0, intro, 0, 8);
        ByteBuffer.wrap(intro, 8, 8).putInt(-1).putInt(16);
        assertThatThrownBy(() -> RpmHeader.read(new ByteArrayInputStream(intro), "h")).hasMessageContaining("entries");
    }

    @Test
    void malformedEntries_refused() {
        assertThatThrownBy(() -> RpmHeader.parse(new Blob().add(1000, 11, 1, z("x"), 1).bytes(), "h"))
                .hasMessageContaining("unknown type 11");
        assertThatThrownBy(() -> RpmHeader.parse(new Blob().add(1000, 6, 1, "unterminated".getBytes(StandardCharsets.US_ASCII), 1).bytes(), "h"))
                .hasMessageContaining("past the end");
        assertThatThrownBy(() -> RpmHeader.parse(new Blob().add(1000, 8, 3, z("a", "b"), 1).bytes(), "h"))
                .hasMessageContaining("past the end");
        Blob misaligned = new Blob().add(1000, 2, 1, new byte[]{1}, 1);
        misaligned.add(1001, 4, 1, new byte[]{0, 0, 0, 1, 0, 0, 0}, 1);
        misaligned.index.get(1)[2] = 1;
        assertThatThrownBy(() -> RpmHeader.parse(misaligned.bytes(), "h")).hasMessageContaining("misaligned");
        assertThatThrownBy(() -> RpmHeader.parse(new Blob().add(1000, 4, 2, new byte[4], 4).bytes(), "h"))
                .hasMessageContaining("past the end");
        assertThatThrownBy(() -> RpmHeader.parse(new Blob().add(1000, 4, 1, new byte[4], 4).raw(1001, 4, -4, 1).bytes(), "h"))
                .hasMessageContaining("outside the data");
        assertThatThrownBy(() -> RpmHeader.parse(new Blob().add(1000, 4, 0, new byte[4], 4).bytes(), "h"))
                .hasMessageContaining("bad count 0");
        assertThatThrownBy(() -> RpmHeader.parse(new Blob().add(1000, 6, 2, z("a", "b"), 1).bytes(), "h"))
                .hasMessageContaining("STRING with count 2");
        byte[] shortBlob = java.util.Arrays.copyOf(new Blob().add(1000, 6, 1, z("abc"), 1).bytes(), 20);
        assertThatThrownBy(() -> RpmHeader.parse(shortBlob, "h")).hasMessageContaining("holds 20 bytes");
    }

    @Test
    void rpmbuildHeader_tagsReadAsRpmShowsThem() {
        RpmArchive a = RpmArchive.open(RpmFixtures.kitchen("gzip"));
        RpmHeader sig = a.signature();
        assertThat(sig.string(RpmTags.SIG_SHA256)).get().asString().hasSize(64);
        assertThat(sig.number(RpmTags.SIG_SIZE)).isPresent();
        RpmHeader h = a.header();
        assertThat(h.entries().get(0).tag()).isEqualTo(RpmTags.HEADERIMMUTABLE);
        assertThat(h.number(RpmTags.FILEDIGESTALGO)).hasValue(RpmTags.HASH_SHA256);
        assertThat(h.number(RpmTags.PAYLOADDIGESTALGO)).hasValue(RpmTags.HASH_SHA256);
        assertThat(h.strings(RpmTags.DIRNAMES)).contains("/etc/kitchen/", "/usr/bin/");
        assertThat(h.string(RpmTags.PAYLOADFORMAT)).hasValue("cpio");
        assertThat(h.strings(RpmTags.CONFLICTNAME)).containsExactly("oldkitchen");
        assertThat(h.strings(RpmTags.OBSOLETENAME)).containsExactly("kitchen-legacy");
        assertThat(h.strings(RpmTags.RECOMMENDNAME)).containsExactly("hello");
        assertThat(h.strings(RpmTags.SUGGESTNAME)).containsExactly("spoon");
        assertThat(h.strings(RpmTags.FILEUSERNAME)).contains("nobody");
    }
}
