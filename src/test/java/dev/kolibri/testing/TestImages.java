package dev.kolibri.testing;

import dev.kolibri.fs.FileEntry;
import dev.kolibri.oci.Compression;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageConfig;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.Layer;
import dev.kolibri.oci.LayerWriter;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.LayoutWriter;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.oci.Platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small two-platform OCI layouts made with the oci package's writers. */
public final class TestImages {
    public static final long EPOCH = 1_700_000_000L;
    /** A static executable of this machine (glibc's ldconfig is static-pie): the amd64 image runs it as /usr/bin/hello --version. */
    public static final Path HELLO = Path.of("/usr/sbin/ldconfig");

    private TestImages() {}

    /**
     * Writes a layout at {@code dir} with one index tagged {@code tag}: linux/amd64 and linux/arm64, each with a
     * shared base layer and its own layer. {@code seed} changes the own layers' content; {@code bigLayer} bytes of
     * random data go into the amd64 layer (uncompressible, so the blob is at least that big).
     */
    public static OciLayout write(Path dir, String tag, String seed, int bigLayer) throws IOException {
        Path work = Files.createTempDirectory(dir.getParent(), "imgwork");
        try (LayoutWriter w = LayoutWriter.create(dir)) {
            Layer base = LayerWriter.write(List.of(
                    FileEntry.directory("etc", 0755, 0, 0, EPOCH, ""),
                    FileEntry.file("etc/os-release", 0644, 0, 0, EPOCH, utf8("ID=kolibri-test\n"), "")), Compression.GZIP, EPOCH, work);
            w.addBlob(base.blob(), base.descriptor());
            List<Descriptor> manifests = new ArrayList<>();
            for (Platform p : List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64)) {
                byte[] payload = utf8("seed " + seed + " arch " + p.architecture() + "\n");
                if (bigLayer > 0 && p.equals(Platform.LINUX_AMD64)) {
                    payload = new byte[bigLayer];
                    new Random(seed.hashCode()).nextBytes(payload);
                }
                List<FileEntry> files = new ArrayList<>();
                files.add(FileEntry.file("usr/share/kolibri/" + p.architecture(), 0644, 0, 0, EPOCH, payload, ""));
                if (p.equals(Platform.LINUX_AMD64) && Files.isRegularFile(HELLO)) {
                    files.add(FileEntry.file("usr/bin/hello", 0755, 0, 0, EPOCH, Files.readAllBytes(HELLO), ""));
                }
                Layer own = LayerWriter.write(files, Compression.GZIP, EPOCH, work);
                w.addBlob(own.blob(), own.descriptor());
                ImageConfig cfg = ImageConfig.of(p, "65532", List.of("PATH=/usr/bin"), List.of("/usr/bin/hello"), List.of("--version"),
                        "/", Map.of(), EPOCH, List.of(base.diffId(), own.diffId()), List.of("base", "own " + seed));
                Descriptor cd = w.addBlob(MediaTypes.IMAGE_CONFIG, cfg.toJson());
                Manifest m = Manifest.of(cd, List.of(base.descriptor(), own.descriptor()));
                Descriptor md = w.addBlob(MediaTypes.IMAGE_MANIFEST, m.toJson());
                manifests.add(md.withPlatform(p));
            }
            ImageIndex idx = ImageIndex.of(manifests);
            Descriptor id = w.addBlob(MediaTypes.IMAGE_INDEX, idx.toJson());
            w.commit(ImageIndex.of(List.of(id.withAnnotations(Map.of(ImageIndex.REF_NAME, tag)))));
        } finally {
            try (var s = Files.walk(work)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        return LayoutReader.open(dir);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
