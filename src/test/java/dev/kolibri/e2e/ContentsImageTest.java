package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kolibri.Kolibri;
import dev.kolibri.build.BuildOptions;
import dev.kolibri.build.BuildResult;
import dev.kolibri.build.ImageBuilder;
import dev.kolibri.fs.LocalTree;
import dev.kolibri.lock.LockMismatchException;
import dev.kolibri.lock.LockedContent;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.sbom.Validators;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecException;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code contents:} end to end: local files and trees built into an image from the signed fixture repository, judged
 * by GNU tar (owners, modes, times of the layer), umoci, podman (a file readable only by 65532, read as 65532), the
 * official SBOM schemas; the lock's tree digests and {@code --locked}; reproducibility from a copy of the tree with
 * other times and modes; and every refusal, each one line naming the entry and the path.
 */
class ContentsImageTest {
    static final long EPOCH = 1_700_000_000L;
    static final String CAT_C = """
            #include <stdio.h>
            int main(int argc, char **argv) {
                for (int i = 1; i < argc; i++) {
                    FILE *f = fopen(argv[i], "r");
                    if (!f) { perror(argv[i]); return 1; }
                    int c;
                    while ((c = fgetc(f)) != EOF) putchar(c);
                    fclose(f);
                }
                return 0;
            }
            """;
    static final String CONTENTS = """
            entrypoint: [/usr/local/bin/cat]
            contents:
              - {from: app/, to: /app, owner: "65532:65532"}
              - {from: secret.txt, to: /srv/secret.txt, owner: "65532:65532", mode: "0400"}
              - {from: tools/cat, to: /usr/local/bin/}
            variants:
              extra:
                contents:
                  - {from: extra.txt, to: /etc/extra.txt}
            """;

    @TempDir static Path dir;
    static Fixture fixture;
    static Fixture.Served served;
    static String catSkipReason;
    static Path defs;
    static Kolibri kolibri;
    static Lockfile lock;
    static Path out;
    static BuildResult built;

    @BeforeAll
    static void build() throws Exception {
        fixture = Fixture.get();
        served = fixture.serve(dir);
        defs = dir.resolve("defs");
        writeSources(defs);
        Path def = fixture.definition(defs, served, "app", List.of("fixture-base", "hello"), CONTENTS);
        kolibri = FixtureImageTest.kolibri(dir.resolve("cache"), dir);
        ImageSpec spec = Kolibri.load(def, null);
        lock = kolibri.lock(spec);
        out = dir.resolve("out/app");
        built = kolibri.build(spec, options(out, false));
    }

    @AfterAll
    static void stop() {
        if (served != null) served.close();
    }

    static BuildOptions options(Path out, boolean locked) {
        return new BuildOptions(out, List.of("amd64"), null, locked, false, Compression.GZIP, EPOCH);
    }

    /** The local files beside the definition: a tree, a private file, a static cat (compiled here). */
    static void writeSources(Path d) throws Exception {
        Files.createDirectories(d.resolve("app/bin"));
        Files.createDirectories(d.resolve("app/data/empty"));
        Files.writeString(d.resolve("app/config.yaml"), "greeting: hi\n");
        Files.writeString(d.resolve("app/bin/tool"), "#!/usr/bin/env tool\n");
        Tools.ok(null, "chmod", "0750", d.resolve("app/bin/tool").toString());
        Files.writeString(d.resolve("app/data/notes.txt"), "notes\n");
        Files.createSymbolicLink(d.resolve("app/current"), Path.of("config.yaml"));
        Files.createLink(d.resolve("app/data/hardlink.txt"), d.resolve("app/data/notes.txt"));
        Files.writeString(d.resolve("secret.txt"), "for 65532 only\n");
        Files.writeString(d.resolve("extra.txt"), "extra\n");
        Files.createDirectories(d.resolve("tools"));
        Path cat = d.resolve("tools/cat");
        if (!Tools.onPath("gcc")) {
            catSkipReason = "skipped: 'gcc' is not installed (run .ci/install-deps)";
            Files.writeString(cat, "not a program\n");
        } else {
            Path src = Files.createTempDirectory(dir, "cat");
            Files.writeString(src.resolve("cat.c"), CAT_C);
            Tools.Result cc = Tools.run(src, Map.of(), List.of("gcc", "-static", "-O2", "-o", cat.toString(), "cat.c"));
            if (cc.exit() != 0) {
                catSkipReason = "skipped: gcc -static failed (libc6-dev missing?): " + cc.err().strip();
                Files.writeString(cat, "not a program\n");
            }
        }
        Tools.ok(null, "chmod", "0755", cat.toString());
    }

    /** The layers of the amd64 image: name to blob path, bottom first. */
    static Map<String, Path> layers(Path layout, String tag) throws Exception {
        JsonNode index = Oracles.JSON.readTree(layout.resolve("index.json").toFile());
        String manifest = null;
        for (JsonNode m : index.path("manifests")) {
            if (m.path("annotations").path("org.opencontainers.image.ref.name").asText().equals(tag + "-amd64")) {
                manifest = m.path("digest").asText();
            }
        }
        assertThat(manifest).as("manifest tagged " + tag + "-amd64").isNotNull();
        JsonNode man = Oracles.JSON.readTree(blob(layout, manifest).toFile());
        Map<String, Path> out = new LinkedHashMap<>();
        for (JsonNode l : man.path("layers")) {
            out.put(l.path("annotations").path("dev.kolibri.layer.name").asText(), blob(layout, l.path("digest").asText()));
        }
        return out;
    }

    static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    /** GNU tar's verbose listing, numeric owners, full UTC times: {@code path -> "mode uid/gid time"}. */
    static Map<String, String> tarListing(Path layer) {
        List<String> cmd = List.of("tar", "--numeric-owner", "--full-time", "-tvzf", layer.toString());
        String listing = Tools.run(null, Map.of("TZ", "UTC"), cmd).orFail(cmd).out();
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : listing.strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            // mode owner size date time path [-> target]
            String path = f[5] + (f.length > 7 ? " " + f[6] + " " + f[7] : "");
            out.put(path, f[0] + " " + f[1] + " " + f[3] + "T" + f[4]);
        }
        return out;
    }

    @Test
    void lock_recordsEachEntrysTreeDigest() throws Exception {
        assertThat(lock.contents()).extracting(LockedContent::from, LockedContent::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("app/", "/app"),
                org.assertj.core.groups.Tuple.tuple("secret.txt", "/srv/secret.txt"),
                org.assertj.core.groups.Tuple.tuple("tools/cat", "/usr/local/bin/"));
        assertThat(lock.contents().get(0).digest()).isEqualTo(LocalTree.read(defs, "app/").digest().toString());
        assertThat(Files.readString(defs.resolve("app.lock.json"))).contains("\"contents\": [");
    }

    @Test
    void layers_contentsAfterThePackages_beforeTheImagesLast() throws Exception {
        List<String> names = new ArrayList<>(layers(out, "1").keySet());
        assertThat(names.get(names.size() - 1)).isEqualTo("image");
        assertThat(names.subList(names.size() - 4, names.size() - 1))
                .containsExactly("contents:/app", "contents:/srv/secret.txt", "contents:/usr/local/bin");
        assertThat(names.subList(0, names.size() - 4)).allSatisfy(n -> assertThat(n).startsWith("origin:"));
    }

    @Test
    void tar_ownersModesTimes_fromTheDefinition_neverTheFiles() throws Exception {
        String t = "2023-11-14T22:13:20";
        Map<String, Path> l = layers(out, "1");
        Map<String, String> app = tarListing(l.get("contents:/app"));
        assertThat(app).containsEntry("app/", "drwxr-xr-x 65532/65532 " + t)
                .containsEntry("app/config.yaml", "-rw-r--r-- 65532/65532 " + t)
                .containsEntry("app/bin/", "drwxr-xr-x 65532/65532 " + t)
                .containsEntry("app/bin/tool", "-rwxr-xr-x 65532/65532 " + t)
                .containsEntry("app/data/empty/", "drwxr-xr-x 65532/65532 " + t)
                .containsEntry("app/data/notes.txt", "-rw-r--r-- 65532/65532 " + t)
                .containsEntry("app/data/hardlink.txt", "-rw-r--r-- 65532/65532 " + t)
                .containsEntry("app/current -> config.yaml", "lrwxrwxrwx 65532/65532 " + t);
        Map<String, String> secret = tarListing(l.get("contents:/srv/secret.txt"));
        assertThat(secret).containsExactly(Map.entry("srv/", "drwxr-xr-x 0/0 " + t),
                Map.entry("srv/secret.txt", "-r-------- 65532/65532 " + t));
        Map<String, String> bin = tarListing(l.get("contents:/usr/local/bin"));
        assertThat(bin).containsEntry("usr/local/bin/cat", "-rwxr-xr-x 0/0 " + t);
        // the image layer does not repeat what the contents layers hold
        assertThat(tarListing(l.get("image")).keySet()).noneMatch(p -> p.startsWith("app/") || p.startsWith("srv/secret"));
    }

    @Test
    void umoci_unpacksTheFiles() throws Exception {
        Path rootfs = Oracles.umociUnpack(out, "1-amd64", dir.resolve("bundle"));
        try {
            assertThat(Files.readString(rootfs.resolve("app/config.yaml"))).isEqualTo("greeting: hi\n");
            assertThat(Files.readSymbolicLink(rootfs.resolve("app/current"))).isEqualTo(Path.of("config.yaml"));
            assertThat(Files.readString(rootfs.resolve("app/data/hardlink.txt"))).isEqualTo("notes\n");
            assertThat(Files.readString(rootfs.resolve("usr/share/libfoo/version"))).isEqualTo("2.0\n");
        } finally {
            Oracles.remove(dir.resolve("bundle"));
        }
    }

    @Test
    void podman_readsAFileOnlyItsOwner65532MayRead() throws Exception {
        Assumptions.assumeTrue(catSkipReason == null, catSkipReason);
        assertThat(Oracles.podmanOk(out, "1-amd64", null, "/srv/secret.txt", "/app/config.yaml"))
                .isEqualTo("for 65532 only\ngreeting: hi\n");
        assertThat(Oracles.podmanOk(out, "1-amd64", "/usr/bin/hello")).startsWith("uid=65532\n");
    }

    @Test
    void sboms_listTheFiles_andValidate() throws Exception {
        Path sboms = ImageBuilder.sbomDirOf(out, "1");
        byte[] spdx = Files.readAllBytes(sboms.resolve("amd64.spdx.json"));
        byte[] cdx = Files.readAllBytes(sboms.resolve("amd64.cdx.json"));
        assertThat(Validators.spdxSchemaErrors(spdx)).isEmpty();
        assertThat(Validators.spdxModelErrors(spdx, dir)).isEmpty();
        // the fixture's maintainer, tests@kolibri.invalid, is no RFC 6531 mailbox to the CycloneDX schema (BuildSbomTest
        // changes it for that reason); anything else would be ours
        assertThat(Validators.cycloneDxErrors(cdx)).allMatch(e -> e.contains("idn-email"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("greeting: hi\n".getBytes(StandardCharsets.UTF_8)));
        JsonNode s = Oracles.JSON.readTree(spdx);
        JsonNode file = null;
        for (JsonNode f : s.path("files")) if (f.path("fileName").asText().equals("./app/config.yaml")) file = f;
        assertThat(file).isNotNull();
        assertThat(file.path("checksums").toString()).contains(sha);
        String id = file.path("SPDXID").asText();
        List<String> contains = new ArrayList<>();
        for (JsonNode r : s.path("relationships")) {
            if (r.path("relationshipType").asText().equals("CONTAINS")) {
                contains.add(r.path("spdxElementId").asText() + " " + r.path("relatedSpdxElement").asText());
            }
        }
        assertThat(contains).contains("SPDXRef-Image SPDXRef-Contents-app", "SPDXRef-Contents-app " + id);
        assertThat(contains).filteredOn(r -> r.startsWith("SPDXRef-Image SPDXRef-Contents-")).hasSize(3);
        JsonNode c = Oracles.JSON.readTree(cdx);
        JsonNode comp = null;
        for (JsonNode x : c.path("components")) if (x.path("name").asText().equals("/app/config.yaml")) comp = x;
        assertThat(comp).isNotNull();
        assertThat(comp.path("type").asText()).isEqualTo("file");
        assertThat(comp.path("hashes").toString()).contains(sha);
        assertThat(s.path("files").size()).isEqualTo(6); // config, tool, notes, hardlink, secret, cat (no symlinks, dirs)
        // `kolibri sbom` of the built image, read from its layers, lists the same files
        dev.kolibri.sbom.SbomInput read = dev.kolibri.describe.ImageSbom.read(new dev.kolibri.oci.ImageRef(out, "1-amd64"),
                null, "dev");
        JsonNode fromImage = Oracles.JSON.readTree(dev.kolibri.sbom.SpdxWriter.write(read));
        assertThat(fromImage.path("files")).isEqualTo(s.path("files"));
        assertThat(Validators.spdxModelErrors(dev.kolibri.sbom.SpdxWriter.write(read), dir)).isEmpty();
    }

    @Test
    void variant_addsItsOwnContentsLayer() throws Exception {
        Path def = defs.resolve("app.yaml");
        ImageSpec v = Kolibri.load(def, "extra");
        Path vout = dir.resolve("out/app-extra");
        kolibri.build(v, options(vout, false));
        List<String> names = new ArrayList<>(layers(vout, "1-extra").keySet());
        assertThat(names.subList(names.size() - 5, names.size())).containsExactly("contents:/app",
                "contents:/srv/secret.txt", "contents:/usr/local/bin", "contents:/etc/extra.txt", "image");
        assertThat(Lockfile.read(defs.resolve("app-extra.lock.json")).contents()).hasSize(4);
    }

    @Test
    void changedFile_lockedRefuses_unlockedRelocks_andOnlyItsLayerChanges() throws Exception {
        Path copy = dir.resolve("defs-changed");
        Tools.ok(null, "cp", "-a", defs.toString(), copy.toString());
        Path def = copy.resolve("app.yaml");
        Files.writeString(copy.resolve("app/config.yaml"), "greeting: changed\n");
        ImageSpec spec = Kolibri.load(def, null);
        Path o = dir.resolve("out/changed");
        assertThatThrownBy(() -> kolibri.build(spec, options(o, true)))
                .isInstanceOf(LockMismatchException.class)
                .hasMessageStartingWith(def + ":13: contents `from: app/`: the files changed since " + copy.resolve("app.lock.json"))
                .hasMessageEndingWith("; run `kolibri lock " + def + "`")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(o).doesNotExist();
        BuildResult r = kolibri.build(spec, options(o, false));
        assertThat(Lockfile.read(copy.resolve("app.lock.json")).contents().get(0).digest())
                .isEqualTo(LocalTree.read(copy, "app/").digest().toString())
                .isNotEqualTo(lock.contents().get(0).digest());
        Map<String, Path> before = layers(out, "1");
        Map<String, Path> after = layers(o, r.tag());
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        for (String name : before.keySet()) {
            boolean same = before.get(name).getFileName().equals(after.get(name).getFileName());
            assertThat(same).as(name).isEqualTo(!name.equals("contents:/app"));
        }
    }

    @Test
    void cli_refusals_areOneErrorLine_exit1() throws Exception {
        Path copy = dir.resolve("defs-cli");
        Tools.ok(null, "cp", "-a", defs.toString(), copy.toString());
        Path def = copy.resolve("app.yaml");
        Files.writeString(copy.resolve("secret.txt"), "changed\n");
        Cli cli = Cli.withCache(dir.resolve("cli-cache"));
        Cli.Result locked = cli.run(copy, "build", def.toString(), "--locked", "--arch", "amd64", "-o", copy.resolve("out").toString());
        assertThat(locked.exit()).as(locked.toString()).isEqualTo(1);
        assertThat(locked.errorLines()).as(locked.toString()).singleElement().asString()
                .startsWith("error: " + def + ":14: contents `from: secret.txt`: the files changed since ")
                .endsWith("; run `kolibri lock " + def + "`");
        assertThat(copy.resolve("out")).doesNotExist();

        Path clash = refusedDefinition("cli-clash", "contents:\n  - {from: issue, to: /etc/issue}\n",
                d -> Files.writeString(d.resolve("issue"), "ours\n"));
        Cli.Result r = cli.run(clash.getParent(), "build", clash.toString(), "--arch", "amd64");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errorLines()).as(r.toString()).containsExactly("error: " + clash + ":12: contents `from: issue`: "
                + "/etc/issue collides with the file of package fixture-base; set `replace: true` on the entry to replace "
                + "it, or choose another `to`");
    }

    @Test
    void copyWithOtherTimesAndModes_givesTheSameImage() throws Exception {
        Path copy = dir.resolve("elsewhere/deeper/defs");
        Files.createDirectories(copy.getParent());
        Tools.ok(null, "cp", "-a", defs.toString(), copy.toString());
        Files.deleteIfExists(copy.resolve("app.lock.json"));
        Files.deleteIfExists(copy.resolve("app-extra.lock.json"));
        // what umask 077 and another checkout time would give: no group/other bits, every time different
        Tools.ok(null, "chmod", "-R", "go-rwx", copy.toString());
        Tools.ok(null, "chmod", "u+rwx", copy.toString());
        Tools.ok(null, "find", copy.toString(), "-exec", "touch", "-h", "-d", "2001-02-03 04:05:06", "{}", "+");
        Tools.ok(null, "touch", "-d", "2030-01-01 00:00:00", copy.resolve("app/config.yaml").toString());
        ImageSpec spec = Kolibri.load(copy.resolve("app.yaml"), null);
        Kolibri other = FixtureImageTest.kolibri(dir.resolve("cache-other"), dir.resolve("elsewhere"));
        BuildResult again = other.build(spec, options(dir.resolve("out/again"), false));
        assertThat(again.index()).isEqualTo(built.index());
        assertThat(Lockfile.read(copy.resolve("app.lock.json")).contents()).isEqualTo(lock.contents());
    }

    /** Writes a definition with {@code contents} in a fresh directory (sources made by {@code setup}) and builds it. */
    static Path refusedDefinition(String name, String contents, ThrowingSetup setup) throws Exception {
        Path d = dir.resolve("refused-" + name);
        Files.createDirectories(d);
        setup.in(d);
        return fixture.definition(d, served, name, List.of("fixture-base", "hello"), contents);
    }

    interface ThrowingSetup {
        void in(Path d) throws Exception;
    }

    static void assertRefused(Path def, String message) {
        Path o = def.resolveSibling("out");
        assertThatThrownBy(() -> kolibri.build(Kolibri.load(def, null), options(o, false)))
                .isInstanceOf(SpecException.class).hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(o).doesNotExist();
    }

    @Test
    void collisionWithAPackageFile_refused_unlessReplace() throws Exception {
        Path def = refusedDefinition("clash", "contents:\n  - {from: issue, to: /etc/issue}\n",
                d -> Files.writeString(d.resolve("issue"), "ours\n"));
        assertRefused(def, def + ":12: contents `from: issue`: /etc/issue collides with the file of package fixture-base; "
                + "set `replace: true` on the entry to replace it, or choose another `to`");

        Files.writeString(def, Files.readString(def).replace("to: /etc/issue}", "to: /etc/issue, replace: true}"));
        Path o = dir.resolve("out/replaced");
        kolibri.build(Kolibri.load(def, null), options(o, false));
        Map<String, Path> l = layers(o, "1");
        assertThat(tarListing(l.get("contents:/etc/issue"))).containsKey("etc/issue");
        for (var e : l.entrySet()) {
            if (!e.getKey().equals("contents:/etc/issue")) assertThat(tarListing(e.getValue())).as(e.getKey()).doesNotContainKey("etc/issue");
        }
    }

    @Test
    void fileOverAPackageDirectory_refused() throws Exception {
        Path def = refusedDefinition("overdir", "contents:\n  - {from: f, to: /usr/share/libfoo, replace: true}\n",
                d -> Files.writeString(d.resolve("f"), "f\n"));
        assertRefused(def, def + ":12: contents `from: f`: /usr/share/libfoo is a directory of package libfoo in the image; "
                + "a file cannot replace it");
    }

    @Test
    void symlinkPointingOutside_refused() throws Exception {
        Path def = refusedDefinition("symlink", "contents:\n  - {from: tree/, to: /tree}\n", d -> {
            Files.createDirectories(d.resolve("tree/sub"));
            Files.createSymbolicLink(d.resolve("tree/sub/passwd"), Path.of("/etc/passwd"));
        });
        assertRefused(def, def + ":12: contents `from: tree/`: symlink tree/sub/passwd -> /etc/passwd points outside the "
                + "definition's directory " + def.getParent().toRealPath() + "; copy the file in instead of linking to it");
        Path climbing = refusedDefinition("climb", "contents:\n  - {from: tree, to: /tree}\n", d -> {
            Files.createDirectories(d.resolve("tree"));
            Files.createSymbolicLink(d.resolve("tree/up"), Path.of("../../defs/secret.txt"));
        });
        assertRefused(climbing, climbing + ":12: contents `from: tree`: symlink tree/up -> ../../defs/secret.txt points "
                + "outside the definition's directory " + climbing.getParent().toRealPath() + "; copy the file in instead of linking to it");
    }

    @Test
    void sourceThatIsASymlinkOutside_refused() throws Exception {
        Path def = refusedDefinition("rootlink", "contents:\n  - {from: link, to: /x}\n",
                d -> Files.createSymbolicLink(d.resolve("link"), defs.resolve("secret.txt")));
        assertRefused(def, def + ":12: contents `from: link`: link resolves to " + defs.resolve("secret.txt").toRealPath()
                + ", outside the definition's directory " + def.getParent().toRealPath());
    }

    @Test
    void specialFile_refused() throws Exception {
        Path def = refusedDefinition("fifo", "contents:\n  - {from: tree/, to: /tree}\n", d -> {
            Files.createDirectories(d.resolve("tree"));
            Tools.ok(null, "mkfifo", d.resolve("tree/pipe").toString());
        });
        assertRefused(def, def + ":12: contents `from: tree/`: tree/pipe is a device, fifo or socket; only files, "
                + "directories and symlinks can be copied into an image");
    }

    @Test
    void missingSource_refused() throws Exception {
        Path def = refusedDefinition("missing", "contents:\n  - {from: nothere.txt, to: /x}\n", d -> {});
        assertRefused(def, def + ":12: contents `from: nothere.txt`: nothere.txt does not exist (looked for "
                + def.resolveSibling("nothere.txt").toAbsolutePath() + ")");
    }

    @Test
    void climbingSourceAndRuntimeDestination_refusedAtLoad() throws Exception {
        Path def = refusedDefinition("climbing", "contents:\n  - {from: ../defs/secret.txt, to: /x}\n", d -> {});
        assertRefused(def, def + ":12: contents `from: ../defs/secret.txt` climbs out of the definition's directory; "
                + "keep the files beside the definition");
        Path dev = refusedDefinition("dev", "contents:\n  - {from: f, to: /dev/shm/f}\n", d -> Files.writeString(d.resolve("f"), "f"));
        assertRefused(dev, dev + ":12: contents `from: f` to `/dev/shm/f`: /dev is mounted by the container runtime, "
                + "files there never reach a container; choose another destination");
    }
}
