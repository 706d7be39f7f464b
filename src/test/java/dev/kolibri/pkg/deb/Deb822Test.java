package dev.kolibri.pkg.deb;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Deb822Test {

    @Test
    void parsesParagraphsWithLineNumbersAndFoldedFields() {
        String text = """

                Package: hello
                Version: 2.10-3
                Description: example package
                 A longer description
                 .
                 with a blank line.

                # a comment
                Package: other
                depends: libc6 (>= 2.34),
                  libfoo
                """;
        List<Deb822.Paragraph> ps = Deb822.parse(text, "Packages");
        assertThat(ps).hasSize(2);
        Deb822.Paragraph a = ps.get(0);
        assertThat(a.line()).isEqualTo(2);
        assertThat(a.where()).isEqualTo("Packages:2");
        assertThat(a.get("package")).isEqualTo("hello");
        assertThat(a.get("DESCRIPTION")).isEqualTo("example package\n A longer description\n .\n with a blank line.");
        assertThat(a.asMap().keySet()).containsExactly("Package", "Version", "Description");
        Deb822.Paragraph b = ps.get(1);
        assertThat(b.line()).isEqualTo(10);
        assertThat(b.fields().get(1).name()).isEqualTo("depends");
        assertThat(b.get("Depends")).isEqualTo("libc6 (>= 2.34),\n  libfoo");
        assertThat(b.field("Depends").orElseThrow().line()).isEqualTo(11);
    }

    @Test
    void multilineHashListKeepsItsLines() {
        String text = "Origin: Test\nSHA256:\n aaaa 12 main/binary-amd64/Packages\n bbbb 7 main/binary-amd64/Packages.xz\n";
        Deb822.Paragraph p = Deb822.parse(text, "Release").get(0);
        assertThat(p.lines("SHA256")).containsExactly("aaaa 12 main/binary-amd64/Packages", "bbbb 7 main/binary-amd64/Packages.xz");
        assertThat(p.get("SHA256")).startsWith("\n aaaa");
    }

    @Test
    void crlfAndTrailingSpacesAreTolerated() throws Exception {
        byte[] in = "Package: a  \r\nVersion: 1\r\n\r\nPackage: b\r\n".getBytes(StandardCharsets.UTF_8);
        List<Deb822.Paragraph> ps = Deb822.parse(new ByteArrayInputStream(in), "x");
        assertThat(ps).extracting(p -> p.get("Package")).containsExactly("a", "b");
    }

    @Test
    void malformedLine_namesSourceAndLine() {
        assertThatThrownBy(() -> Deb822.parse("Package: a\nthis is not a field\n", "dists/x/Packages"))
                .isInstanceOf(DebMetadataException.class)
                .hasMessageStartingWith("dists/x/Packages:2: malformed line");
    }

    @Test
    void continuationWithoutField_isAnError() {
        assertThatThrownBy(() -> Deb822.parse("\n  orphan\n", "f"))
                .hasMessageStartingWith("f:2: continuation line before any field");
    }

    @Test
    void duplicateField_isAnError() {
        assertThatThrownBy(() -> Deb822.parse("Package: a\npackage: b\n", "f"))
                .hasMessageContaining("f:2: duplicate field 'package' (first on line 1)");
    }

    @Test
    void signedInput_saysToVerifyFirst() {
        assertThatThrownBy(() -> Deb822.parse("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n", "InRelease"))
                .hasMessageContaining("InRelease:1: the file is OpenPGP-signed");
    }

    @Test
    void require_namesTheMissingField() {
        Deb822.Paragraph p = Deb822.parse("\n\nPackage: a\n", "P").get(0);
        assertThatThrownBy(() -> p.require("Version")).hasMessage("P:3: paragraph 'a' has no 'Version' field");
    }

    @Test
    void emptyInput_hasNoParagraphs() {
        assertThat(Deb822.parse("\n\n# only a comment\n", "e")).isEmpty();
    }
}
