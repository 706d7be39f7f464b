package dev.kolibri.fs;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The charset archive names are read with, and what {@link MemberNames} refuses. */
class MemberNamesTest {
    private static final Charset MARKED = Charset.forName(MemberNames.CHARSET);

    private static String decode(String hex) {
        return new String(HexFormat.of().parseHex(hex), MARKED);
    }

    @Test
    void validUtf8_decodesAsUtf8_andRoundTrips() {
        String s = "usr/share/naïve-東京-\uD83D\uDE00";
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        assertThat(new String(utf8, MARKED)).isEqualTo(s);
        assertThat(s.getBytes(MARKED)).isEqualTo(utf8);
        assertThat(MemberNames.problem(s)).isNull();
    }

    @Test
    void badBytes_areMarked_refused_andPrintedAsEscapes() {
        // bad\xff\xfe, an overlong '/', an encoded surrogate, a sequence cut off at the end
        for (String hex : new String[] {"626164fffe", "c0af", "eda080", "61e69d"}) {
            String name = decode(hex);
            assertThat(MemberNames.problem(name)).as(hex).contains("not valid UTF-8");
            assertThat(name.getBytes(MARKED)).as(hex).isEqualTo(HexFormat.of().parseHex(hex));
        }
        assertThat(MemberNames.printable(decode("626164fffe"))).isEqualTo("bad\\xff\\xfe");
        assertThat(MemberNames.problem("bad\ufffd")).contains("not valid UTF-8");
    }

    @Test
    void newline_refused_andPrintedOnOneLine() {
        assertThat(MemberNames.problem("usr/a\nb")).contains("newline");
        assertThat(MemberNames.printable("usr/a\nb\t")).isEqualTo("usr/a\\nb\\x09");
    }
}
