package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LicensesTest {
    private static final String DEP5 = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n";

    /** A copyright file of this machine; skips visibly when the package is not installed. */
    private static String installed(String pkg) throws Exception {
        Path f = Path.of("/usr/share/doc", pkg, "copyright");
        assumeTrue(Files.isRegularFile(f), () -> "skipped: " + f + " is not on this machine (package " + pkg + " not installed)");
        return Files.readString(f, StandardCharsets.ISO_8859_1);
    }

    @Test
    void realCopyright_zlib1g_isZlib() throws Exception {
        assertThat(Licenses.fromDebianCopyright(installed("zlib1g"))).isEqualTo("Zlib");
    }

    @Test
    void realCopyright_tzdata_isPublicDomainRef() throws Exception {
        assertThat(Licenses.fromDebianCopyright(installed("tzdata"))).isEqualTo("LicenseRef-public-domain");
    }

    @Test
    void realCopyright_caCertificates() throws Exception {
        assertThat(Licenses.fromDebianCopyright(installed("ca-certificates"))).isEqualTo("GPL-2.0-or-later AND MPL-2.0");
    }

    @Test
    void realCopyright_libssl3_keepsTheChoiceAndSkipsStandaloneLicenceParagraphs() throws Exception {
        String text = installed("libssl3");
        assumeTrue(text.contains("License: Artistic or GPL-1+"), "skipped: libssl3's copyright file changed its layout");
        assertThat(Licenses.fromDebianCopyright(text)).isEqualTo("(Artistic-1.0-Perl OR GPL-1.0-or-later) AND Apache-2.0");
    }

    @Test
    void realCopyright_libzstd1_orGroupsAreParenthesised() throws Exception {
        String r = Licenses.fromDebianCopyright(installed("libzstd1"));
        assertThat(r).contains("(BSD-3-Clause OR GPL-2.0-only)").contains("MIT").contains("Zlib");
        assertThat(Licenses.isValidSpdxExpression(r)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"libc6", "libgcc-s1", "libstdc++6"})
    void realCopyright_notMachineReadable_isNull(String pkg) throws Exception {
        String text = installed(pkg);
        assumeTrue(!text.startsWith("Format:"), () -> "skipped: " + pkg + " became machine-readable");
        assertThat(Licenses.fromDebianCopyright(text)).isNull();
    }

    @Test
    void everyMachineReadableCopyrightOnThisMachine_givesAValidExpressionOrNull() throws Exception {
        Path doc = Path.of("/usr/share/doc");
        assumeTrue(Files.isDirectory(doc), "skipped: no /usr/share/doc");
        List<String> bad = new ArrayList<>();
        int machineReadable = 0;
        try (var dirs = Files.list(doc)) {
            for (Path d : dirs.sorted().toList()) {
                Path f = d.resolve("copyright");
                if (!Files.isRegularFile(f) || Files.isSymbolicLink(d)) continue;
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                String r = Licenses.fromDebianCopyright(text);
                if (r != null) machineReadable++;
                if (r != null && !Licenses.isValidSpdxExpression(r)) bad.add(d.getFileName() + ": " + r);
            }
        }
        assertThat(bad).isEmpty();
        assumeTrue(machineReadable > 0, "skipped: no machine-readable copyright files here");
    }

    @Test
    void synthetic_combinesDistinctSortedWithAnd() {
        String text = DEP5 + "Upstream-Name: x\n\nFiles: *\nCopyright: 2020 A\nLicense: GPL-2+\n\n"
                + "Files: lib/*\nCopyright: 2020 B\nLicense: LGPL-2.1+\n text of the licence\n .\n more\n\n"
                + "Files: compat/*\nCopyright: 2020 C\nLicense: BSD-3-clause\n\n"
                + "Files: other/*\nCopyright: 2020 C\nLicense: GPL-2+\n\n"
                + "License: GPL-2+\n On Debian systems, see /usr/share/common-licenses/GPL-2.\n";
        assertThat(Licenses.fromDebianCopyright(text)).isEqualTo("BSD-3-Clause AND GPL-2.0-or-later AND LGPL-2.1-or-later");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Expat|MIT",
            "PSF-2|PSF-2.0",
            "zlib|Zlib",
            "ISC|ISC",
            "Apache-2.0|Apache-2.0",
            "MPL-2.0|MPL-2.0",
            "GPL-3|GPL-3.0-only",
            "LGPL-2|LGPL-2.0-only",
            "AGPL-3+|AGPL-3.0-or-later",
            "GFDL-NIV-1.3+|GFDL-1.3-no-invariants-or-later",
            "BSD-2-clause|BSD-2-Clause",
            "public-domain|LicenseRef-public-domain",
            "Artistic or GPL-1+|Artistic-1.0-Perl OR GPL-1.0-or-later",
            "GPL-2+ and BSD-3-clause|BSD-3-Clause AND GPL-2.0-or-later",
            "GPL-3+ with Autoconf exception|GPL-3.0-or-later WITH Autoconf-exception-3.0",
            "GPL-2+ with OpenSSL exception|LicenseRef-GPL-2-or-later-with-OpenSSL-exception",
            "permissive-fsf|LicenseRef-permissive-fsf",
    })
    void debianShortNames_mapToSpdx(String synopsis, String expected) {
        String r = Licenses.fromDebianCopyright(DEP5 + "\nFiles: *\nCopyright: x\nLicense: " + synopsis + "\n");
        assertThat(r).isEqualTo(expected);
        assertThat(Licenses.isValidSpdxExpression(r)).isTrue();
    }

    @Test
    void notMachineReadable_orEmpty_isNull() {
        assertThat(Licenses.fromDebianCopyright(null)).isNull();
        assertThat(Licenses.fromDebianCopyright("")).isNull();
        assertThat(Licenses.fromDebianCopyright("This is the Debian package of foo.\n\nCopyright: 1999 someone\nLicense: GPL\n")).isNull();
        assertThat(Licenses.fromDebianCopyright("Format: https://example.org/not-dep5\n\nFiles: *\nLicense: MIT\n")).isNull();
        assertThat(Licenses.fromDebianCopyright(DEP5 + "\nFiles: *\nCopyright: x\n")).isNull();
        assertThat(Licenses.fromDebianCopyright("Format: http://dep.debian.net/deps/dep5?op=file&rev=135\n\nFiles: *\nLicense: MIT\n"))
                .isEqualTo("MIT");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GPL-3.0-or-later|GPL-3.0-or-later",
            "LGPL-2.1-or-later AND SunPro AND LGPL-2.1-or-later WITH GCC-exception-2.0|LGPL-2.1-or-later AND SunPro AND LGPL-2.1-or-later WITH GCC-exception-2.0",
            "(MIT OR apache-2.0) AND BSD-3-clause|(MIT OR Apache-2.0) AND BSD-3-Clause",
            "  GPL-2.0-only  |GPL-2.0-only",
            "LicenseRef-Fedora-Public-Domain AND MIT|LicenseRef-Fedora-Public-Domain AND MIT",
            "Apache-1.0+|Apache-1.0+",
    })
    void rpmLicense_spdxIsKeptInCanonicalCase(String tag, String expected) {
        assertThat(Licenses.fromRpmLicense(tag)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GPLv2+", "BSD", "Public Domain", "GPL-2.0-only and MIT", "MIT AND", "(MIT", "MIT)",
            "MIT WITH GPL-2.0-only", "GPL-2.0-only WITH Made-Up-exception", "AND MIT", "GPL-2.0+" /* deprecated id */})
    void rpmLicense_notSpdx_isNull(String tag) {
        assertThat(Licenses.fromRpmLicense(tag)).isNull();
        assertThat(Licenses.isValidSpdxExpression(tag)).isFalse();
    }

    @Test
    void bundledIdList_matchesTheSpdxLibrarysList() throws Exception {
        Set<String> theirs = new TreeSet<>();
        try (InputStream in = org.spdx.library.ListedLicenses.class.getResourceAsStream("/resources/stdlicenses/licenses.json")) {
            assumeTrue(in != null, "skipped: java-spdx-library no longer ships resources/stdlicenses/licenses.json");
            JsonNode list = new ObjectMapper().readTree(in);
            list.get("licenses").forEach(l -> {
                if (!l.get("isDeprecatedLicenseId").asBoolean()) theirs.add(l.get("licenseId").asText());
            });
        }
        Set<String> ours = new TreeSet<>();
        try (InputStream in = Licenses.class.getResourceAsStream("spdx-license-ids.txt")) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(ours::add);
        }
        assertThat(ours).isEqualTo(theirs);
        theirs.forEach(id -> assertThat(Licenses.isValidSpdxExpression(id)).as(id).isTrue());
    }
}
