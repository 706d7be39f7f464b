package dev.kolibri.vuln;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** Test fixtures: hand-written OSV and VEX documents in the published formats, and the package sets scanned. */
final class Fixtures {
    private Fixtures() {}

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/dev/kolibri/vuln/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static Path osv() {
        return resource("osv");
    }

    /** A Debian 12 image. */
    static List<ScannedPackage> debian12() {
        return List.of(
                ScannedPackage.deb("libssl3", "3.0.14-1~deb12u2", "amd64", "openssl", "3.0.14-1~deb12u2"),
                ScannedPackage.deb("openssl", "3.0.15-1~deb12u1", "amd64", "openssl", "3.0.15-1~deb12u1"),
                ScannedPackage.deb("libncursesw6", "6.4-4", "amd64", "ncurses", "6.4-4"),
                ScannedPackage.deb("libfoo1", "1.2-3+b1", "amd64", "foo", "1.2-3"),
                ScannedPackage.deb("libfoo-old", "0.9-1", "amd64", "foo", "0.9-1"),
                ScannedPackage.deb("vim", "2:9.0.1378-2", "amd64", "vim", "2:9.0.1378-2"),
                ScannedPackage.deb("zlib1g", "1:1.2.13.dfsg-1", "amd64", "zlib", "1:1.2.13.dfsg-1"),
                ScannedPackage.deb("tzdata", "2024a-0+deb12u1", "all", null, null));
    }

    static List<ScannedPackage> debian11() {
        return List.of(
                ScannedPackage.deb("libssl1.1", "1.1.1w-0+deb11u1", "amd64", "openssl", "1.1.1w-0+deb11u1"),
                ScannedPackage.deb("libncursesw6", "6.2+20201114-2+deb11u1", "amd64", "ncurses", "6.2+20201114-2+deb11u1"));
    }

    static List<ScannedPackage> alma9() {
        return List.of(
                ScannedPackage.rpm("openssl-libs", "1:3.0.7-25.el9_3", "x86_64", "openssl"),
                ScannedPackage.rpm("openssl", "1:3.0.7-27.el9", "x86_64", "openssl"),
                ScannedPackage.rpm("libcurl-minimal", "7.76.1-26.el9_3.2", "x86_64", "curl"));
    }

    static List<ScannedPackage> rhel9() {
        return List.of(
                ScannedPackage.rpm("libcurl-minimal", "7.76.1-26.el9_3.2", "x86_64", "curl"),
                ScannedPackage.rpm("openssl-libs", "1:3.0.7-25.el9_3", "x86_64", "openssl"),
                ScannedPackage.rpm("compat-openssl11", "1:1.1.1k-4.el9_0", "x86_64", "compat-openssl11"),
                ScannedPackage.rpm("libxyz", "1.0-1.el9", "x86_64", "libxyz"));
    }
}
