package dev.kolibri.finalize;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** The little DER reading and writing that certificate subject hashing needs. Throws IllegalArgumentException on bad input. */
final class Der {
    private Der() {}

    /** One TLV: {@code tag} is the identifier byte (single-byte tags only); {@code raw} is the whole encoding. */
    record Tlv(int tag, byte[] value, byte[] raw) {}

    /** Reads consecutive TLVs that exactly fill {@code b[from, to)}. */
    static List<Tlv> children(byte[] b, int from, int to) {
        List<Tlv> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            int start = i;
            int tag = b[i++] & 0xff;
            if ((tag & 0x1f) == 0x1f) throw new IllegalArgumentException("multi-byte DER tags are not supported");
            if (i >= to) throw new IllegalArgumentException("truncated DER length");
            int len = b[i++] & 0xff;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n == 0 || n > 4) throw new IllegalArgumentException("unsupported DER length form");
                len = 0;
                for (int k = 0; k < n; k++) {
                    if (i >= to) throw new IllegalArgumentException("truncated DER length");
                    len = (len << 8) | (b[i++] & 0xff);
                }
                if (len < 0) throw new IllegalArgumentException("DER length too large");
            }
            if (len > to - i) throw new IllegalArgumentException("DER value runs past its container");
            byte[] value = java.util.Arrays.copyOfRange(b, i, i + len);
            i += len;
            out.add(new Tlv(tag, value, java.util.Arrays.copyOfRange(b, start, i)));
        }
        return out;
    }

    static List<Tlv> children(byte[] b) {
        return children(b, 0, b.length);
    }

    /** The single TLV that {@code b} must consist of. */
    static Tlv single(byte[] b) {
        List<Tlv> all = children(b);
        if (all.size() != 1) throw new IllegalArgumentException("expected one DER value, found " + all.size());
        return all.get(0);
    }

    static byte[] encode(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            int n = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
            out.write(0x80 | n);
            for (int k = n - 1; k >= 0; k--) out.write(len >>> (8 * k));
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** Dotted form of an OBJECT IDENTIFIER's content bytes. */
    static String oid(byte[] v) {
        if (v.length == 0) throw new IllegalArgumentException("empty OBJECT IDENTIFIER");
        StringBuilder sb = new StringBuilder();
        long n = 0;
        boolean first = true;
        for (int i = 0; i < v.length; i++) {
            if (n > (Long.MAX_VALUE >> 7)) throw new IllegalArgumentException("OBJECT IDENTIFIER arc too large");
            n = (n << 7) | (v[i] & 0x7f);
            if ((v[i] & 0x80) != 0) {
                if (i == v.length - 1) throw new IllegalArgumentException("truncated OBJECT IDENTIFIER");
                continue;
            }
            if (first) {
                long a = Math.min(n / 40, 2);
                sb.append(a).append('.').append(n - 40 * a);
                first = false;
            } else {
                sb.append('.').append(n);
            }
            n = 0;
        }
        return sb.toString();
    }
}
