package dev.kolibri.build;

import dev.kolibri.Kolibri;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.oci.Compression;
import dev.kolibri.repo.AptSources;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.StaticHttpServer;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code trim:} in an RPM image (rpmbuild / createrepo_c fixture): the trimmed files are gone and the rpmdb says so
 * as {@code rpm --excludedocs} would (FILESTATES "not installed"), checked with the real {@code rpm -qls} and
 * {@code rpm -Va}.
 */
class TrimRpmTest {
    @TempDir Path dir;

    @Test
    void trimmedFiles_areNotInstalledInTheRpmdb_andRpmVerifiesClean() throws Exception {
        Tools.require("rpm", "umoci");
        RpmImageFixture.Repo repo = RpmImageFixture.copy(Files.createDirectories(dir.resolve("fixture")));
        try (StaticHttpServer http = StaticHttpServer.serve(repo.dir())) {
            Path defs = Files.createDirectories(dir.resolve("images"));
            Files.copy(repo.keyring(), defs.resolve("key.gpg"));
            RpmImageFixture.definition(defs, "docs", http.base().toString(), """
                    packages: [fixture-release, hello, pyrt, pyrt-docs, pyrt-devel]
                    entrypoint: [/usr/bin/hello]
                    allow-shell: true
                    trim: [/usr/share/doc/**, /usr/include/**]
                    keep: [/usr/include/pyrt/pyrt.h]
                    """);
            Kolibri k = new Kolibri(new ContentStore(dir.resolve("cache")), Progress.SILENT, BuildEvents.SILENT,
                    AptSources.load(Files.createDirectories(dir.resolve("apt"))), Files.createDirectories(dir.resolve("yumroot")));
            ImageSpec spec = Kolibri.load(defs.resolve("docs.yaml"), null);
            k.lock(spec);
            Path out = dir.resolve("out/docs");
            k.build(spec, new BuildOptions(out, List.of(), null, true, false, Compression.GZIP, RpmImageFixture.EPOCH));
            Path bundle = dir.resolve("bundle");
            Tools.ok(dir, "umoci", "unpack", "--image", out + ":1-amd64", bundle.toString());
            Path root = bundle.resolve("rootfs");

            assertThat(root.resolve("usr/share/doc")).as("left empty by trimming").doesNotExist();
            assertThat(root.resolve("usr/include/pyrt/pyrt.h")).as("keep wins").exists();
            assertThat(root.resolve("usr/lib/pyrt/stdlib.py")).exists();

            String qls = rpm(root, "-qls", "pyrt-docs");
            assertThat(qls.lines().filter(l -> l.endsWith("/usr/share/doc/pyrt/README")).findFirst().orElseThrow())
                    .startsWith("not installed");
            assertThat(rpm(root, "-qls", "pyrt-devel").lines().filter(l -> l.endsWith("/usr/include/pyrt/pyrt.h")).findFirst().orElseThrow())
                    .startsWith("normal");
            assertThat(rpm(root, "-qls", "filesystem").lines().filter(l -> l.endsWith(" /usr/share/doc")).findFirst().orElseThrow())
                    .startsWith("not installed");

            Tools.Result va = Tools.run(null, Map.of("LC_ALL", "C"), List.of("rpm", "--root", root.toString(),
                    "--dbpath", "/usr/lib/sysimage/rpm", "-Va"));
            List<String> lines = Arrays.stream(va.out().split("\n")).filter(s -> !s.isBlank()).toList();
            // as in RpmImageBuildTest: the accounts step changed passwd and group; no file is reported missing
            assertThat(lines).as("rpm -Va\n" + va.out() + va.err())
                    .containsExactly("S.5......  c /etc/group", "S.5......  c /etc/passwd");

            // the oracle can fail: a kept file removed is reported missing
            Files.delete(root.resolve("usr/lib/pyrt/stdlib.py"));
            String again = Tools.run(null, Map.of("LC_ALL", "C"), List.of("rpm", "--root", root.toString(),
                    "--dbpath", "/usr/lib/sysimage/rpm", "-V", "pyrt")).out();
            assertThat(again).contains("missing").contains("/usr/lib/pyrt/stdlib.py");
            Tools.run(null, Map.of(), List.of("rm", "-rf", bundle.toString()));
        } finally {
            RpmImageFixture.stopAgent();
        }
    }

    private static String rpm(Path root, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("rpm", "--root", root.toString(), "--dbpath", "/usr/lib/sysimage/rpm"));
        cmd.addAll(List.of(args));
        return Tools.run(null, Map.of("LC_ALL", "C"), cmd).orFail(cmd).out();
    }
}
