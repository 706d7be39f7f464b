package dev.kolibri.pkg.rpm;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrimaryTest {
    static final String SHA = "a".repeat(64);

    static Primary.Result read(String pkgXml) {
        String xml = "<?xml version=\"1.0\"?><metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
                + "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">" + pkgXml + "</metadata>";
        return Primary.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "primary.xml",
                URI.create("http://r.invalid/repo/"), "r", "x86_64");
    }

    static String pkg(String arch, String checksumType, String href, String format) {
        return "<package type=\"rpm\"><name>p</name><arch>" + arch + "</arch><version epoch=\"0\" ver=\"1\" rel=\"1\"/>"
                + "<checksum type=\"" + checksumType + "\" pkgid=\"YES\">" + SHA + "</checksum><size package=\"10\"/>"
                + "<location href=\"" + href + "\"/><format>" + format + "</format></package>";
    }

    @Test
    void archFilter_keepsArchAndNoarch() {
        String f = "<rpm:sourcerpm>p-1-1.src.rpm</rpm:sourcerpm>";
        Primary.Result r = read(pkg("x86_64", "sha256", "a.rpm", f) + pkg("i686", "sha256", "b.rpm", f)
                + pkg("noarch", "sha256", "c.rpm", f) + pkg("src", "sha256", "d.rpm", f) + pkg("aarch64", "sha256", "e.rpm", f));
        assertThat(r.packages()).extracting(p -> p.arch()).containsExactly("x86_64", "noarch");
        assertThat(r.packages().get(0).location()).isEqualTo("http://r.invalid/repo/a.rpm");
    }

    @Test
    void otherChecksumType_refused() {
        assertThatThrownBy(() -> read(pkg("x86_64", "sha1", "a.rpm", "")))
                .isInstanceOf(RpmMetadataException.class).hasMessageContaining("checksum type is 'sha1'; Kolibri needs sha256");
    }

    @Test
    void escapingLocation_refused() {
        assertThatThrownBy(() -> read(pkg("x86_64", "sha256", "../x.rpm", "")))
                .isInstanceOf(RpmMetadataException.class).hasMessageContaining("not a plain relative path");
        assertThatThrownBy(() -> read(pkg("x86_64", "sha256", "http://evil.invalid/x.rpm", "")))
                .isInstanceOf(RpmMetadataException.class).hasMessageContaining("not a plain relative path");
    }

    @Test
    void richConflicts_orSplit_othersDroppedWithWarning() {
        Primary.Result r = read(pkg("x86_64", "sha256", "a.rpm",
                "<rpm:conflicts><rpm:entry name=\"(a or b)\"/><rpm:entry name=\"(c and d)\"/></rpm:conflicts>"));
        assertThat(r.packages().get(0).conflicts()).extracting(c -> c.name()).containsExactly("a", "b");
        assertThat(r.warnings()).singleElement().asString().contains("rich conflict '(c and d)'");
    }

    @Test
    void malformedXml_andMalformedRichDep_clearErrors() {
        assertThatThrownBy(() -> Primary.read(new ByteArrayInputStream("<metadata><package>".getBytes()), "primary.xml",
                URI.create("http://r.invalid/"), "r", "x86_64"))
                .isInstanceOf(RpmMetadataException.class).hasMessageStartingWith("primary.xml: malformed XML");
        assertThatThrownBy(() -> read(pkg("x86_64", "sha256", "a.rpm", "<rpm:requires><rpm:entry name=\"(a and\"/></rpm:requires>")))
                .isInstanceOf(RpmMetadataException.class).hasMessageContaining("p-1-1.x86_64").hasMessageContaining("malformed RPM dependency");
        assertThatThrownBy(() -> Primary.read(new ByteArrayInputStream(
                "<!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><metadata>&x;</metadata>".getBytes()), "primary.xml",
                URI.create("http://r.invalid/"), "r", "x86_64")).isInstanceOf(RpmMetadataException.class);
    }

    @Test
    void filelists_keepsOnlyWantedPaths() {
        String xml = "<filelists><package pkgid=\"" + SHA + "\" name=\"p\" arch=\"x86_64\"><file>/a</file>"
                + "<file type=\"dir\">/b</file><file>/c</file></package></filelists>";
        assertThat(Filelists.read(new ByteArrayInputStream(xml.getBytes()), "filelists.xml", Set.of("/b", "/z")))
                .containsOnlyKeys(SHA).satisfies(m -> assertThat(m.get(SHA)).containsExactly("/b"));
    }
}
