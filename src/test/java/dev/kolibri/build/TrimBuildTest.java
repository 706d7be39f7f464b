package dev.kolibri.build;

import dev.kolibri.lock.LockedPackage;
import dev.kolibri.pkg.deb.DpkgFilters;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecLoader;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code trim:}/{@code keep:} on Debian packages made by {@code dpkg-deb} (one with its own {@code md5sums} member,
 * one without, a hardlink from a trimmed file to a kept one), checked with {@code umoci unpack}, {@code md5sum -c},
 * {@code dpkg --verify} over the image's database, and real {@code dpkg --unpack} under the image's own
 * {@code path-exclude}/{@code path-include} lines.
 */
class TrimBuildTest {
    static final String TRIM = """
            trim:
              - /usr/share/man/**
              - /usr/share/info/**
              - /usr/share/doc/**
              - /usr/share/locale/**
              - /usr/lib/*/gconv/**
            """;

    @TempDir Path dir;
    FixtureImages fx;
    List<Path> debs = new ArrayList<>();
    List<LockedPackage> locked = new ArrayList<>();

    @BeforeEach
    void packages() throws IOException {
        Tools.require("dpkg-deb", "dpkg", "md5sum", "umoci");
        fx = new FixtureImages(dir.resolve("fx"));
        Path tool = debRoot("tool", Map.of(
                "usr/bin/tool", "#!tool\n",
                "usr/share/doc/tool/copyright", "Files: *\nLicense: MIT\n",
                "usr/share/doc/tool/README", "read me\n",
                "usr/share/doc/tool/examples/copyright", "a nested copyright is not kept by /usr/share/doc/*/copyright\n",
                "usr/share/man/man1/tool.1", ".TH TOOL 1\n",
                "usr/share/info/tool.info", "info\n",
                "usr/share/locale/de/LC_MESSAGES/tool.mo", "mo\n",
                "usr/share/locale/locale.alias", "de de_DE.UTF-8\n",
                "usr/lib/x86_64-linux-gnu/gconv/UTF-7.so", "so\n",
                "usr/lib/x86_64-linux-gnu/gconv/gconv-modules", "modules\n"));
        Files.createDirectories(tool.resolve("usr/share/tool/empty"));   // shipped empty: stays
        md5sums(tool);
        Path other = debRoot("other", Map.of(
                "usr/share/doc/other/copyright", "Files: *\nLicense: BSD-2-Clause\n",
                "usr/share/doc/other/NEWS", "news\n",
                "usr/share/other/data.txt", "data\n"));
        Files.createDirectories(other.resolve("usr/share/other"));
        Files.createLink(other.resolve("usr/share/other/NEWS"), other.resolve("usr/share/doc/other/NEWS"));
        // Debian's doc-directory link (libgcc-s1 -> gcc-14-base): the way other-lib's copyright is found
        Files.createSymbolicLink(other.resolve("usr/share/doc/other-lib"), Path.of("other"));
        Files.createSymbolicLink(other.resolve("usr/share/doc/other-news"), Path.of("other/NEWS"));
        debs.add(build(tool, "tool"));
        debs.add(build(other, "other"));   // no md5sums member: the build computes them
        locked.add(fx.lockedDeb(debs.get(0), "tool", "1.0", "tool"));
        locked.add(fx.lockedDeb(debs.get(1), "other", "2.0", "other"));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void trimmedFiles_areGone_andTheDatabaseNamesOnlyWhatTheImageHolds() throws Exception {
        Path root = buildAndUnpack("trimmed", TRIM + "keep: [/usr/share/doc/*/copyright, /usr/share/locale/locale.alias]\n");

        assertThat(root.resolve("usr/bin/tool")).hasContent("#!tool");
        assertThat(root.resolve("usr/share/doc/tool/copyright")).exists();
        assertThat(root.resolve("usr/share/doc/other/copyright")).exists();
        assertThat(root.resolve("usr/share/locale/locale.alias")).exists();
        for (String gone : List.of("usr/share/doc/tool/README", "usr/share/doc/tool/examples", "usr/share/man",
                "usr/share/info", "usr/share/locale/de", "usr/lib/x86_64-linux-gnu", "usr/share/doc/other/NEWS")) {
            assertThat(root.resolve(gone)).as(gone).doesNotExist();
        }
        assertThat(root.resolve("usr/share/tool/empty")).as("a directory the package ships empty").isDirectory();
        assertThat(Files.isSymbolicLink(root.resolve("usr/share/doc/other-lib"))).as("a kept copyright lies through it").isTrue();
        assertThat(root.resolve("usr/share/doc/other-lib/copyright")).hasContent("Files: *\nLicense: BSD-2-Clause");
        assertThat(Files.exists(root.resolve("usr/share/doc/other-news"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .as("a link to a trimmed file").isFalse();
        // the hardlink's file was trimmed: the kept name holds the content
        assertThat(root.resolve("usr/share/other/NEWS")).isRegularFile().hasContent("news");

        // md5sums: what md5sum -c finds in the tree, every line, and nothing trimmed
        for (String p : List.of("tool", "other")) {
            Path sums = root.resolve("var/lib/dpkg/status.d/" + p + ".md5sums");
            String text = Files.readString(sums);
            assertThat(text).doesNotContain("usr/share/man").doesNotContain("README").doesNotContain("gconv")
                    .doesNotContain("doc/other/NEWS").doesNotContain("examples");
            List<String> cmd = List.of("md5sum", "-c", "--strict", sums.toString());
            String ok = Tools.run(root, Map.of("LC_ALL", "C"), cmd).orFail(cmd).out();
            assertThat(ok.lines().count()).as(p).isEqualTo(text.lines().count()).isPositive();
        }
        assertThat(Files.readString(root.resolve("var/lib/dpkg/status.d/tool.md5sums")))
                .contains("usr/share/doc/tool/copyright").contains("usr/bin/tool");
        assertThat(Files.readString(root.resolve("var/lib/dpkg/status.d/other.md5sums")))
                .contains("usr/share/other/NEWS").contains("usr/share/other/data.txt");

        // dpkg --verify over the image's database sees nothing missing or changed ...
        Path admin = adminDir(root);
        assertThat(dpkgVerify(root, admin)).isEmpty();
        // ... and would see it (the oracle can fail)
        Files.delete(root.resolve("usr/share/other/data.txt"));
        assertThat(dpkgVerify(root, admin)).contains("missing").contains("/usr/share/other/data.txt");
    }

    @Test
    void dpkgUnderTheImagesOwnFilters_unpacksTheSameFiles() throws Exception {
        Path root = buildAndUnpack("trimmed", TRIM + "keep: [/usr/share/doc/*/copyright, /usr/share/locale/locale.alias]\n");
        String cfg = Files.readString(root.resolve(DpkgFilters.PATH));
        assertThat(cfg).contains("path-exclude=/usr/share/doc/*\n").contains("path-include=/usr/share/doc/*/copyright\n")
                .contains("path-exclude=/usr/lib/*/gconv/*\n");
        // dpkg's * crosses '/': the nested copyright needs the line that undoes it
        assertThat(cfg).contains("path-exclude=/usr/share/doc/*/*/copyright\n");

        Path dpkgRoot = Files.createDirectories(dir.resolve("dpkg-root"));
        Files.createDirectories(dpkgRoot.resolve("var/lib/dpkg/info"));
        Files.createDirectories(dpkgRoot.resolve("var/lib/dpkg/updates"));
        Files.writeString(dpkgRoot.resolve("var/lib/dpkg/status"), "");
        List<String> cmd = new ArrayList<>(List.of("dpkg", "--root=" + dpkgRoot, "--log=/dev/null", "--force-not-root",
                "--force-bad-path"));
        for (DpkgFilters.Line l : DpkgFilters.parse(cfg)) cmd.add("--" + l);
        // tool only: dpkg itself cannot unpack `other`, whose kept hardlink names a file it excluded ("error creating
        // hard link"); Kolibri keeps that name as the file
        cmd.add("--unpack");
        cmd.add(debs.get(0).toString());
        Tools.run(null, Map.of("LC_ALL", "C"), cmd).orFail(cmd);

        TreeSet<String> image = files(root);
        image.removeIf(p -> p.startsWith("usr/share/other/") || p.startsWith("usr/share/doc/other/"));
        assertThat(files(dpkgRoot)).isEqualTo(image).contains("usr/share/doc/tool/copyright", "usr/bin/tool",
                "usr/share/locale/locale.alias");
    }

    @Test
    void keep_winsOverTrim_andTheDatabaseListsWhatItKept() throws Exception {
        Path root = buildAndUnpack("kept", TRIM + "keep: [/usr/lib/*/gconv/**, /usr/share/man/**]\n");
        assertThat(root.resolve("usr/lib/x86_64-linux-gnu/gconv/UTF-7.so")).exists();
        assertThat(root.resolve("usr/lib/x86_64-linux-gnu/gconv/gconv-modules")).exists();
        assertThat(root.resolve("usr/share/man/man1/tool.1")).exists();
        assertThat(root.resolve("usr/share/doc/tool")).doesNotExist();
        assertThat(Files.readString(root.resolve("var/lib/dpkg/status.d/tool.md5sums")))
                .contains("usr/lib/x86_64-linux-gnu/gconv/UTF-7.so").contains("usr/share/man/man1/tool.1")
                .doesNotContain("copyright");
        assertThat(dpkgVerify(root, adminDir(root))).isEmpty();
        assertThat(Files.readString(root.resolve(DpkgFilters.PATH))).contains("path-include=/usr/lib/*/gconv/*\n");
    }

    @Test
    void withoutTrim_everythingStays_andNoFilterFileIsWritten() throws Exception {
        Path root = buildAndUnpack("plain", "");
        assertThat(root.resolve("usr/share/doc/tool/README")).exists();
        assertThat(root.resolve("usr/lib/x86_64-linux-gnu/gconv/UTF-7.so")).exists();
        assertThat(root.resolve(DpkgFilters.PATH)).doesNotExist();
        assertThat(Files.readString(root.resolve("var/lib/dpkg/status.d/tool.md5sums"))).contains("README");
    }

    @Test
    void trimmedBuild_isReproducible_whateverThePackageOrder() throws Exception {
        ImageSpec spec = spec("again", TRIM);
        BuildResult a = fx.build(spec, locked, dir.resolve("out/a"), null);
        BuildResult b = fx.build(spec, locked, dir.resolve("out/b"), null);
        assertThat(b.index()).isEqualTo(a.index());
        // the other install order gives the same files, bytes and database
        BuildResult c = fx.build(spec, List.of(locked.get(1), locked.get(0)), dir.resolve("out/c"), null);
        Path ra = unpack(a, "ua");
        Path rc = unpack(c, "uc");
        assertThat(listing(rc)).isEqualTo(listing(ra));
    }

    // ---- helpers

    private Path buildAndUnpack(String name, String trim) throws Exception {
        BuildResult r = fx.build(spec(name, trim), locked, dir.resolve("out/" + name), null);
        return unpack(r, "bundle-" + name);
    }

    private Path unpack(BuildResult r, String bundle) {
        Path b = dir.resolve(bundle);
        Tools.ok(dir, "umoci", "unpack", "--image", r.layout() + ":" + r.tag() + "-amd64", b.toString());
        return b.resolve("rootfs");
    }

    private ImageSpec spec(String name, String trim) throws IOException {
        Path f = Files.createDirectories(dir.resolve("images")).resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nrepositories:\n  - {type: deb, url: " + fx.server.base()
                + ", suite: stable, components: [main], keyring: keys.gpg}\npackages: [tool, other]\narchs: [amd64]\n" + trim);
        return SpecLoader.load(f);
    }

    private Path debRoot(String name, Map<String, String> files) throws IOException {
        Path root = Files.createDirectories(dir.resolve("src-" + name));
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + (name.equals("tool") ? "1.0" : "2.0")
                + "\nArchitecture: amd64\nMaintainer: Kolibri Tests <tests@kolibri.invalid>\nDescription: fixture " + name + "\n");
        for (var e : new java.util.TreeMap<>(files).entrySet()) {
            Path p = root.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
        }
        return root;
    }

    /** DEBIAN/md5sums as dh_md5sums writes it: md5sum of every regular file, paths relative to the root. */
    private static void md5sums(Path root) throws IOException {
        List<String> cmd = List.of("sh", "-c", "find usr -type f | LC_ALL=C sort | xargs md5sum");
        Files.writeString(root.resolve("DEBIAN/md5sums"), Tools.run(root, Map.of(), cmd).orFail(cmd).out());
    }

    private Path build(Path root, String name) {
        Tools.ok(null, "chmod", "-R", "u=rwX,go=rX", root.toString());
        Path deb = dir.resolve(name + ".deb");
        Tools.ok(null, "dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(), deb.toString());
        return deb;
    }

    /** dpkg's classic admin directory from the image's status.d: status, info/NAME.md5sums and info/NAME.list. */
    private Path adminDir(Path root) throws IOException {
        Path admin = Files.createDirectories(dir.resolve("admin-" + root.getParent().getFileName()));
        Files.createDirectories(admin.resolve("info"));
        Files.createDirectories(admin.resolve("updates"));
        StringBuilder status = new StringBuilder();
        try (Stream<Path> s = Files.list(root.resolve("var/lib/dpkg/status.d"))) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".md5sums")) {
                    String pkg = n.substring(0, n.length() - ".md5sums".length());
                    String sums = Files.readString(p);
                    Files.writeString(admin.resolve("info/" + n), sums);
                    StringBuilder list = new StringBuilder("/.\n");
                    sums.lines().forEach(l -> list.append('/').append(l.substring(l.indexOf("  ") + 2)).append('\n'));
                    Files.writeString(admin.resolve("info/" + pkg + ".list"), list);
                } else {
                    status.append(Files.readString(p)).append('\n');
                }
            }
        }
        Files.writeString(admin.resolve("status"), status);
        return admin;
    }

    private static String dpkgVerify(Path root, Path admin) {
        List<String> cmd = List.of("dpkg", "--root=" + root, "--admindir=" + admin, "--verify");
        Tools.Result r = Tools.run(null, Map.of("LC_ALL", "C"), cmd);
        return (r.out() + r.err()).strip();
    }

    /** Regular files of package paths (dpkg's admin directory and what the build itself adds left out). */
    private static TreeSet<String> files(Path root) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (rel.startsWith("var/lib/dpkg/") || rel.startsWith("etc/")) continue;
                out.add(rel);
            }
        }
        return out;
    }

    private static List<String> listing(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted().toList()) {
                out.add(root.relativize(p) + (Files.isRegularFile(p) ? " " + Files.size(p) + " " + Files.readString(p).hashCode() : ""));
            }
        }
        return out;
    }
}
