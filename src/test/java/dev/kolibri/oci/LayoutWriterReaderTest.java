package dev.kolibri.oci;

import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayoutWriterReaderTest {
    @TempDir
    Path tmp;

    private List<String> siblings() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void commit_writesLayoutFiles_andReaderResolvesTags() throws IOException {
        Path out = tmp.resolve("out");
        ImageIndex nested = Images.multiArch(out, "v1", Files.createDirectory(tmp.resolve("work")));
        assertThat(Files.readString(out.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        assertThat(siblings()).containsExactly("out", "work");

        OciLayout l = LayoutReader.open(out);
        Descriptor top = l.resolve("v1");
        assertThat(top).isEqualTo(l.resolve(null));
        assertThat(top.mediaType()).isEqualTo(MediaTypes.IMAGE_INDEX);
        assertThat(l.index(top)).isEqualTo(nested);
        List<OciLayout.Image> all = l.images("v1", p -> true);
        assertThat(all).extracting(i -> i.platform().toString()).containsExactly("linux/amd64", "linux/arm64");
        assertThat(all.get(0).manifest().layers()).hasSize(2);
        assertThat(all.get(0).config().diffIds()).hasSize(2);
        assertThat(all.get(0).config().user()).isEqualTo("65532");
        assertThat(l.images("v1", p -> p.architecture().equals("arm64"))).hasSize(1);
        assertThatThrownBy(() -> l.resolve("v2")).isInstanceOf(OciLayoutException.class)
                .hasMessageContaining("no image tagged 'v2'").hasMessageContaining("tags: v1");
        assertThat(Validate.problems(out)).isEmpty();
    }

    @Test
    void layerReader_readsBackTheTree() throws IOException {
        Path out = tmp.resolve("out");
        Images.singleArch(out, "latest", tmp.resolve("work"));
        OciLayout l = LayoutReader.open(out);
        OciLayout.Image img = l.images(null, p -> true).get(0);
        List<String> paths = new java.util.ArrayList<>();
        for (Descriptor d : img.manifest().layers()) {
            try (InputStream in = l.blob(d)) {
                LayerReader.walk(in, d.mediaType(), (e, content) -> {
                    paths.add(e.path());
                    if (e.path().equals("etc/os-release")) {
                        assertThat(new String(content.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ID=kolibri\n");
                    }
                });
            }
        }
        assertThat(paths).contains("etc/os-release", Trees.LONG_PATH, "usr/share/doc/\u00fcml\u00e4ut.txt", "usr/bin/tool");
    }

    @Test
    void refusesAnExistingDirectoryThatIsNotALayout_touchingNothing() throws IOException {
        // the old writer renamed any directory aside and deleted it: `build -o .` wiped a project
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("notes.txt"), "mine\n");
        Files.createDirectories(out.resolve("src"));
        assertThatThrownBy(() -> LayoutWriter.create(out)).isInstanceOf(dev.kolibri.fs.OutputDirException.class)
                .hasMessageContaining("refusing to write " + out).hasMessageContaining("not an OCI image layout")
                .hasMessageContaining("nothing was changed").hasMessageContaining("choose another output directory");
        assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("mine\n");
        assertThat(out.resolve("src")).isDirectory();
        assertThat(siblings()).containsExactly("out");

        Path file = Files.writeString(tmp.resolve("file"), "a file\n");
        assertThatThrownBy(() -> LayoutWriter.create(file)).hasMessageContaining("exists and is not a directory");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), out);
        assertThatThrownBy(() -> LayoutWriter.create(link)).hasMessageContaining("is a symbolic link");
        assertThat(Files.readString(file)).isEqualTo("a file\n");
        assertThat(siblings()).containsExactly("file", "link", "out");
    }

    @Test
    void writesIntoAnEmptyDirectory() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Images.singleArch(out, "latest", tmp.resolve("work"));
        assertThat(siblings()).containsExactly("out", "work");
        Validate.check(out);
    }

    @Test
    void updatesAnExistingLayout_keepingTagsAndFilesOthersWrote() throws IOException {
        Tools.require("umoci", "skopeo");
        Path out = tmp.resolve("out");
        Images.singleArch(out, "latest", tmp.resolve("work1"));
        // another tool adds a tag (umoci) and a whole image (skopeo), a user a file beside blobs/
        Tools.ok(tmp, "umoci", "tag", "--image", out + ":latest", "kept");
        Path other = tmp.resolve("other");
        Images.multiArch(other, "v9", tmp.resolve("work2"));
        Tools.ok(tmp, "skopeo", "copy", "--all", "oci:" + other + ":v9", "oci:" + out + ":foreign");
        Files.writeString(out.resolve("README"), "notes\n");

        Images.Built again = Images.image("arm64", Files.createDirectories(tmp.resolve("work3")));
        try (LayoutWriter w = LayoutWriter.create(out)) {
            again.addTo(w);
            Files.writeString(w.ownDirectory("sbom/latest").resolve("a.json"), "{}");
            w.commit(ImageIndex.of(List.of(Images.tagged(again.descriptor(), "latest"))));
        }
        assertThat(siblings()).containsExactly("other", "out", "work1", "work2", "work3");
        assertThat(Validate.problems(out)).isEmpty();
        assertThat(Files.readString(out.resolve("README"))).isEqualTo("notes\n");
        assertThat(out.resolve("sbom/latest/a.json")).exists();
        String tags = Tools.ok(tmp, "umoci", "ls", "--layout", out.toString()).out();
        assertThat(tags.lines().sorted().toList()).containsExactly("foreign", "kept", "latest");
        // the retagged image is the first one (amd64), latest the new one (arm64), foreign still whole
        assertThat(Tools.ok(tmp, "skopeo", "inspect", "oci:" + out + ":kept").out()).contains("\"Architecture\": \"amd64\"");
        assertThat(Tools.ok(tmp, "skopeo", "inspect", "oci:" + out + ":latest").out()).contains("\"Architecture\": \"arm64\"");
        Tools.ok(tmp, "skopeo", "copy", "--all", "oci:" + out + ":foreign", "dir:" + tmp.resolve("copied"));

        // the next write of `latest` replaces its sbom directory, not merges it; a blob no entry reaches is dropped
        byte[] orphanBytes = "no entry reaches me".getBytes(StandardCharsets.UTF_8);
        Path orphan = LayoutWriter.blobPath(out, Digest.sha256(orphanBytes));
        Files.write(orphan, orphanBytes);
        Images.Built third = Images.image("amd64", Files.createDirectories(tmp.resolve("work4")));
        try (LayoutWriter w = LayoutWriter.create(out)) {
            third.addTo(w);
            Files.writeString(w.ownDirectory("sbom/latest").resolve("b.json"), "{}");
            w.commit(ImageIndex.of(List.of(Images.tagged(third.descriptor(), "latest"))));
        }
        assertThat(out.resolve("sbom/latest/a.json")).doesNotExist();
        assertThat(out.resolve("sbom/latest/b.json")).exists();
        assertThat(orphan).doesNotExist();
        assertThat(Validate.problems(out)).isEmpty();
        assertThat(Tools.ok(tmp, "umoci", "ls", "--layout", out.toString()).out().lines().sorted().toList())
                .containsExactly("foreign", "kept", "latest");
    }

    @Test
    void blobWithWrongDigest_abortsAndLeavesNothing() throws IOException {
        Path out = tmp.resolve("out");
        Path wrong = Files.writeString(tmp.resolve("wrong"), "not the layer");
        Descriptor claimed = Descriptor.of(MediaTypes.LAYER_GZIP, "the layer".getBytes(StandardCharsets.UTF_8));
        LayoutWriter w = LayoutWriter.create(out);
        w.addBlob(MediaTypes.IMAGE_CONFIG, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.isDirectory(w.stagingDir())).isTrue();
        assertThatThrownBy(() -> w.addBlob(wrong, claimed)).isInstanceOf(OciLayoutException.class)
                .hasMessageContaining("does not match its descriptor").hasMessageContaining(claimed.digest().toString());
        assertThat(siblings()).containsExactly("wrong");
        assertThatThrownBy(() -> w.commit(ImageIndex.of(List.of()))).isInstanceOf(IllegalStateException.class);
        w.close();
    }

    @Test
    void failedCommit_keepsTheOldTarget() throws IOException {
        Path out = tmp.resolve("out");
        Images.singleArch(out, "latest", tmp.resolve("work"));
        byte[] before = Files.readAllBytes(out.resolve("index.json"));
        Descriptor dangling = Images.tagged(Descriptor.of(MediaTypes.IMAGE_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8)), "x");
        try (LayoutWriter w = LayoutWriter.create(out)) {
            assertThatThrownBy(() -> w.commit(ImageIndex.of(List.of(dangling))))
                    .hasMessageContaining("is referenced but was never added");
        }
        assertThat(Files.readAllBytes(out.resolve("index.json"))).isEqualTo(before);
        assertThat(siblings()).containsExactly("out", "work");
    }

    @Test
    void commit_requiresDistinctTags() throws IOException {
        try (LayoutWriter w = LayoutWriter.create(tmp.resolve("out"))) {
            Descriptor cfg = w.addBlob(MediaTypes.IMAGE_CONFIG, "{}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> w.commit(ImageIndex.of(List.of(cfg))))
                    .hasMessageContaining("has no org.opencontainers.image.ref.name annotation");
        }
        try (LayoutWriter w = LayoutWriter.create(tmp.resolve("out"))) {
            Descriptor cfg = w.addBlob(MediaTypes.IMAGE_CONFIG, "{}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> w.commit(ImageIndex.of(List.of(Images.tagged(cfg, "a"), Images.tagged(cfg, "a")))))
                    .hasMessageContaining("two index.json entries are tagged 'a'");
        }
        try (LayoutWriter w = LayoutWriter.create(tmp.resolve("out"))) {
            w.abort();
        }
        assertThat(siblings()).isEmpty();
    }

    @Test
    void reader_detectsATamperedBlob() throws IOException {
        Path out = tmp.resolve("out");
        Images.singleArch(out, "latest", tmp.resolve("work"));
        OciLayout l = LayoutReader.open(out);
        Manifest m = l.manifest(l.resolve("latest"));
        Descriptor layer = m.layers().get(1);
        Path p = l.path(layer.digest());
        byte[] b = Files.readAllBytes(p);
        b[b.length / 2] ^= 1;
        Files.write(p, b);
        assertThatThrownBy(() -> {
            try (InputStream in = l.blob(layer.digest())) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }).isInstanceOf(OciLayoutException.class).hasMessageContaining(layer.digest().toString())
                .hasMessageContaining(p.toString()).hasMessageContaining("is corrupt");
        assertThat(Validate.problems(out)).anySatisfy(s -> assertThat(s).contains(layer.digest().toString()));
        assertThatThrownBy(() -> Validate.check(out)).hasMessageContaining("invalid OCI layout");

        Files.delete(l.path(m.config().digest()));
        assertThatThrownBy(() -> l.config(m.config())).isInstanceOf(OciLayoutException.class)
                .hasMessageContaining("blob " + m.config().digest() + " is missing");
    }

    @Test
    void reader_detectsATruncatedManifest() throws IOException {
        Path out = tmp.resolve("out");
        Images.singleArch(out, "latest", tmp.resolve("work"));
        OciLayout l = LayoutReader.open(out);
        Descriptor d = l.resolve(null);
        Files.writeString(l.path(d.digest()), "{}");
        assertThatThrownBy(() -> l.manifest(d)).isInstanceOf(OciLayoutException.class).hasMessageContaining("2 bytes");
    }

    @Test
    void validate_findsDiffIdMismatch() throws IOException {
        Images.Built amd = Images.image("amd64", Files.createDirectory(tmp.resolve("work")));
        ImageConfig c = amd.config();
        ImageConfig wrong = new ImageConfig(c.architecture(), c.os(), c.variant(), c.user(), c.env(), c.entrypoint(),
                c.cmd(), c.workingDir(), c.labels(), c.exposedPorts(), c.volumes(), c.created(), List.of(c.diffIds().get(1), c.diffIds().get(0)), c.history());
        byte[] cfg = wrong.toJson();
        Manifest m = new Manifest(Descriptor.of(MediaTypes.IMAGE_CONFIG, cfg), amd.manifest().layers(), Map.of(), null, null);
        Path out = tmp.resolve("out");
        try (LayoutWriter w = LayoutWriter.create(out)) {
            for (Layer layer : amd.layers()) w.addBlob(layer.blob(), layer.descriptor());
            w.addBlob(MediaTypes.IMAGE_CONFIG, cfg);
            Descriptor md = w.addBlob(MediaTypes.IMAGE_MANIFEST, m.toJson()).withPlatform(Platform.LINUX_ARM64);
            w.commit(ImageIndex.of(List.of(Images.tagged(md, "t"))));
        }
        List<String> p = Validate.problems(out);
        assertThat(p).anySatisfy(s -> assertThat(s).contains("layer 0 uncompresses to"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("index says platform linux/arm64, config says linux/amd64"));
    }

    @Test
    void open_refusesNonLayouts() throws IOException {
        assertThatThrownBy(() -> LayoutReader.open(tmp.resolve("nope"))).hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> LayoutReader.open(tmp)).hasMessageContaining("has no oci-layout file");
        Files.writeString(tmp.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(tmp.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":{}}");
        assertThatThrownBy(() -> LayoutReader.open(tmp)).hasMessageContaining("index.json").hasMessageContaining("not an array");
    }

    @Test
    void imageRef_parsesDirAndTag() throws IOException {
        Path colon = Files.createDirectory(tmp.resolve("a:b"));
        assertThat(ImageRef.parse(colon.toString())).isEqualTo(new ImageRef(colon, null));
        assertThat(ImageRef.parse(colon + ":v1")).isEqualTo(new ImageRef(colon, "v1"));
        assertThat(ImageRef.parse("out/img")).isEqualTo(new ImageRef(Path.of("out/img"), null));
        assertThat(ImageRef.parse("out/img:latest")).isEqualTo(new ImageRef(Path.of("out/img"), "latest"));
        assertThat(ImageRef.parse("weird:dir/x")).isEqualTo(new ImageRef(Path.of("weird:dir/x"), null));
        assertThat(ImageRef.parse("out/img:latest")).hasToString("out/img:latest");
    }

    @Test
    void layerReader_reportsWhiteouts_fromARealTar() throws IOException {
        Tools.require("tar", "zstd");
        Path root = Files.createDirectories(tmp.resolve("root/etc/app"));
        Files.writeString(root.resolve(".wh..wh..opq"), "");
        Files.writeString(root.resolve(".wh.old.conf"), "");
        Files.writeString(root.resolve("new.conf"), "x=1\n");
        Files.createFile(tmp.resolve("root/dev-null-is-not-made-here"));
        Path tgz = tmp.resolve("l.tar.gz");
        Path tzst = tmp.resolve("l.tar.zst");
        Tools.ok(tmp.resolve("root"), "tar", "--numeric-owner", "-czf", tgz.toString(), ".");
        Tools.ok(tmp.resolve("root"), "tar", "--numeric-owner", "--zstd", "-cf", tzst.toString(), ".");
        for (var c : List.of(Map.entry(tgz, MediaTypes.LAYER_GZIP), Map.entry(tzst, MediaTypes.LAYER_ZSTD))) {
            List<LayerEntry> es;
            try (InputStream in = Files.newInputStream(c.getKey())) {
                es = LayerReader.entries(in, c.getValue());
            }
            assertThat(es).anySatisfy(e -> {
                assertThat(e.path()).isEqualTo("etc/app");
                assertThat(e.whiteout()).isEqualTo(LayerEntry.Whiteout.OPAQUE);
            });
            assertThat(es).anySatisfy(e -> {
                assertThat(e.path()).isEqualTo("etc/app/old.conf");
                assertThat(e.whiteout()).isEqualTo(LayerEntry.Whiteout.FILE);
            });
            assertThat(es).anySatisfy(e -> {
                assertThat(e.path()).isEqualTo("etc/app/new.conf");
                assertThat(e.size()).isEqualTo(4);
            });
        }
        try (InputStream in = Files.newInputStream(tgz)) {
            assertThatThrownBy(() -> LayerReader.entries(in, "application/x-nope")).hasMessageContaining("not a layer media type");
        }
        try (InputStream in = Files.newInputStream(tzst)) {
            assertThatThrownBy(() -> LayerReader.entries(in, MediaTypes.LAYER_GZIP)).isInstanceOf(OciLayoutException.class)
                    .hasMessageContaining("cannot read " + MediaTypes.LAYER_GZIP);
        }
    }

    @Test
    void layerReader_refusesPathsThatClimbOut() throws IOException {
        Tools.require("tar");
        Files.createDirectories(tmp.resolve("a"));
        Files.writeString(tmp.resolve("evil"), "x");
        Path t = tmp.resolve("evil.tar");
        Tools.ok(tmp.resolve("a"), "tar", "-P", "-cf", t.toString(), "../evil");
        try (InputStream in = Files.newInputStream(t)) {
            assertThatThrownBy(() -> LayerReader.entries(in, MediaTypes.LAYER_TAR)).hasMessageContaining("climbs out of the root");
        }
    }
}
