package dev.kolibri.build;

import dev.kolibri.build.FixtureImages.Pkg;
import dev.kolibri.fetch.Progress;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.oci.Compression;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.kolibri.build.FixtureImages.pkg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue item 6: file names and owners exactly as the package has them, or refused. Packages are made by GNU tar and
 * ar (dpkg-deb refuses some of these names); every layer written is read back by GNU tar ({@code -tv} and
 * {@code -x}) and the image unpacked by umoci.
 */
class MemberNamesBuildTest {
    @TempDir Path tmp;
    FixtureImages fx;

    static final long T = 1_700_000_000L;
    static final Pkg BASE = pkg("base-like", "1", "base", T, "etc/os-release", "ID=fixture\nVERSION_ID=1\n");
    /** A name over 100 bytes with non-ASCII letters, as printf and GNU tar in the C locale write it. */
    static final String LONG = "usr/share/odd/" + octal("ñandú-東京-".repeat(8)) + "end";

    /** {@code s} in UTF-8 with every byte above 0x7f as a {@code \ooo} escape (printf's input, GNU tar's output). */
    static String octal(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if (x >= 0) b.append((char) x);
            else b.append('\\').append(Integer.toOctalString(x & 0xff));
        }
        return b.toString();
    }

    private static Tools.Result inC(Path dir, String... cmd) {
        return Tools.run(dir, java.util.Map.of("LC_ALL", "C"), List.of(cmd)).orFail(List.of(cmd));
    }

    @BeforeEach
    void setUp() throws Exception {
        Tools.require("dpkg-deb", "tar", "ar", "gzip", "sh");
        fx = new FixtureImages(tmp.resolve("fx"));
    }

    @AfterEach
    void tearDown() {
        if (fx != null) fx.close();
    }

    /**
     * A .deb whose data.tar GNU tar writes in {@code format} from {@code files} (names may be any bytes: made by
     * {@code sh -c 'printf'}), every member owned by {@code owner}.
     */
    private LockedPackage craft(String name, String format, String owner, List<String> shellNames) throws Exception {
        Path work = Files.createTempDirectory(tmp, "craft-" + name);
        Path root = Files.createDirectories(work.resolve("root/usr/share/odd"));
        for (String n : shellNames) {
            Tools.ok(root, "sh", "-c", "printf 'x\\n' > \"$(printf '" + n + "')\"");
        }
        Path ctl = Files.createDirectories(work.resolve("ctl"));
        Files.writeString(ctl.resolve("control"), "Package: " + name + "\nVersion: 1\nArchitecture: amd64\n"
                + "Maintainer: Kolibri Tests <tests@kolibri.invalid>\nDescription: crafted " + name + "\n");
        Files.writeString(work.resolve("debian-binary"), "2.0\n");
        Tools.ok(work, "tar", "--format=gnu", "--owner=0", "--group=0", "--numeric-owner", "-czf", "control.tar.gz",
                "-C", "ctl", "./control");
        Tools.ok(work, "tar", "--format=" + format, "--owner=" + owner, "--group=" + owner, "--numeric-owner",
                "--mtime=@" + T, "--sort=name", "-czf", "data.tar.gz", "-C", "root", ".");
        Path deb = work.resolve(name + ".deb");
        Tools.ok(work, "ar", "rc", deb.toString(), "debian-binary", "control.tar.gz", "data.tar.gz");
        return fx.lockedDeb(deb, name, "1", name);
    }

    private BuildResult build(String image, List<LockedPackage> locked, Path out) throws Exception {
        List<String> names = locked.stream().map(LockedPackage::name).toList();
        ImageSpec spec = fx.spec(tmp.resolve("defs"), image, names, "package", 8);
        BuildOptions o = new BuildOptions(out, List.of(), null, false, false, Compression.GZIP, null);
        return new ImageBuilder(fx.store, Progress.SILENT, BuildEvents.SILENT).build(spec, fx.lock(spec, locked), o);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "posix"})
    void bigOwnersAndUnicodeNames_keptExactly_everyLayerReadByGnuTarAndUmoci(String format) throws Exception {
        Tools.require("umoci", "stat");
        LockedPackage odd = craft("odd-owner", format, "4294967294", List.of("caf\\303\\251", LONG.substring("usr/share/odd/".length())));
        Path out = tmp.resolve("out-" + format);
        BuildResult r = build("odd", List.of(fx.locked(BASE), odd), out);

        List<Path> blobs = new ArrayList<>();
        try (Stream<Path> s = Files.list(out.resolve("blobs/sha256"))) {
            for (Path b : s.toList()) {
                if (Tools.run(null, java.util.Map.of(), List.of("gzip", "-t", b.toString())).exit() == 0) blobs.add(b);
            }
        }
        assertThat(blobs).hasSizeGreaterThanOrEqualTo(2);
        StringBuilder listing = new StringBuilder();
        for (Path b : blobs) {
            listing.append(inC(null, "tar", "--numeric-owner", "-tvzf", b.toString()).out());
            Path x = Files.createTempDirectory(tmp, "x");
            inC(null, "tar", "--numeric-owner", "-xzf", b.toString(), "-C", x.toString());
        }
        assertThat(listing.toString())
                .contains("4294967294/4294967294")
                .contains("usr/share/odd/caf\\303\\251\n")
                .contains(LONG + "\n")
                .doesNotContain("-2/-2");

        Path bundle = tmp.resolve("bundle-" + format);
        Tools.ok(null, "umoci", "unpack", "--image", out + ":" + r.tag() + "-amd64", bundle.toString());
        for (String name : List.of("usr/share/odd/caf\\303\\251", LONG)) {
            assertThat(inC(bundle.resolve("rootfs"), "sh", "-c", "stat -c %u:%g \"$(printf \"$1\")\"", "_", name).out().strip())
                    .as("owner of %s in umoci's rootfs", name).isEqualTo("4294967294:4294967294");
        }
    }

    @Test
    void newlineInAName_refused_namingPackageAndMember() throws Exception {
        LockedPackage nl = craft("odd-newline", "gnu", "0", List.of("a\\nb"));
        Path out = tmp.resolve("out-nl");
        assertThatThrownBy(() -> build("nl", List.of(fx.locked(BASE), nl), out))
                .hasMessageContaining("odd-newline")
                .hasMessageContaining("usr/share/odd/a\\nb")
                .hasMessageContaining("newline")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(out).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "posix"})
    void nameNotUtf8_refused_notRenamed(String format) throws Exception {
        LockedPackage bad = craft("odd-bytes", format, "0", List.of("bad\\377\\376"));
        Path out = tmp.resolve("out-bad-" + format);
        assertThatThrownBy(() -> build("bad", List.of(fx.locked(BASE), bad), out))
                .hasMessageContaining("odd-bytes")
                .hasMessageContaining("usr/share/odd/bad")
                .hasMessageContaining("not valid UTF-8")
                .satisfies(e -> {
                    if (format.equals("gnu")) assertThat(e.getMessage()).contains("usr/share/odd/bad\\xff\\xfe'");
                });
        assertThat(out).doesNotExist();
    }
}
