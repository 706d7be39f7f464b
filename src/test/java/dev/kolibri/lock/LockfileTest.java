package dev.kolibri.lock;

import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecLoader;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LockfileTest {
    static final String SHA_A = "a".repeat(64);
    static final String SHA_B = "0123456789abcdef".repeat(4);
    static final String REPO = "http://127.0.0.1:8080/debian";
    static final String RELEASE = "sha256:" + "c".repeat(64);

    static final String SPEC = """
            name: python
            repositories:
              - {type: deb, url: "http://127.0.0.1:8080/debian", suite: bookworm, keyring: archive.gpg}
            packages: [python3.11-minimal]
            archs: [amd64, arm64]
            variants:
              builder: {add: [bash], user: 0, allow-shell: true}
            """;

    static LockedPackage pkg(String name, String arch) {
        return new LockedPackage(name, "1.0-1", arch, name + "-src", "1.0-1", REPO + "/pool/main/" + name + "_1.0-1_" + arch + ".deb",
                1234, SHA_A, REPO);
    }

    static Lockfile lock(String specDigest) {
        return new Lockfile(1, specDigest, 1700000000L,
                List.of(new LockedRepository(REPO, null, REPO, "bookworm", null, RELEASE, null)),
                Map.of("arm64", List.of(pkg("zlib1g", "arm64"), pkg("libc6", "arm64")),
                        "amd64", List.of(pkg("zlib1g", "amd64"), pkg("libc6", "amd64"), pkg("tzdata", "all"))));
    }

    static ImageSpec spec(Path dir) {
        return SpecLoader.parse(SPEC, dir.resolve("python.yaml"));
    }

    @Test
    void constructor_sortsArchsAndPackagesByName() {
        Lockfile l = lock("sha256:" + SHA_B);
        assertThat(l.packages().keySet()).containsExactly("amd64", "arm64");
        assertThat(l.packagesFor("amd64")).extracting(LockedPackage::name).containsExactly("libc6", "tzdata", "zlib1g");
        assertThat(l.packagesFor("s390x")).isEmpty();
    }

    @Test
    void toJson_hasStableLayout() {
        Lockfile l = new Lockfile(2, "sha256:" + SHA_B, null, List.of(new LockedRepository("r", "rpm", "http://127.0.0.1/r", null, null, RELEASE,
                        new dev.kolibri.pkg.RepositoryRelease("fedora", null, null, null, "43"))),
                Map.of("amd64", List.of(new LockedPackage("a", "1", "amd64", "a", "1", "a.rpm", 5, SHA_A, "r")),
                        "arm64", List.of()));
        assertThat(new String(l.toJson(), StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "version": 2,
                  "specDigest": "sha256:%s",
                  "repositories": [
                    {
                      "id": "r",
                      "type": "rpm",
                      "url": "http://127.0.0.1/r",
                      "releaseDigest": "%s",
                      "release": {
                        "origin": "fedora",
                        "version": "43"
                      }
                    }
                  ],
                  "packages": {
                    "amd64": [
                      {
                        "name": "a",
                        "version": "1",
                        "arch": "amd64",
                        "source": "a",
                        "sourceVersion": "1",
                        "path": "a.rpm",
                        "size": 5,
                        "sha256": "%s",
                        "repository": "r"
                      }
                    ],
                    "arm64": []
                  }
                }
                """.formatted(SHA_B, RELEASE, SHA_A));
    }

    @Test
    void writeThenRead_roundTripsByteIdentical(@TempDir Path dir) throws IOException {
        Lockfile l = lock("sha256:" + SHA_B);
        Path file = dir.resolve("python.lock.json");
        l.write(file);
        byte[] first = Files.readAllBytes(file);
        Lockfile back = Lockfile.read(file);
        assertThat(back).isEqualTo(l);
        back.write(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(first);
        assertThat(first).isEqualTo(l.toJson());
        assertThat(first[first.length - 1]).isEqualTo((byte) '\n');
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void toJson_sameAsJqPrettyPrint(@TempDir Path dir) throws IOException {
        Tools.require("jq");
        Path file = dir.resolve("python.lock.json");
        lock("sha256:" + SHA_B).write(file);
        String jq = Tools.ok(dir, "jq", "--indent", "2", ".", file.toString()).out();
        assertThat(Files.readString(file)).isEqualTo(jq);
    }

    @Test
    void read_reorderedAndReindentedJson_givesSameLockAndCanonicalBytes(@TempDir Path dir) throws IOException {
        Tools.require("jq");
        Lockfile l = lock("sha256:" + SHA_B);
        Path file = dir.resolve("x.lock.json");
        l.write(file);
        Path messy = dir.resolve("messy.lock.json");
        Files.writeString(messy, Tools.ok(dir, "jq", "-S", "-c", ".packages.amd64 |= reverse", file.toString()).out());
        Lockfile back = Lockfile.read(messy);
        assertThat(back).isEqualTo(l);
        assertThat(back.toJson()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void pathFor_baseAndVariant(@TempDir Path dir) {
        ImageSpec base = spec(dir);
        assertThat(Lockfile.pathFor(base)).isEqualTo(dir.resolve("python.lock.json"));
        assertThat(Lockfile.pathFor(base.withVariant("builder"))).isEqualTo(dir.resolve("python-builder.lock.json"));
        ImageSpec relative = SpecLoader.parse(SPEC, Path.of("python.yaml"));
        assertThat(Lockfile.pathFor(relative)).isEqualTo(Path.of("python.lock.json"));
    }

    @Test
    void checkMatches_sameSpec_passes(@TempDir Path dir) {
        ImageSpec base = spec(dir);
        lock(base.digest().toString()).checkMatches(base);
    }

    @Test
    void checkMatches_changedSpec_refusedWithRelockHint() {
        Path specFile = Path.of("images/python.yaml");
        ImageSpec old = SpecLoader.parse(SPEC, specFile);
        ImageSpec changed = SpecLoader.parse(SPEC.replace("[python3.11-minimal]", "[python3.11-minimal, tzdata]"), specFile);
        Lockfile l = lock(old.digest().toString());
        assertThatThrownBy(() -> l.checkMatches(changed))
                .isInstanceOf(LockMismatchException.class)
                .hasMessage("images/python.lock.json was made for another version of images/python.yaml (spec digest "
                        + changed.digest() + ", lock says " + old.digest() + "); run `kolibri lock images/python.yaml`");
    }

    @Test
    void checkMatches_baseLockForVariant_refused() {
        Path specFile = Path.of("images/python.yaml");
        ImageSpec base = SpecLoader.parse(SPEC, specFile);
        Lockfile l = lock(base.digest().toString());
        assertThatThrownBy(() -> l.checkMatches(base.withVariant("builder")))
                .isInstanceOf(LockMismatchException.class)
                .hasMessageStartingWith("images/python-builder.lock.json was made for another version of images/python.yaml (variant builder) (spec digest ");
    }

    @Test
    void checkMatches_archsDiffer_refused() {
        Path specFile = Path.of("images/python.yaml");
        ImageSpec base = SpecLoader.parse(SPEC, specFile);
        Lockfile l = new Lockfile(1, base.digest().toString(), null, List.of(new LockedRepository(REPO, null, REPO, "bookworm", null, RELEASE, null)),
                Map.of("amd64", List.of(pkg("libc6", "amd64"))));
        assertThatThrownBy(() -> l.checkMatches(base))
                .isInstanceOf(LockMismatchException.class)
                .hasMessage("images/python.lock.json locks the archs [amd64] but images/python.yaml asks for [amd64, arm64]; "
                        + "run `kolibri lock images/python.yaml`");
    }

    @Test
    void readFor_findsChecksAndExplainsMissingLock(@TempDir Path dir) throws IOException {
        ImageSpec base = spec(dir);
        assertThatThrownBy(() -> Lockfile.readFor(base))
                .isInstanceOf(LockException.class)
                .hasMessage(dir.resolve("python.lock.json") + ": no lockfile for " + dir.resolve("python.yaml")
                        + "; run `kolibri lock " + dir.resolve("python.yaml") + "`");
        Lockfile l = lock(base.digest().toString());
        l.write(Lockfile.pathFor(base));
        assertThat(Lockfile.readFor(base)).isEqualTo(l);
        assertThatThrownBy(() -> Lockfile.readFor(base.withVariant("builder"))).isInstanceOf(LockException.class)
                .hasMessageContaining("python-builder.lock.json: no lockfile");
    }

    @Test
    void read_missingFile_throwsNoSuchFile(@TempDir Path dir) {
        assertThatThrownBy(() -> Lockfile.read(dir.resolve("none.lock.json"))).isInstanceOf(NoSuchFileException.class);
    }
}
