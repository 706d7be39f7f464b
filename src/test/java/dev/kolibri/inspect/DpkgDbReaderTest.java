package dev.kolibri.inspect;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.pkg.deb.DebMetadataException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpkgDbReaderTest {
    private static void file(FileTree t, String path, String text) {
        t.put(FileEntry.file(path, 0644, 0, 0, 0, text.getBytes(StandardCharsets.UTF_8), ""));
    }

    @Test
    void read_mergesStatusDAndStatus_keepsOnlyInstalled_parsesSourceAndMaintainer() {
        FileTree t = new FileTree();
        file(t, "var/lib/dpkg/status.d/libc6", "Package: libc6\nVersion: 2.36-9\nArchitecture: amd64\n"
                + "Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\nSource: glibc\nDepends: libgcc-s1\n");
        file(t, "var/lib/dpkg/status.d/libc6.md5sums", "d41d8cd98f00b204e9800998ecf8427e  usr/lib/x\n");
        file(t, "var/lib/dpkg/status", "Package: libc6\nStatus: install ok installed\nVersion: 9\nArchitecture: amd64\n\n"
                + "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\nArchitecture: amd64\n\n"
                + "Package: libssl3\nStatus: install ok installed\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\n"
                + "Source: openssl (3.0.15-1~deb12u1+b1)\n");
        var got = new DpkgDbReader().read(t);
        assertThat(got).extracting(PackageRecord::key).containsExactly("libc6:amd64", "libssl3:amd64");
        PackageRecord libc = got.get(0);
        assertThat(libc.version()).isEqualTo("2.36-9"); // status.d wins
        assertThat(libc.sourceName()).isEqualTo("glibc");
        assertThat(libc.sourceVersion()).isEqualTo("2.36-9");
        assertThat(libc.maintainer()).startsWith("GNU Libc Maintainers");
        assertThat(libc.field("depends")).isEqualTo("libgcc-s1");
        assertThat(got.get(1).sourceName()).isEqualTo("openssl");
        assertThat(got.get(1).sourceVersion()).isEqualTo("3.0.15-1~deb12u1+b1");
        assertThat(InstalledPackages.read(t)).extracting(Inspection.InstalledPackage::source).containsExactly("glibc", "openssl");
    }

    @Test
    void read_noDatabase_isEmpty_andACorruptOneIsAClearError() {
        assertThat(new DpkgDbReader().read(new FileTree())).isEmpty();
        FileTree t = new FileTree();
        file(t, "var/lib/dpkg/status", " continuation without a field\n");
        assertThatThrownBy(() -> new DpkgDbReader().read(t)).isInstanceOf(DebMetadataException.class)
                .hasMessageContaining("dpkg database").hasMessageContaining("/var/lib/dpkg/status");
    }
}
