package dev.kolibri.fs;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 that never loses a byte: valid UTF-8 decodes as usual, and each byte that is not part of a valid sequence
 * decodes to the lone surrogate {@code U+DC00 + byte} (as Python's {@code surrogateescape} does), which no valid
 * UTF-8 decodes to. Archive member names are read with it so that a name that is not valid UTF-8 is seen as such
 * (a decoder that replaces bad bytes with {@code ?} would silently rename {@code bad\xff} to {@code bad?}); see
 * {@link MemberNames}. Names are decoded whole: a sequence cut off at the end of the input counts as bad bytes.
 * Encoding maps the marks back to their bytes.
 */
final class MarkedUtf8 extends Charset {
    static final String NAME = "x-kolibri-utf-8-marked";

    MarkedUtf8() {
        super(NAME, new String[0]);
    }

    @Override
    public boolean contains(Charset cs) {
        return cs instanceof MarkedUtf8 || StandardCharsets.UTF_8.contains(cs);
    }

    @Override
    public CharsetDecoder newDecoder() {
        return new CharsetDecoder(this, 1.0f, 1.0f) {
            @Override
            protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
                while (in.hasRemaining()) {
                    int p = in.position();
                    int b0 = in.get(p) & 0xff;
                    int n = b0 < 0x80 ? 1 : b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3
                            : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
                    int cp = valid(in, p, n, b0);
                    if (cp < 0) {
                        if (!out.hasRemaining()) return CoderResult.OVERFLOW;
                        out.put((char) (0xdc00 | b0));
                        in.position(p + 1);
                        continue;
                    }
                    int need = Character.charCount(cp);
                    if (out.remaining() < need) return CoderResult.OVERFLOW;
                    if (need == 1) out.put((char) cp);
                    else out.put(Character.highSurrogate(cp)).put(Character.lowSurrogate(cp));
                    in.position(p + n);
                }
                return CoderResult.UNDERFLOW;
            }
        };
    }

    /** The code point of the {@code n}-byte sequence at {@code p}, or -1 when it is not strict UTF-8. */
    private static int valid(ByteBuffer in, int p, int n, int b0) {
        if (n == 0 || in.limit() - p < n) return -1;
        if (n == 1) return b0;
        int cp = b0 & (0xff >> (n + 1));
        for (int i = 1; i < n; i++) {
            int b = in.get(p + i) & 0xff;
            if ((b & 0xc0) != 0x80) return -1;
            cp = (cp << 6) | (b & 0x3f);
        }
        int min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
        return cp;
    }

    @Override
    public CharsetEncoder newEncoder() {
        return new CharsetEncoder(this, 1.1f, 4.0f, new byte[] {'?'}) {
            @Override
            protected CoderResult encodeLoop(CharBuffer in, ByteBuffer out) {
                while (in.hasRemaining()) {
                    int p = in.position();
                    char c = in.get(p);
                    int cp;
                    int used = 1;
                    if (c >= 0xdc80 && c <= 0xdcff) {
                        if (!out.hasRemaining()) return CoderResult.OVERFLOW;
                        out.put((byte) (c & 0xff));
                        in.position(p + 1);
                        continue;
                    } else if (Character.isHighSurrogate(c)) {
                        if (in.limit() - p < 2) return CoderResult.UNDERFLOW;
                        char d = in.get(p + 1);
                        if (!Character.isLowSurrogate(d)) return CoderResult.malformedForLength(1);
                        cp = Character.toCodePoint(c, d);
                        used = 2;
                    } else if (Character.isSurrogate(c)) {
                        return CoderResult.malformedForLength(1);
                    } else {
                        cp = c;
                    }
                    byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                    if (out.remaining() < b.length) return CoderResult.OVERFLOW;
                    out.put(b);
                    in.position(p + used);
                }
                return CoderResult.UNDERFLOW;
            }
        };
    }
}
