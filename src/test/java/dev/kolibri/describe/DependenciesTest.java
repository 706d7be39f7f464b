package dev.kolibri.describe;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.inspect.DpkgDbReader;
import dev.kolibri.inspect.PackageRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DependenciesTest {
    private static PackageRecord pkg(String name, String version, String arch, String... fields) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("Package", name);
        m.put("Version", version);
        m.put("Architecture", arch);
        for (int i = 0; i < fields.length; i += 2) m.put(fields[i], fields[i + 1]);
        return DpkgDbReader.record(m);
    }

    @Test
    void edges_followFirstMetAlternativeVersionsProvidesAndArchQualifiers() {
        List<PackageRecord> pkgs = List.of(
                pkg("app", "1", "amd64", "Depends", "gone | libold (>= 2), mta, python3:any, libc6 [arm64], self-dep",
                        "Pre-Depends", "libc6 (>= 2.36)", "Provides", "self-dep"),
                pkg("libold", "1.5", "amd64"),
                pkg("libnew", "2.1", "amd64", "Provides", "libold (= 2.1)"),
                pkg("exim", "4", "amd64", "Provides", "mta"),
                pkg("postfix", "3", "amd64", "Provides", "mta"),
                pkg("python3", "3.11", "amd64", "Multi-Arch", "allowed"),
                pkg("libc6", "2.36-9", "amd64", "Depends", "libgcc-s1 (>= 3.0)"),
                pkg("libgcc-s1", "12.2", "amd64", "Depends", "libc6 (>= 2.14), broken ((("));
        Map<String, List<String>> e = Dependencies.edges(pkgs, "amd64");
        // libold 1.5 does not meet >= 2; libnew's versioned provide does. Both mta providers count. No self-edge.
        assertThat(e.get("app:amd64")).containsExactly("exim:amd64", "libc6:amd64", "libnew:amd64", "postfix:amd64",
                "python3:amd64");
        assertThat(e.get("libc6:amd64")).containsExactly("libgcc-s1:amd64");
        assertThat(e).doesNotContainKey("libgcc-s1:amd64"); // its Depends does not parse: no edges, no failure
        assertThat(e).doesNotContainKeys("libold:amd64", "exim:amd64");
    }

    @Test
    void licence_followsASymlinkedDocDirectory() {
        FileTree t = new FileTree();
        t.put(FileEntry.directory("usr/share/doc/a", 0755, 0, 0, 0, "a"));
        t.put(FileEntry.file("usr/share/doc/a/copyright", 0644, 0, 0, 0, ("Format: https://www.debian.org/doc/packaging-"
                + "manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: x\nLicense: Expat\n").getBytes(StandardCharsets.UTF_8), "a"));
        t.put(FileEntry.symlink("usr/share/doc/b", "a", 0, 0, 0, "b"));
        assertThat(SbomInputs.license(t, "b")).isEqualTo("MIT");
        assertThat(SbomInputs.license(t, "c")).isNull();
        assertThat(SbomInputs.os(t).id()).isEqualTo("linux");
    }
}
