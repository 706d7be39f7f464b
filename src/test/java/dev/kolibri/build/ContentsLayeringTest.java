package dev.kolibri.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code contents:} layers with the other layer strategies: {@code single}, and a {@code --previous} rebuild. */
class ContentsLayeringTest {
    @TempDir Path dir;

    ImageSpec spec(FixtureImages f, String strategy) throws Exception {
        Path defs = dir.resolve("defs-" + strategy);
        ImageSpec plain = f.spec(defs, "app", List.of("libc-like", "tool"), strategy, 32);
        Files.createDirectories(defs.resolve("app"));
        Files.writeString(defs.resolve("app/run.conf"), "x=1\n");
        Files.writeString(plain.source(), Files.readString(plain.source())
                + "contents:\n  - {from: app/, to: /opt/app, owner: \"65532:65532\"}\n");
        return SpecLoader.load(plain.source());
    }

    List<LockedPackage> packages(FixtureImages f) throws Exception {
        return f.lockAll(List.of(
                FixtureImages.pkg("libc-like", "1", "libc-like", 1_600_000_000L, "usr/lib/libc.so", "libc\n"),
                FixtureImages.pkg("tool", "1", "tool", 1_600_000_100L, "usr/bin/tool", "tool\n", "opt/README", "opt\n")));
    }

    @Test
    void single_rootfsThenContents() throws Exception {
        try (FixtureImages f = new FixtureImages(dir.resolve("fx"))) {
            Path out = dir.resolve("out/single");
            f.build(spec(f, "single"), packages(f), out, null);
            Map<String, Path> l = ContentsCaTest.layers(out, "latest-amd64");
            assertThat(l.keySet()).containsExactly("rootfs", "contents:/opt/app");
            assertThat(ContentsCaTest.tar(l.get("rootfs"))).contains("etc/passwd").doesNotContain("opt/app");
            assertThat(ContentsCaTest.tar(l.get("contents:/opt/app"))).contains("opt/app/run.conf").doesNotContain("etc/passwd");
            // no SOURCE_DATE_EPOCH: the lock's epoch, the newest package mtime (tool's, 1600000100), never the file's
            List<String> cmd = List.of("tar", "--numeric-owner", "--full-time", "-tvzf", l.get("contents:/opt/app").toString());
            String listing = dev.kolibri.testing.Tools.run(null, Map.of("TZ", "UTC"), cmd).orFail(cmd).out();
            assertThat(listing.lines().filter(x -> x.endsWith("opt/app/run.conf")).findFirst().orElseThrow())
                    .contains(" 65532/65532 ").contains(" 2020-09-13 12:28:20 ").startsWith("-rw-r--r--");
        }
    }

    @Test
    void caCertificateWithoutTheCaPackage_warns() throws Exception {
        try (FixtureImages f = new FixtureImages(dir.resolve("fx"))) {
            ImageSpec plain = f.spec(dir.resolve("defs-ca"), "app", List.of("libc-like", "tool"), "origin", 32);
            Files.writeString(plain.source().resolveSibling("proxy.crt"), "-----BEGIN CERTIFICATE-----\n");
            Files.writeString(plain.source(), Files.readString(plain.source())
                    + "contents:\n  - {from: proxy.crt, to: /usr/local/share/ca-certificates/}\n");
            List<String> warnings = new ArrayList<>();
            BuildEvents events = new BuildEvents() {
                @Override public void info(String line) {}
                @Override public void warn(String line) { warnings.add(line); }
            };
            BuildOptions o = new BuildOptions(dir.resolve("out/ca"), List.of(), null, false, false,
                    dev.kolibri.oci.Compression.GZIP, null);
            ImageSpec spec = SpecLoader.load(plain.source());
            new ImageBuilder(f.store, dev.kolibri.fetch.Progress.SILENT, events).build(spec, f.lock(spec, packages(f)), o);
            assertThat(warnings).contains("amd64: contents: certificates under /usr/local/share/ca-certificates, but no "
                    + "package installs /usr/share/ca-certificates, so no CA bundle is made; add ca-certificates to `packages`");
        }
    }

    @Test
    void previous_keepsThePackageLayers_andPlansTheContentsAfresh() throws Exception {
        try (FixtureImages f = new FixtureImages(dir.resolve("fx"))) {
            ImageSpec spec = spec(f, "package");
            List<LockedPackage> pk = packages(f);
            Path first = dir.resolve("out/first");
            f.build(spec, pk, first, null);
            Path second = dir.resolve("out/second");
            f.build(spec, pk, second, first + ":latest");
            Map<String, Path> a = ContentsCaTest.layers(first, "latest-amd64");
            Map<String, Path> b = ContentsCaTest.layers(second, "latest-amd64");
            assertThat(new ArrayList<>(a.keySet())).containsExactly("package:libc-like", "package:tool", "contents:/opt/app", "image");
            assertThat(new ArrayList<>(b.keySet())).isEqualTo(new ArrayList<>(a.keySet()));
            for (String name : a.keySet()) assertThat(b.get(name).getFileName()).as(name).isEqualTo(a.get(name).getFileName());
            // /opt belongs to package tool: the contents layer repeats it with the package's metadata, owns only its own
            assertThat(ContentsCaTest.tar(a.get("contents:/opt/app"))).isEqualTo("opt/\nopt/app/\nopt/app/run.conf\n");
        }
    }
}
