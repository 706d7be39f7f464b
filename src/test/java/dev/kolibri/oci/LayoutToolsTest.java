package dev.kolibri.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A multi-arch layout checked by skopeo and umoci, tools no one here wrote. */
class LayoutToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void skopeo_readsTheIndex_andEachPlatform() throws IOException {
        Tools.require("skopeo");
        Path out = tmp.resolve("out");
        ImageIndex nested = Images.multiArch(out, "v1", tmp.resolve("work"));
        Validate.check(out);

        String raw = Tools.ok(tmp, "skopeo", "inspect", "--raw", "oci:" + out + ":v1").out();
        assertThat(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(nested.toJson());

        JsonNode amd = JSON.readTree(Tools.ok(tmp, "skopeo", "--override-arch", "amd64", "inspect", "oci:" + out + ":v1").out());
        JsonNode arm = JSON.readTree(Tools.ok(tmp, "skopeo", "--override-arch", "arm64", "inspect", "oci:" + out + ":v1").out());
        assertThat(amd.get("Architecture").asText()).isEqualTo("amd64");
        assertThat(arm.get("Architecture").asText()).isEqualTo("arm64");
        assertThat(amd.get("Layers")).hasSize(2);
        assertThat(arm.get("Layers")).hasSize(1);
        assertThat(amd.get("Created").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(amd.get("Labels").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
        assertThat(amd.get("Env").toString()).isEqualTo("[\"PATH=/usr/bin\",\"LANG=C.UTF-8\"]");
        OciLayout layout = LayoutReader.open(out);
        Manifest armManifest = layout.images("v1", p -> p.architecture().equals("arm64")).get(0).manifest();
        assertThat(arm.get("Layers").get(0).asText()).isEqualTo(armManifest.layers().get(0).digest().toString());
        assertThat(armManifest.layers().get(0).mediaType()).isEqualTo(MediaTypes.LAYER_ZSTD);

        // skopeo can also copy it (reading every blob) into a fresh layout.
        Tools.ok(tmp, "skopeo", "copy", "--all", "oci:" + out + ":v1", "oci:" + tmp.resolve("copy") + ":v1");
        Validate.check(tmp.resolve("copy"));
    }

    @Test
    void umoci_unpacksTheImage_andTheRootfsIsTheTree() throws IOException {
        Tools.require("umoci");
        Path out = tmp.resolve("single");
        Images.singleArch(out, "latest", tmp.resolve("work"));
        Validate.check(out);
        Path bundle = tmp.resolve("bundle");
        Tools.ok(tmp, "umoci", "unpack", "--image", out + ":latest", bundle.toString());
        compare(Trees.tree("amd64"), bundle.resolve("rootfs"));
        JsonNode runtime = JSON.readTree(bundle.resolve("config.json").toFile());
        assertThat(runtime.at("/process/user/uid").asInt()).isEqualTo(65532);
        assertThat(runtime.at("/process/cwd").asText()).isEqualTo("/home/nonroot");
        assertThat(runtime.at("/process/args").toString()).isEqualTo("[\"/usr/bin/tool\",\"--help\"]");
    }

    @Test
    void umoci_refusesAMultiPlatformTag_whichIsDocumented() throws IOException {
        // umoci 0.4 resolves a tag to every manifest below it and refuses more than one: multi-arch layouts are
        // checked with skopeo; umoci gets a single-arch layout (see docs/parts/oci.md).
        Tools.require("umoci");
        Path out = tmp.resolve("multi");
        Images.multiArch(out, "v1", tmp.resolve("work"));
        Tools.Result r = Tools.run(tmp, Map.of(), List.of("umoci", "unpack", "--image", out + ":v1", tmp.resolve("b").toString()));
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("tag is ambiguous");
    }

    static void compare(FileTree tree, Path rootfs) throws IOException {
        for (FileEntry e : tree.entries()) {
            Path p = rootfs.resolve(e.path());
            assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).as(e.path()).isTrue();
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            switch (e.type()) {
                case DIRECTORY -> assertThat(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).as(e.path()).isTrue();
                case SYMLINK -> assertThat(Files.readSymbolicLink(p)).as(e.path()).hasToString(e.linkTarget());
                case FILE -> {
                    assertThat(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).as(e.path()).isTrue();
                    assertThat(Files.readAllBytes(p)).as(e.path()).isEqualTo(e.content());
                    assertThat(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000)
                            .as(e.path()).isEqualTo(Math.min(e.mtime(), Trees.EPOCH));
                }
                case HARDLINK -> {
                    Object ino = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                    Object targetIno = Files.getAttribute(rootfs.resolve(e.linkTarget()), "unix:ino", LinkOption.NOFOLLOW_LINKS);
                    assertThat(ino).as(e.path()).isEqualTo(targetIno);
                }
            }
            if (e.type() != EntryType.SYMLINK && e.type() != EntryType.HARDLINK) {
                assertThat(mode & 07777).as(e.path() + " mode").isEqualTo(e.mode());
                assertThat(uid + ":" + gid).as(e.path() + " owner").isEqualTo(e.uid() + ":" + e.gid());
            }
        }
        try (var s = Files.walk(rootfs)) {
            long files = s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).count();
            long expected = tree.entries().stream().filter(e -> e.type() != EntryType.DIRECTORY).count();
            assertThat(files).as("non-directories in the rootfs").isEqualTo(expected);
        }
    }
}
