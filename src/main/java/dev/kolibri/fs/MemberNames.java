package dev.kolibri.fs;

import java.nio.charset.Charset;

/**
 * File names exactly as a package has them, or refused. A name (or link target) that holds a newline is refused,
 * as dpkg refuses it (it would split the entry in {@code status.d/<pkg>.md5sums}); one that is not valid UTF-8 is
 * refused rather than renamed. Readers decode names with {@link #CHARSET}, which keeps each bad byte as a mark
 * (see {@link MarkedUtf8}); a {@code U+FFFD} (what a lenient decoder, such as a PAX header reader, leaves for bad
 * bytes) counts as not valid too.
 */
public final class MemberNames {
    private MemberNames() {}

    /** The charset name archive readers decode member names with. */
    public static final String CHARSET = MarkedUtf8.NAME;

    static {
        if (!Charset.isSupported(CHARSET)) {
            throw new IllegalStateException("charset " + CHARSET + " is not registered (META-INF/services); the Kolibri jar is incomplete");
        }
    }

    /** Why {@code name} cannot be installed as it is (a sentence), or null when it can. */
    public static String problem(String name) {
        if (name == null) return null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\n') return "it holds a newline, which dpkg refuses in file names";
            if (c == '\ufffd' || (Character.isSurrogate(c) && !pairedAt(name, i))) {
                return "it is not valid UTF-8 (Kolibri keeps file names byte for byte or refuses them)";
            }
            if (Character.isHighSurrogate(c)) i++;
        }
        return null;
    }

    private static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return false; // a low surrogate reached here has no high one before it
    }

    /**
     * {@code name} for a one-line message: control characters and bad bytes as {@code \n}, {@code \xff}; a
     * {@code U+FFFD} (bytes a lenient decoder already lost) as {@code \ufffd}.
     */
    public static String printable(String name) {
        StringBuilder b = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\n') b.append("\\n");
            else if (c == '\\') b.append("\\\\");
            else if (c == '\ufffd') b.append("\\ufffd");
            else if (c >= 0xdc80 && c <= 0xdcff && !pairedAfterHigh(name, i)) b.append(String.format("\\x%02x", c & 0xff));
            else if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    private static boolean pairedAfterHigh(String s, int i) {
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
