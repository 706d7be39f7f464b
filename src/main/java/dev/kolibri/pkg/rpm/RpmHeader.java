package dev.kolibri.pkg.rpm;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One RPM header structure (signature header or main header): an index of {@link Entry entries} (tag, type,
 * offset, count) over a data store, all big-endian. Immutable; every entry is checked when parsed (type known,
 * data inside the store, numbers aligned, strings terminated), so the accessors cannot fail on a parsed header.
 * Bounds follow rpm's own: at most {@link #MAX_ENTRIES} entries and {@link #MAX_DATA} bytes of data.
 */
public final class RpmHeader {
    /** The 8 bytes that precede a header in a package file: magic {@code 8e ad e8}, version 1, 4 reserved. */
    static final byte[] MAGIC = {(byte) 0x8e, (byte) 0xad, (byte) 0xe8, 0x01, 0, 0, 0, 0};
    public static final int MAX_ENTRIES = 0xffff;
    public static final int MAX_DATA = 0x0fffffff;

    /** Entry types, in their on-disk numbering (NULL = 0 .. I18NSTRING = 9). */
    public enum Type {
        NULL(1), CHAR(1), INT8(1), INT16(2), INT32(4), INT64(8), STRING(1), BIN(1), STRING_ARRAY(1), I18NSTRING(1);

        final int size;

        Type(int size) {
            this.size = size;
        }

        boolean isString() {
            return this == STRING || this == STRING_ARRAY || this == I18NSTRING;
        }

        boolean isNumber() {
            return this == CHAR || this == INT8 || this == INT16 || this == INT32 || this == INT64;
        }
    }

    /** One index entry; {@code length} is the number of data bytes it covers. */
    public record Entry(int tag, Type type, int offset, int count, int length) {}

    private final byte[] blob;            // il, dl, index, data: the rpmdb form
    private final int dataStart;
    private final List<Entry> entries;
    private final Map<Integer, Entry> byTag;

    private RpmHeader(byte[] blob, int dataStart, List<Entry> entries) {
        this.blob = blob;
        this.dataStart = dataStart;
        this.entries = Collections.unmodifiableList(entries);
        Map<Integer, Entry> m = new LinkedHashMap<>();
        for (Entry e : entries) m.putIfAbsent(e.tag, e);
        this.byTag = Collections.unmodifiableMap(m);
    }

    /** Reads a header with its 8-byte magic from a package stream ({@code what} names it in errors). */
    public static RpmHeader read(InputStream in, String what) throws IOException {
        byte[] intro = readFully(in, 16, what);
        if (!Arrays.equals(intro, 0, 3, MAGIC, 0, 3)) {
            throw new RpmArchiveException(what + ": bad header magic " + hex(intro, 0, 3) + " (expected 8eade8): not an RPM header");
        }
        if (intro[3] != 1) throw new RpmArchiveException(what + ": unsupported header version " + intro[3]);
        long il = u32(intro, 8), dl = u32(intro, 12);
        checkSizes(il, dl, what);
        byte[] blob = new byte[(int) (8 + 16 * il + dl)];
        System.arraycopy(intro, 8, blob, 0, 8);
        byte[] rest = readFully(in, blob.length - 8, what);
        System.arraycopy(rest, 0, blob, 8, rest.length);
        return parse(blob, what);
    }

    /** Parses a header in rpmdb form (no magic): entry count, data length, index, data. */
    public static RpmHeader parse(byte[] blob, String what) {
        if (blob.length < 8) throw new RpmArchiveException(what + ": header is " + blob.length + " bytes, shorter than its 8-byte size fields");
        long il = u32(blob, 0), dl = u32(blob, 4);
        checkSizes(il, dl, what);
        if (blob.length != 8 + 16 * il + dl) {
            throw new RpmArchiveException(what + ": header says " + il + " entries and " + dl + " data bytes, but holds "
                    + blob.length + " bytes");
        }
        int dataStart = (int) (8 + 16 * il);
        int dataLen = (int) dl;
        List<Entry> entries = new ArrayList<>((int) il);
        ByteBuffer b = ByteBuffer.wrap(blob);
        for (int i = 0; i < il; i++) {
            int p = 8 + 16 * i;
            int tag = b.getInt(p), typeNo = b.getInt(p + 4), offset = b.getInt(p + 8), count = b.getInt(p + 12);
            String where = what + ": header entry " + i + " (tag " + tag + ")";
            if (typeNo < 0 || typeNo > 9) throw new RpmArchiveException(where + " has unknown type " + typeNo);
            Type type = Type.values()[typeNo];
            boolean region = (tag == RpmTags.HEADERIMMUTABLE || tag == RpmTags.HEADERSIGNATURES) && i == 0;
            if (region) {
                // region tag: its data is the 16-byte trailer entry, at the end of the region
                if (type != Type.BIN || count != 16 || offset < 0 || (long) offset + 16 > dataLen) {
                    throw new RpmArchiveException(where + ": malformed region tag");
                }
                entries.add(new Entry(tag, type, offset, count, 16));
                continue;
            }
            if (count <= 0 || count > dataLen + 1) throw new RpmArchiveException(where + " has bad count " + count);
            if (offset < 0 || offset > dataLen) throw new RpmArchiveException(where + " points outside the data (" + offset + " of " + dataLen + ")");
            if (type == Type.NULL) {
                entries.add(new Entry(tag, type, offset, count, 0));
                continue;
            }
            if (offset % type.size != 0) throw new RpmArchiveException(where + " is misaligned for " + type);
            int length;
            if (type.isString()) {
                if (type == Type.STRING && count != 1) throw new RpmArchiveException(where + ": STRING with count " + count);
                int q = offset;
                for (int k = 0; k < count; k++) {
                    while (q < dataLen && blob[dataStart + q] != 0) q++;
                    if (q >= dataLen) throw new RpmArchiveException(where + ": string runs past the end of the data");
                    q++;
                }
                length = q - offset;
            } else {
                long len = (long) count * type.size;
                if (offset + len > dataLen) throw new RpmArchiveException(where + ": " + len + " bytes run past the end of the data");
                length = (int) len;
            }
            entries.add(new Entry(tag, type, offset, count, length));
        }
        return new RpmHeader(blob, dataStart, entries);
    }

    private static void checkSizes(long il, long dl, String what) {
        if (il < 1 || il > MAX_ENTRIES) {
            throw new RpmArchiveException(what + ": header has " + il + " entries (allowed 1.." + MAX_ENTRIES + "): corrupt or hostile");
        }
        if (dl > MAX_DATA) {
            throw new RpmArchiveException(what + ": header data is " + dl + " bytes (allowed up to " + MAX_DATA + "): corrupt or hostile");
        }
    }

    /** Entries in index order. */
    public List<Entry> entries() {
        return entries;
    }

    public boolean has(int tag) {
        return byTag.containsKey(tag);
    }

    public Optional<Entry> entry(int tag) {
        return Optional.ofNullable(byTag.get(tag));
    }

    /** A STRING tag, or the first string of a STRING_ARRAY / I18NSTRING tag. */
    public Optional<String> string(int tag) {
        List<String> all = strings(tag);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** The strings of a string-typed tag (empty when absent or not a string type). */
    public List<String> strings(int tag) {
        Entry e = byTag.get(tag);
        if (e == null || !e.type.isString()) return List.of();
        List<String> out = new ArrayList<>(e.count);
        int q = dataStart + e.offset;
        for (int k = 0; k < e.count; k++) {
            int start = q;
            while (blob[q] != 0) q++;
            out.add(new String(blob, start, q - start, StandardCharsets.UTF_8));
            q++;
        }
        return out;
    }

    /** The values of a CHAR/INT8/INT16/INT32 tag as unsigned numbers, INT64 as signed (empty when absent). */
    public long[] numbers(int tag) {
        Entry e = byTag.get(tag);
        if (e == null || !e.type.isNumber()) return new long[0];
        long[] out = new long[e.count];
        ByteBuffer b = ByteBuffer.wrap(blob);
        int p = dataStart + e.offset;
        for (int k = 0; k < e.count; k++) {
            out[k] = switch (e.type) {
                case CHAR, INT8 -> blob[p + k] & 0xffL;
                case INT16 -> b.getShort(p + 2 * k) & 0xffffL;
                case INT32 -> b.getInt(p + 4 * k) & 0xffffffffL;
                default -> b.getLong(p + 8 * k);
            };
        }
        return out;
    }

    /** The first value of a numeric tag. */
    public OptionalLong number(int tag) {
        long[] v = numbers(tag);
        return v.length == 0 ? OptionalLong.empty() : OptionalLong.of(v[0]);
    }

    /** The raw bytes of an entry of any type (a copy; empty when absent). */
    public byte[] bytes(int tag) {
        Entry e = byTag.get(tag);
        if (e == null) return new byte[0];
        return Arrays.copyOfRange(blob, dataStart + e.offset, dataStart + e.offset + e.length);
    }

    /** The header in rpmdb form: entry count, data length, index, data (a copy). */
    public byte[] blob() {
        return blob.clone();
    }

    /** The header as it stands in a package file: magic, then {@link #blob()}. What SHA256HEADER digests. */
    public byte[] withMagic() {
        byte[] out = new byte[MAGIC.length + blob.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        System.arraycopy(blob, 0, out, MAGIC.length, blob.length);
        return out;
    }

    /** Bytes in the data store. */
    public int dataLength() {
        return blob.length - dataStart;
    }

    /** Length of the header in a package file, magic included. */
    public int sizeWithMagic() {
        return MAGIC.length + blob.length;
    }

    private static byte[] readFully(InputStream in, int n, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new RpmArchiveException(what + ": file ends inside a header (truncated download?)", new EOFException());
        return b;
    }

    static long u32(byte[] b, int p) {
        return ((b[p] & 0xffL) << 24) | ((b[p + 1] & 0xffL) << 16) | ((b[p + 2] & 0xffL) << 8) | (b[p + 3] & 0xffL);
    }

    static String hex(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to && i < b.length; i++) sb.append(String.format("%02x", b[i] & 0xff));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "RpmHeader[" + entries.size() + " entries, " + dataLength() + " data bytes]";
    }
}
