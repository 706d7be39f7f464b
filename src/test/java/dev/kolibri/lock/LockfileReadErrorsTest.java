package dev.kolibri.lock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every refusal of {@link Lockfile#parse}: the file, the line where known, what is wrong. */
class LockfileReadErrorsTest {
    static final Path FILE = Path.of("images/python.lock.json");
    static final String SHA = "a".repeat(64);
    static final String VALID = """
            {
              "version": 2,
              "specDigest": "sha256:%s",
              "repositories": [
                {
                  "id": "r",
                  "type": "deb",
                  "url": "system",
                  "suite": "bookworm",
                  "releaseDigest": "sha256:%s",
                  "release": {
                    "origin": "Debian",
                    "label": "Debian",
                    "suite": "oldstable",
                    "codename": "bookworm",
                    "version": "12.12"
                  }
                }
              ],
              "packages": {
                "amd64": [
                  {
                    "name": "libc6",
                    "version": "2.36-9",
                    "arch": "amd64",
                    "source": "glibc",
                    "sourceVersion": "2.36-9",
                    "path": "pool/main/g/glibc/libc6.deb",
                    "size": 2800000,
                    "sha256": "%s",
                    "repository": "r"
                  }
                ]
              }
            }
            """.formatted(SHA, SHA, SHA);

    static Stream<Arguments> cases() {
        String pkg = VALID.substring(VALID.indexOf("      {\n        \"name\""), VALID.indexOf("    ]\n  }\n}"));
        return Stream.of(
                arguments("unsupported version", VALID.replace("\"version\": 2", "\"version\": 3"),
                        "images/python.lock.json:35: lockfile version 3 is not supported (this Kolibri reads versions 1 and 2); run `kolibri lock` again"),
                arguments("bad spec digest", VALID.replace("\"specDigest\": \"sha256:", "\"specDigest\": \"md5:"),
                        "images/python.lock.json:35: `specDigest` must be sha256:<64 hex digits>, not `md5:" + SHA + "`"),
                arguments("short sha256", VALID.replace("\"sha256\": \"" + SHA, "\"sha256\": \"abc"),
                        "images/python.lock.json:32: package `libc6`: `sha256` must be 64 lower-case hex digits, not `abc`"),
                arguments("upper-case sha256", VALID.replace("\"sha256\": \"" + SHA, "\"sha256\": \"" + SHA.toUpperCase()),
                        "images/python.lock.json:32: package `libc6`: `sha256` must be 64 lower-case hex digits, not `" + SHA.toUpperCase() + "`"),
                arguments("zero size", VALID.replace("2800000", "0"),
                        "images/python.lock.json:32: package `libc6`: `size` must be more than 0, not 0"),
                arguments("negative size", VALID.replace("2800000", "-1"),
                        "images/python.lock.json:32: package `libc6`: `size` must be more than 0, not -1"),
                arguments("missing size", VALID.replace("\"size\": 2800000,\n", ""),
                        "images/python.lock.json:31: not a valid lockfile: `packages.amd64[0].size` is missing"),
                arguments("missing path", VALID.replace("\"path\": \"pool/main/g/glibc/libc6.deb\",\n", ""),
                        "images/python.lock.json:31: package `libc6` has no `path`"),
                arguments("duplicate name for an arch", VALID.replace(pkg, pkg.replace("}\n", "},\n") + pkg),
                        "images/python.lock.json:46: package `libc6` is locked twice for arch amd64"),
                arguments("unknown repository", VALID.replace("\"repository\": \"r\"", "\"repository\": \"q\""),
                        "images/python.lock.json:35: package `libc6` (amd64) comes from repository `q`, which the lockfile does not list"),
                arguments("unknown key", VALID.replace("\"version\": 2,", "\"version\": 2,\n  \"extra\": true,"),
                        "images/python.lock.json:36: not a valid lockfile: unknown key `extra`; known keys here: contents, packages, repositories, sourceDateEpoch, specDigest, version"),
                arguments("duplicate key", VALID.replace("\"version\": 2,", "\"version\": 2,\n  \"version\": 2,"),
                        "images/python.lock.json:3: not a valid lockfile: Duplicate field 'version'"),
                arguments("empty file", "",
                        "images/python.lock.json:1: not a valid lockfile: No content to map due to end-of-input"),
                arguments("not JSON", "version = 1\n",
                        "images/python.lock.json:1: not a valid lockfile: Unrecognized token 'version': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
                arguments("truncated", VALID.substring(0, 200),
                        "images/python.lock.json:9: not a valid lockfile: Unexpected end-of-input within/between Object entries"),
                arguments("size as string", VALID.replace("2800000", "\"2800000\""),
                        "images/python.lock.json:29: not a valid lockfile: `packages.amd64[0].size`: Cannot coerce String value (\"2800000\") to `long` value"),
                arguments("version as number", VALID.replace("\"version\": \"2.36-9\"", "\"version\": 2.36"),
                        "images/python.lock.json:24: not a valid lockfile: `packages.amd64[0].version`: Cannot coerce Float value (2.36) to `java.lang.String` value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parse_badLockfile_refusedNamingFile(String title, String json, String message) {
        assertThatThrownBy(() -> Lockfile.parse(json.getBytes(StandardCharsets.UTF_8), FILE))
                .isInstanceOf(LockException.class)
                .hasMessage(message);
    }

    @Test
    void parse_validLockfile_readsIt() {
        Lockfile l = Lockfile.parse(VALID.getBytes(StandardCharsets.UTF_8), FILE);
        assertThat(l.packagesFor("amd64")).singleElement()
                .isEqualTo(new LockedPackage("libc6", "2.36-9", "amd64", "glibc", "2.36-9", "pool/main/g/glibc/libc6.deb", 2800000, SHA, "r"));
        assertThat(l.isLegacy()).isFalse();
        assertThat(l.repositories().get(0).release().codename()).isEqualTo("bookworm");
        assertThat(l.sourceDateEpoch()).isNull();
        assertThat(new String(l.toJson(), StandardCharsets.UTF_8)).isEqualTo(VALID);
    }

    /** Format 1 (absolute package URLs, no identity) is still read: its URL becomes the package's path. */
    @Test
    void parse_formatOneLockfile_readsItAsLegacy() {
        String v1 = """
                {
                  "version": 1,
                  "specDigest": "sha256:%s",
                  "repositories": [
                    {"id": "http://127.0.0.1/r/ bookworm", "url": "http://127.0.0.1/r/", "suite": "bookworm", "releaseDigest": "sha256:%s"}
                  ],
                  "packages": {"amd64": [{"name": "libc6", "version": "2.36-9", "arch": "amd64", "source": "glibc",
                    "sourceVersion": "2.36-9", "url": "http://127.0.0.1/r/libc6.deb", "size": 2800000, "sha256": "%s",
                    "repository": "http://127.0.0.1/r/ bookworm"}]}
                }
                """.formatted(SHA, SHA, SHA);
        Lockfile l = Lockfile.parse(v1.getBytes(StandardCharsets.UTF_8), FILE);
        assertThat(l.isLegacy()).isTrue();
        assertThat(l.packagesFor("amd64").get(0).path()).isEqualTo("http://127.0.0.1/r/libc6.deb");
        assertThat(l.repositories().get(0).type()).isEqualTo("deb");
        assertThat(l.repositories().get(0).release()).isNull();
        // data binding reads it the same way
        assertThat(LockJson.bind(v1.getBytes(StandardCharsets.UTF_8), FILE)).isEqualTo(l);
    }
}
