package dev.kolibri.pkg.deb;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Op;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.testing.DebBuilder;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PackagesIndexTest {
    private static final URI BASE = URI.create("http://127.0.0.1:1/debian");
    private static final String SHA = "a".repeat(64);

    private static List<Package> parse(String text, String arch) throws Exception {
        return PackagesIndex.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "Packages", BASE, "repo1", arch);
    }

    @Test
    void readsAllModelledFieldsAndKeepsTheRest() throws Exception {
        String text = """
                Package: libpython3.11-minimal
                Source: python3.11 (3.11.2-6+deb12u6)
                Version: 3.11.2-6+deb12u6+b1
                Installed-Size: 5000
                Maintainer: Matthias Klose <doko@debian.org>
                Architecture: amd64
                Multi-Arch: allowed
                Provides: libpython-min (= 3.11), virtual-thing
                Pre-Depends: libc6 (>= 2.34)
                Depends: libssl3 (>= 3.0) | libssl-alt, python3:any
                Recommends: tzdata
                Conflicts: old-python (<< 3)
                Breaks: other (<= 1.0)
                Description: Minimal subset
                 of the Python language.
                Multi-Arch: same
                Filename: pool/main/p/python3.11/libpython3.11-minimal_3.11.2-6+deb12u6+b1_amd64.deb
                Size: 812345
                SHA256: %s

                Package: skipped
                Version: 1
                Architecture: arm64
                Filename: pool/x.deb
                SHA256: %s

                Package: tzdata
                Version: 2024a-0+deb12u1
                Architecture: all
                Source: tzdata
                Filename: pool/main/t/tzdata/tzdata_2024a-0+deb12u1_all.deb
                Size: 1
                SHA256: %s
                """.replace("Multi-Arch: same\n", "").formatted(SHA.toUpperCase(), SHA, SHA);
        List<Package> ps = parse(text, "amd64");
        assertThat(ps).extracting(Package::name).containsExactly("libpython3.11-minimal", "tzdata");
        Package p = ps.get(0);
        assertThat(p.version()).isEqualTo("3.11.2-6+deb12u6+b1");
        assertThat(p.arch()).isEqualTo("amd64");
        assertThat(p.sourceName()).isEqualTo("python3.11");
        assertThat(p.sourceVersion()).isEqualTo("3.11.2-6+deb12u6");
        assertThat(p.provides()).containsExactly(new Capability("libpython-min", "3.11"), Capability.of("virtual-thing"),
                new Capability("libpython3.11-minimal:any", "3.11.2-6+deb12u6+b1"));
        assertThat(p.depends()).containsExactly(
                new Requirement.Atom(new Constraint("libc6", Op.GE, "2.34")),
                new Requirement.AnyOf(List.of(new Requirement.Atom(new Constraint("libssl3", Op.GE, "3.0")),
                        Requirement.of("libssl-alt"))),
                Requirement.of("python3:any"));
        assertThat(p.recommends()).containsExactly(Requirement.of("tzdata"));
        assertThat(p.conflicts()).containsExactly(new Constraint("old-python", Op.LT, "3"), new Constraint("other", Op.LE, "1.0"));
        assertThat(p.obsoletes()).isEmpty();
        assertThat(p.repository()).isEqualTo("repo1");
        assertThat(p.location()).isEqualTo("http://127.0.0.1:1/debian/pool/main/p/python3.11/libpython3.11-minimal_3.11.2-6+deb12u6+b1_amd64.deb");
        assertThat(p.size()).isEqualTo(812345);
        assertThat(p.sha256()).isEqualTo(SHA);
        assertThat(p.fields()).containsOnlyKeys("Installed-Size", "Maintainer", "Multi-Arch", "Description");
        assertThat(p.field("Description")).isEqualTo("Minimal subset\n of the Python language.");
        Package tz = ps.get(1);
        assertThat(tz.sourceName()).isEqualTo("tzdata");
        assertThat(tz.sourceVersion()).isEqualTo("2024a-0+deb12u1");
        assertThat(tz.provides()).isEmpty();
    }

    @Test
    void missingRequiredField_namesLine() {
        String text = "Package: a\nVersion: 1\nArchitecture: amd64\nFilename: pool/a.deb\nSHA256: " + SHA + "\n\n"
                + "Package: b\nVersion: 1\nArchitecture: amd64\nSHA256: " + SHA + "\n";
        assertThatThrownBy(() -> parse(text, "amd64"))
                .isInstanceOf(DebMetadataException.class)
                .hasMessage("Packages:7: paragraph 'b' has no 'Filename' field");
        for (String missing : List.of("Package", "Version", "SHA256")) {
            String t = ("Package: a\nVersion: 1\nArchitecture: amd64\nFilename: pool/a.deb\nSHA256: " + SHA + "\n")
                    .replaceAll("(?m)^" + missing + ":.*\n", "");
            assertThatThrownBy(() -> parse(t, "amd64")).hasMessageContaining("Packages:1:").hasMessageContaining("'" + missing + "'");
        }
    }

    @Test
    void badValues_areRefusedWithContext() {
        String ok = "Package: a\nVersion: 1\nArchitecture: amd64\nFilename: pool/a.deb\nSHA256: " + SHA + "\n";
        assertThatThrownBy(() -> parse(ok.replace("Version: 1", "Version: 1.0-"), "amd64"))
                .hasMessage("Packages:1: package 'a': invalid Debian version '1.0-': revision number is empty");
        assertThatThrownBy(() -> parse(ok.replace(SHA, "abc"), "amd64")).hasMessageContaining("SHA256 is not 64 hex digits");
        assertThatThrownBy(() -> parse(ok.replace("pool/a.deb", "../../etc/passwd"), "amd64")).hasMessageContaining("relative path");
        assertThatThrownBy(() -> parse(ok.replace("pool/a.deb", "http://elsewhere.invalid/a.deb"), "amd64")).hasMessageContaining("relative path");
        assertThatThrownBy(() -> parse(ok + "Depends: x (>= \n", "amd64")).hasMessageContaining("Packages:1: package 'a': bad relation");
        assertThatThrownBy(() -> parse(ok + "Size: -3\n", "amd64")).hasMessageContaining("Size is not a number");
    }

    @Test
    void indexMadeByAptFtparchive(@TempDir Path dir) throws Exception {
        Tools.require("dpkg-deb", "apt-ftparchive");
        Path pool = dir.resolve("pool/main");
        DebBuilder.deb("hello", "1:2.10-3", "amd64").field("Depends", "libc6 (>= 2.34), tool:any")
                .field("Multi-Arch", "allowed").field("Source", "hello-src (2.10-2)")
                .file("/usr/bin/hello", "hi").build(pool);
        DebBuilder.deb("data", "1.0", "all").field("Provides", "data-virtual (= 1.0)").file("/usr/share/d", "d").build(pool);
        DebBuilder.deb("armonly", "1.0", "arm64").file("/x", "x").build(pool);
        String index = Tools.ok(dir, "apt-ftparchive", "packages", "pool").out();
        List<Package> ps = PackagesIndex.parse(new ByteArrayInputStream(index.getBytes(StandardCharsets.UTF_8)),
                "Packages", URI.create("http://127.0.0.1:9/repo/"), "r", "amd64");
        assertThat(ps).extracting(Package::name).containsExactlyInAnyOrder("hello", "data");
        Package hello = ps.stream().filter(p -> p.name().equals("hello")).findFirst().orElseThrow();
        assertThat(hello.version()).isEqualTo("1:2.10-3");
        assertThat(hello.sourceName()).isEqualTo("hello-src");
        assertThat(hello.sourceVersion()).isEqualTo("2.10-2");
        assertThat(hello.provides()).containsExactly(new Capability("hello:any", "1:2.10-3"));
        assertThat(hello.depends()).containsExactly(new Requirement.Atom(new Constraint("libc6", Op.GE, "2.34")), Requirement.of("tool:any"));
        Path deb = pool.resolve("hello_2.10-3_amd64.deb");
        assertThat(hello.location()).isEqualTo("http://127.0.0.1:9/repo/pool/main/hello_2.10-3_amd64.deb");
        assertThat(hello.size()).isEqualTo(Files.size(deb));
        assertThat(hello.sha256()).isEqualTo(dev.kolibri.oci.Digest.sha256(deb).hex());
        assertThat(hello.field("Maintainer")).isEqualTo("Kolibri Tests <tests@kolibri.invalid>");
        assertThat(hello.fields()).containsKeys("Description", "MD5sum", "SHA512", "Multi-Arch");
        Package data = ps.stream().filter(p -> p.name().equals("data")).findFirst().orElseThrow();
        assertThat(data.arch()).isEqualTo("all");
        assertThat(data.provides()).containsExactly(new Capability("data-virtual", "1.0"));
    }
}
