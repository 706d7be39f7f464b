package dev.kolibri.build;

import dev.kolibri.Kolibri;
import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.repo.AptSources;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.testing.StaticHttpServer;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code contents:} in an RPM image (rpmbuild / createrepo_c fixture): the same layers, lock and times as for Debian. */
class ContentsRpmTest {
    @TempDir Path dir;

    @Test
    void rpmImage_getsItsContentsLayer_andTheLockItsDigest() throws Exception {
        RpmImageFixture.Repo repo = RpmImageFixture.copy(Files.createDirectories(dir.resolve("fixture")));
        try (StaticHttpServer http = StaticHttpServer.serve(repo.dir())) {
            Path defs = Files.createDirectories(dir.resolve("images"));
            Files.copy(repo.keyring(), defs.resolve("key.gpg"));
            Files.createDirectories(defs.resolve("conf"));
            Files.writeString(defs.resolve("conf/app.conf"), "port=8080\n");
            RpmImageFixture.definition(defs, "app", http.base().toString(), """
                    packages: [fixture-release, hello]
                    entrypoint: [/usr/bin/hello]
                    contents:
                      - {from: conf/, to: /etc/app, owner: "65532:65532", mode: "0640"}
                    """);
            Kolibri k = new Kolibri(new ContentStore(dir.resolve("cache")), Progress.SILENT, BuildEvents.SILENT,
                    AptSources.load(Files.createDirectories(dir.resolve("apt"))), Files.createDirectories(dir.resolve("yumroot")));
            ImageSpec spec = Kolibri.load(defs.resolve("app.yaml"), null);
            Lockfile lock = k.lock(spec);
            assertThat(lock.contents()).singleElement().satisfies(c -> assertThat(c.to()).isEqualTo("/etc/app"));
            Path out = dir.resolve("out/app");
            k.build(spec, new BuildOptions(out, List.of(), null, true, false, Compression.GZIP, RpmImageFixture.EPOCH));
            Map<String, Path> layers = ContentsCaTest.layers(out, "1-amd64");
            List<String> names = new ArrayList<>(layers.keySet());
            assertThat(names.subList(names.size() - 2, names.size())).containsExactly("contents:/etc/app", "image");
            List<String> cmd = List.of("tar", "--numeric-owner", "--full-time", "-tvzf", layers.get("contents:/etc/app").toString());
            String listing = Tools.run(null, Map.of("TZ", "UTC"), cmd).orFail(cmd).out();
            assertThat(listing.lines().filter(l -> l.endsWith(" etc/app/app.conf")).findFirst().orElseThrow())
                    .startsWith("-rw-r----- 65532/65532").contains(" 2023-11-14 22:13:20 ");
            assertThat(listing.lines().filter(l -> l.endsWith(" etc/app/")).findFirst().orElseThrow())
                    .startsWith("drwxr-xr-x 65532/65532");
        } finally {
            RpmImageFixture.stopAgent();
        }
    }
}
