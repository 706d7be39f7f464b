package dev.kolibri.scan;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.inspect.DpkgDbReader;
import dev.kolibri.inspect.ImagePackages;
import dev.kolibri.inspect.PackageRecord;
import dev.kolibri.vuln.Ecosystems;
import dev.kolibri.vuln.ScannedPackage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OS an image is scanned as, and the family each of its packages is matched as. */
class ImageOsTest {
    private static FileTree tree(String osRelease, String baseFilesVersion) {
        FileTree t = new FileTree();
        if (osRelease != null) {
            t.put(FileEntry.file("etc/os-release", 0644, 0, 0, 0, osRelease.getBytes(StandardCharsets.UTF_8), ""));
        }
        if (baseFilesVersion != null) {
            t.put(FileEntry.file("var/lib/dpkg/status.d/base-files", 0644, 0, 0, 0,
                    ("Package: base-files\nVersion: " + baseFilesVersion + "\nArchitecture: amd64\n").getBytes(StandardCharsets.UTF_8), ""));
        }
        return t;
    }

    private static Ecosystems.OsEcosystem os(FileTree t) {
        return ScanInputs.os("img", t, ImagePackages.read(t));
    }

    @Test
    void osRelease_withVersionId_decides() {
        assertThat(os(tree("ID=debian\nVERSION_ID=\"12\"\n", "13.8")).key()).isEqualTo("Debian:12");
    }

    @Test
    void osRelease_withoutVersionId_orMissing_takesTheReleaseFromBaseFiles() {
        assertThat(os(tree("ID=kolibri\nNAME=Kolibri\n", "12.4+deb12u5")).key()).isEqualTo("Debian:12");
        assertThat(os(tree(null, "13.8")).key()).isEqualTo("Debian:13");
    }

    @Test
    void nothingTellsTheOs_isOneLineAskingForDistro() {
        assertThatThrownBy(() -> os(tree(null, null))).isInstanceOf(ScanInputException.class)
                .hasMessageContaining("img").hasMessageContaining("no os-release").hasMessageContaining("--distro")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> os(tree("ID=kolibri\n", null))).isInstanceOf(ScanInputException.class)
                .hasMessageContaining("no VERSION_ID").hasMessageContaining("--distro");
    }

    @Test
    void packages_areMatchedAsTheFamilyOfTheirDatabase() {
        PackageRecord rpm = new PackageRecord("rpm", "libgreet", "2:1.0-4", "x86_64", "fixture-1-1.src.rpm", null, null, Map.of());
        ScannedPackage s = ScanInputs.scanned(rpm);
        assertThat(s.family()).isEqualTo(Ecosystems.Family.RPM);
        assertThat(s.sourceName()).isEqualTo("fixture");
        assertThat(s.version()).isEqualTo("2:1.0-4");
        PackageRecord deb = DpkgDbReader.record(Map.of("Package", "libfoo1", "Version", "1.0-1+b1", "Architecture", "amd64",
                "Source", "foo (1.0-1)"));
        ScannedPackage d = ScanInputs.scanned(deb);
        assertThat(d.family()).isEqualTo(Ecosystems.Family.DEB);
        assertThat(d.sourceName() + " " + d.sourceVersion()).isEqualTo("foo 1.0-1");
    }
}
