package dev.kolibri.sbom;

import dev.kolibri.oci.Digest;
import dev.kolibri.oci.Platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test inputs: a Debian 12 image with 20 packages and a Fedora 40 image with 7. */
final class Fixtures {
    private Fixtures() {}

    static final long EPOCH = 1_700_000_000L;
    static final OsInfo DEBIAN = new OsInfo("debian", "12");
    static final OsInfo FEDORA = new OsInfo("fedora", "40");

    static String sha(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8)).hex();
    }

    static SbomPackage deb(String name, String version, String arch, String src, String srcVersion, String license) {
        String file = name + "_" + version.replace(":", "%3a") + "_" + arch + ".deb";
        return new SbomPackage("deb", name, version, arch, src, srcVersion,
                "Debian Maintainers <maint@lists.example.org>", license, sha(file),
                "https://archive.example.org/debian/pool/main/" + file, null);
    }

    static SbomPackage rpm(String name, String version, String arch, String srpm, String epoch, String license) {
        String file = name + "-" + version + "." + arch + ".rpm";
        return new SbomPackage("rpm", name, version, arch, srpm, null, "Fedora Project", license, sha(file),
                "http://127.0.0.1:8080/fedora/Packages/" + file, epoch);
    }

    static List<SbomPackage> debPackages() {
        return List.of(
                deb("base-files", "12.4+deb12u5", "amd64", null, null, "GPL-2.0-or-later"),
                deb("libc6", "2.36-9+deb12u4", "amd64", "glibc", null, null),
                deb("libgcc-s1", "12.2.0-14", "amd64", "gcc-12", null, "GPL-3.0-or-later WITH GCC-exception-3.1"),
                deb("libstdc++6", "12.2.0-14", "amd64", "gcc-12", null, "GPL-3.0-or-later WITH GCC-exception-3.1"),
                deb("gcc-12-base", "12.2.0-14", "amd64", "gcc-12", null, null),
                deb("libssl3", "3.0.11-1~deb12u2", "amd64", "openssl", null, "Apache-2.0 AND (Artistic-1.0-Perl OR GPL-1.0-or-later)"),
                deb("openssl", "3.0.11-1~deb12u2", "amd64", null, null, "Apache-2.0"),
                deb("ca-certificates", "20230311", "all", null, null, "GPL-2.0-or-later AND MPL-2.0"),
                deb("tzdata", "2024a-0+deb12u1", "all", null, null, "LicenseRef-public-domain"),
                deb("zlib1g", "1:1.2.13.dfsg-1", "amd64", "zlib", null, "Zlib"),
                deb("libzstd1", "1.5.4+dfsg2-5", "amd64", "libzstd", null, "BSD-3-Clause AND (BSD-3-Clause OR GPL-2.0-only)"),
                deb("liblzma5", "5.4.1-0.2", "amd64", "xz-utils", null, "LicenseRef-PD-debian AND GPL-2.0-or-later"),
                deb("libbz2-1.0", "1.0.8-5+b1", "amd64", "bzip2", "1.0.8-5", "BSD-variant"),
                deb("libffi8", "3.4.4-1", "amd64", "libffi", null, "MIT"),
                deb("libexpat1", "2.5.0-1", "amd64", "expat", null, "MIT"),
                deb("libsqlite3-0", "3.40.1-2", "amd64", "sqlite3", null, "LicenseRef-public-domain"),
                deb("libpython3.11-minimal", "3.11.2-6", "amd64", "python3.11", null, "GPL-2+ with OpenSSL exception"),
                deb("python3.11-minimal", "3.11.2-6", "amd64", "python3.11", null, "PSF-2.0"),
                deb("libcrypt1", "1:4.4.33-2", "amd64", "libxcrypt", null, null),
                deb("netbase", "6.4", "all", null, null, null));
    }

    static Map<String, List<String>> debDepends() {
        var m = new LinkedHashMap<String, List<String>>();
        m.put("libc6:amd64", List.of("libgcc-s1:amd64"));
        m.put("libgcc-s1:amd64", List.of("libc6:amd64", "gcc-12-base:amd64"));
        m.put("libstdc++6:amd64", List.of("libc6:amd64", "libgcc-s1:amd64", "gcc-12-base:amd64"));
        m.put("libssl3:amd64", List.of("libc6:amd64"));
        m.put("openssl:amd64", List.of("libssl3:amd64", "libc6:amd64"));
        m.put("ca-certificates:all", List.of("openssl:amd64"));
        m.put("zlib1g:amd64", List.of("libc6:amd64"));
        m.put("libzstd1:amd64", List.of("libc6:amd64"));
        m.put("liblzma5:amd64", List.of("libc6:amd64"));
        m.put("libbz2-1.0:amd64", List.of("libc6:amd64"));
        m.put("libffi8:amd64", List.of("libc6:amd64"));
        m.put("libexpat1:amd64", List.of("libc6:amd64"));
        m.put("libsqlite3-0:amd64", List.of("libc6:amd64"));
        m.put("libcrypt1:amd64", List.of("libc6:amd64"));
        m.put("libpython3.11-minimal:amd64", List.of("libc6:amd64", "libssl3:amd64", "zlib1g:amd64"));
        m.put("python3.11-minimal:amd64", List.of("libpython3.11-minimal:amd64", "libexpat1:amd64", "zlib1g:amd64", "tzdata:all"));
        return m;
    }

    static ImageSubject debImage() {
        return new ImageSubject("python", "3.11", Digest.sha256("python manifest".getBytes(StandardCharsets.UTF_8)),
                Platform.LINUX_AMD64, List.of(Digest.sha256("layer".getBytes(StandardCharsets.UTF_8))));
    }

    static SbomInput debInput() {
        return new SbomInput(debImage(), debPackages(), debDepends(), EPOCH, "0.1.0", DEBIAN);
    }

    static List<SbomPackage> rpmPackages() {
        return List.of(
                rpm("glibc", "2.39-22.fc40", "x86_64", "glibc-2.39-22.fc40.src.rpm", null,
                        "LGPL-2.1-or-later AND SunPro AND LGPL-2.1-or-later WITH GCC-exception-2.0 AND BSD-3-Clause AND GPL-2.0-or-later"),
                rpm("bash", "5.2.26-3.fc40", "x86_64", "bash-5.2.26-3.fc40.src.rpm", null, "GPL-3.0-or-later"),
                rpm("openssl-libs", "3.2.2-3.fc40", "x86_64", "openssl-3.2.2-3.fc40.src.rpm", "1", "Apache-2.0"),
                rpm("zlib-ng-compat", "2.1.7-1.fc40", "x86_64", "zlib-ng-2.1.7-1.fc40.src.rpm", null, "zlib"),
                rpm("libstdc++", "14.1.1-7.fc40", "x86_64", "gcc-14.1.1-7.fc40.src.rpm", null,
                        "GPL-3.0-or-later AND LGPL-3.0-or-later AND (GPL-3.0-or-later WITH GCC-exception-3.1)"),
                rpm("fedora-release-common", "40-40", "noarch", "fedora-release-40-40.src.rpm", null, "MIT"),
                rpm("tzdata", "2024a-5.fc40", "noarch", "tzdata-2024a-5.fc40.src.rpm", null, "Public Domain"));
    }

    static Map<String, List<String>> rpmDepends() {
        return Map.of(
                "bash:x86_64", List.of("glibc:x86_64"),
                "glibc:x86_64", List.of("tzdata:noarch"),
                "openssl-libs:x86_64", List.of("glibc:x86_64", "zlib-ng-compat:x86_64"),
                "libstdc++:x86_64", List.of("glibc:x86_64"));
    }

    static SbomInput rpmInput() {
        var image = new ImageSubject("hummingbird/bash", null, Digest.sha256("bash index".getBytes(StandardCharsets.UTF_8)), null, List.of());
        return new SbomInput(image, rpmPackages(), rpmDepends(), EPOCH, "0.1.0", FEDORA);
    }

    /** The same input with its package list and every dependency list in another order. */
    static SbomInput shuffled(SbomInput in, long seed) {
        var rnd = new Random(seed);
        var packages = new ArrayList<>(in.packages());
        Collections.shuffle(packages, rnd);
        var keys = new ArrayList<>(in.dependsOn().keySet());
        Collections.shuffle(keys, rnd);
        var deps = new LinkedHashMap<String, List<String>>();
        for (String k : keys) {
            var to = new ArrayList<>(in.dependsOn().get(k));
            Collections.shuffle(to, rnd);
            deps.put(k, to);
        }
        return new SbomInput(in.image(), packages, deps, in.epoch(), in.toolVersion(), in.os());
    }
}
