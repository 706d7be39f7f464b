package dev.kolibri.finalize;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The scanner finds exactly the blocks the reference regex finds, on real bundles and on damaged text. */
class PemTest {
    /** The reference reading: the regex the scanner replaced. */
    private static final java.util.regex.Pattern BLOCK = java.util.regex.Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", java.util.regex.Pattern.DOTALL);

    private static List<String[]> regexBlocks(String text) {
        java.util.regex.Matcher m = BLOCK.matcher(text);
        List<String[]> out = new java.util.ArrayList<>();
        while (m.find()) out.add(new String[]{m.group(1), m.group(2)});
        return out;
    }

    private static void assertSameBlocks(String text) {
        List<String[]> expected = regexBlocks(text);
        var actual = Pem.blocks(text);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).label()).isEqualTo(expected.get(i)[0]);
            assertThat(actual.get(i).body()).isEqualTo(expected.get(i)[1]);
        }
    }

    @Test
    void realCertificates_sameBlocksAsTheRegex() throws Exception {
        Path dir = Path.of("/usr/share/ca-certificates/mozilla");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dir), "skipped: no ca-certificates on this machine");
        StringBuilder all = new StringBuilder();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) all.append(Files.readString(p, StandardCharsets.ISO_8859_1));
        }
        assertThat(Pem.read(all.toString().getBytes(StandardCharsets.ISO_8859_1)).certificates()).hasSizeGreaterThan(100);
        assertSameBlocks(all.toString());
    }

    @Test
    void damagedText_sameBlocksAsTheRegex() {
        String one = "-----BEGIN CERTIFICATE-----\nAAEC\nAwQF\n-----END CERTIFICATE-----\n";
        String[] pieces = {one, "-----BEGIN X509 CRL-----\r\nAA==\n-----END X509 CRL-----\n", "-----BEGIN ",
                "-----END CERTIFICATE-----", "-----BEGIN CERTIFICATE-----", "-----BEGIN bad-----\n", "\n", "\r\n",
                "junk ", "Proc-Type: 4,ENCRYPTED\n", "-----BEGIN  -----\n", "-----END X509 CRL-----", "-----"};
        Random r = new Random(7);
        for (int i = 0; i < 5000; i++) {
            StringBuilder b = new StringBuilder();
            int n = r.nextInt(8);
            for (int j = 0; j < n; j++) b.append(pieces[r.nextInt(pieces.length)]);
            assertSameBlocks(b.toString());
        }
        assertThat(Pem.read(one.getBytes(StandardCharsets.ISO_8859_1)).certificates().get(0)).containsExactly(0, 1, 2, 3, 4, 5);
    }
}
