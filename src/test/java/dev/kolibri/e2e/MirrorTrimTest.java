package dev.kolibri.e2e;

import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildEvents;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.build.BuildResult;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.oci.Compression;
import dev.kolibri.repo.AptSources;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Python 3.13 on Debian 13 from the machine's mirror, trimmed by the distro file's defaults
 * ({@code images/distros/debian-13.yaml}) beside the same packages untrimmed (the same repositories named directly,
 * so no defaults apply): the trimmed image is smaller (at most 45 MB unpacked, the goal), every file its
 * dpkg database names is there with its md5sum ({@code md5sum -c}, {@code dpkg --verify}) on both arches, and python
 * still imports ssl, json, sqlite3, zoneinfo and the idna codec under podman. Tagged {@code mirror}; skipped, with
 * the reason, where the mirror does not serve trixie.
 */
@Tag("mirror")
class MirrorTrimTest {
    static final Path CACHE = Path.of("target", "e2e-mirror-cache").toAbsolutePath();
    static final String PACKAGES = "[base-files, netbase, tzdata, ca-certificates, python3.13-minimal, libpython3.13-stdlib]";
    static final String REST = "packages: " + PACKAGES + "\narchs: [amd64, arm64]\nentrypoint: [/usr/bin/python3.13]\n"
            + "env: {LANG: C.UTF-8}\n";

    @TempDir static Path dir;
    static Kolibri kolibri;

    @BeforeAll
    static void probeMirror() throws Exception {
        AptSources apt = MirrorProbe.reachable("trixie");
        Files.createDirectories(dir.resolve("distros"));
        Files.copy(Path.of("images/distros/debian-13.yaml"), dir.resolve("distros/debian-13.yaml"));
        Files.createDirectories(CACHE);
        kolibri = new Kolibri(new ContentStore(CACHE), Progress.SILENT, BuildEvents.SILENT, apt);
    }

    @Test
    void python313_trimmedByTheDistroDefaults_isSmaller_truthfullyRecorded_andRuns() throws Exception {
        StringBuilder repos = new StringBuilder("repositories:\n");
        for (String suite : List.of("trixie", "trixie-updates", "trixie-security")) {
            repos.append("  - {type: deb, url: system, suite: ").append(suite)
                    .append(", components: [main], keyring: /usr/share/keyrings/debian-archive-keyring.gpg}\n");
        }
        BuildResult plain = build("python-untrimmed", repos + REST, List.of("amd64"));
        BuildResult trimmed = build("python", "distro: debian-13\n" + REST, List.of("amd64", "arm64"));

        long plainBytes = plain.images().get(0).uncompressedBytes();
        long trimmedBytes = trimmed.images().stream().filter(i -> i.platform().architecture().equals("amd64"))
                .findFirst().orElseThrow().uncompressedBytes();
        System.out.printf("python 3.13 (Debian 13, amd64) unpacked: untrimmed %.1f MiB, trimmed %.1f MiB%n",
                plainBytes / 1048576.0, trimmedBytes / 1048576.0);
        assertThat(trimmedBytes).isLessThan(plainBytes - 8L * 1024 * 1024).isLessThanOrEqualTo(45_000_000L);

        for (String arch : List.of("amd64", "arm64")) {
            Path bundle = dir.resolve("bundle-" + arch);
            Path root = Oracles.umociUnpack(trimmed.layout(), trimmed.tag() + "-" + arch, bundle);
            try {
                String triplet = arch.equals("amd64") ? "x86_64-linux-gnu" : "aarch64-linux-gnu";
                assertThat(root.resolve("usr/lib/" + triplet + "/gconv")).as(arch).doesNotExist();
                assertThat(root.resolve("usr/share/man")).as(arch).doesNotExist();
                // Debian links the doc directory to the one of its source's other package: the link stays
                assertThat(Files.isSymbolicLink(root.resolve("usr/share/doc/libpython3.13-stdlib"))).as(arch).isTrue();
                assertThat(root.resolve("usr/share/doc/libpython3.13-stdlib/copyright")).as(arch).isRegularFile();
                assertThat(root.resolve("usr/share/doc/libpython3.13-stdlib/changelog.Debian.gz")).as(arch).doesNotExist();
                assertThat(root.resolve("etc/dpkg/dpkg.cfg.d/kolibri-trim")).content()
                        .contains("path-exclude=/usr/share/doc/*\n").contains("path-include=/usr/share/doc/*/copyright\n");

                Path admin = Files.createDirectories(dir.resolve("admin-" + arch + "/info"));
                StringBuilder status = new StringBuilder();
                int sums = 0;
                try (Stream<Path> s = Files.list(root.resolve("var/lib/dpkg/status.d"))) {
                    for (Path p : s.sorted().toList()) {
                        String n = p.getFileName().toString();
                        if (!n.endsWith(".md5sums")) {
                            status.append(Files.readString(p)).append('\n');
                            continue;
                        }
                        String text = Files.readString(p);
                        assertThat(text).as(n).doesNotContain("usr/share/man/").doesNotContain("/gconv/");
                        if (text.isEmpty()) continue;
                        List<String> cmd = List.of("md5sum", "-c", "--quiet", "--strict", p.toString());
                        Tools.run(root, Map.of("LC_ALL", "C"), cmd).orFail(cmd);
                        Files.writeString(admin.resolve(n), text);
                        StringBuilder list = new StringBuilder("/.\n");
                        text.lines().forEach(l -> list.append('/').append(l.substring(l.indexOf("  ") + 2)).append('\n'));
                        Files.writeString(admin.resolve(n.replace(".md5sums", ".list")), list);
                        sums += (int) text.lines().count();
                    }
                }
                assertThat(sums).as(arch + ": md5sums lines").isGreaterThan(500);
                Files.createDirectories(admin.getParent().resolve("updates"));
                Files.writeString(admin.getParent().resolve("status"), status);
                List<String> verify = List.of("dpkg", "--root=" + root, "--admindir=" + admin.getParent(), "--verify");
                Tools.Result v = Tools.run(null, Map.of("LC_ALL", "C"), verify);
                assertThat((v.out() + v.err()).strip()).as(arch + ": dpkg --verify").isEmpty();
                assertThat(v.exit()).isZero();
            } finally {
                Oracles.remove(bundle);
            }
        }

        String out = Oracles.podmanOk(trimmed.layout(), trimmed.tag() + "-amd64", null, "-c",
                "import ssl, json, sqlite3, zoneinfo, encodings.idna; ssl.create_default_context(); "
                        + "print(zoneinfo.ZoneInfo('Europe/Berlin'), 'ü'.encode('idna').decode(), json.dumps(sqlite3.sqlite_version_info[0]), 'ok')");
        assertThat(out.strip()).isEqualTo("Europe/Berlin xn--tda 3 ok");
    }

    private static BuildResult build(String name, String yaml, List<String> archs) throws Exception {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nversion: \"3.13\"\n" + yaml);
        ImageSpec spec = Kolibri.load(f, null);
        kolibri.lock(spec);
        List<String> a = new ArrayList<>(archs);
        return kolibri.build(spec, new BuildOptions(dir.resolve("out/" + name), a, null, true, false, Compression.GZIP, null));
    }
}
