package dev.kolibri.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecLoader;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A certificate added by {@code contents:} under {@code /usr/local/share/ca-certificates/} joins the image's CA
 * bundle, as {@code update-ca-certificates} would have it: {@code openssl verify} accepts a server certificate it
 * signed against the bundle unpacked by umoci, and the hash link is there. The certificate stays in its own layer,
 * the bundle in the image's.
 */
class ContentsCaTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    static String openssl(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        return Tools.run(dir, Map.of(), cmd).orFail(cmd).out();
    }

    @Test
    void localCertificate_joinsTheBundle_andVerifiesAServerItSigned() throws Exception {
        Tools.require("openssl", "umoci", "tar");
        Path pki = Files.createDirectories(dir.resolve("pki"));
        openssl(pki, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "pkg.key", "-out", "pkg.crt",
                "-subj", "/CN=Fixture Package Root", "-days", "3650");
        openssl(pki, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "proxy.key", "-out", "proxy.crt",
                "-subj", "/O=Example Corp/CN=Example Corp TLS Inspection CA", "-days", "3650",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl(pki, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr",
                "-subj", "/CN=intranet.example.org");
        openssl(pki, "x509", "-req", "-in", "leaf.csr", "-CA", "proxy.crt", "-CAkey", "proxy.key", "-CAcreateserial",
                "-out", "leaf.crt", "-days", "365");

        try (FixtureImages f = new FixtureImages(dir.resolve("fx"))) {
            List<LockedPackage> packages = f.lockAll(List.of(
                    FixtureImages.pkg("base-files", "1", "base-files", 1_600_000_000L, "etc/os-release", "ID=fixture\n"),
                    FixtureImages.pkg("ca-certificates", "1", "ca-certificates", 1_600_000_000L,
                            "usr/share/ca-certificates/fixture/Fixture_Package_Root.crt", Files.readString(pki.resolve("pkg.crt")))));
            Path defs = dir.resolve("defs");
            ImageSpec plain = f.spec(defs, "tls", List.of("base-files", "ca-certificates"), "origin", 32);
            Files.createDirectories(defs.resolve("certs"));
            Files.copy(pki.resolve("proxy.crt"), defs.resolve("certs/proxy.crt"));
            Files.writeString(plain.source(), Files.readString(plain.source())
                    + "contents:\n  - {from: certs/proxy.crt, to: /usr/local/share/ca-certificates/}\n");
            ImageSpec spec = SpecLoader.load(plain.source());
            Path out = dir.resolve("out/tls");
            f.build(spec, packages, out, null);

            Path bundle = dir.resolve("bundle");
            List<String> unpack = new ArrayList<>(List.of("umoci", "unpack"));
            if (!"0".equals(Tools.run(null, Map.of(), List.of("id", "-u")).out().strip())) unpack.add("--rootless");
            unpack.addAll(List.of("--image", out + ":latest-amd64", bundle.toString()));
            Tools.run(null, Map.of(), unpack).orFail(unpack);
            Path rootfs = bundle.resolve("rootfs");
            Path caFile = rootfs.resolve("etc/ssl/certs/ca-certificates.crt");
            assertThat(Files.readString(caFile)).contains(Files.readString(pki.resolve("proxy.crt")))
                    .contains(Files.readString(pki.resolve("pkg.crt")));
            assertThat(openssl(pki, "verify", "-CAfile", caFile.toString(), "leaf.crt").strip()).isEqualTo("leaf.crt: OK");
            List<String> withoutProxy = List.of("openssl", "verify", "-CAfile", "pkg.crt", "leaf.crt");
            assertThat(Tools.run(pki, Map.of(), withoutProxy).exit()).isNotZero();
            String hash = openssl(pki, "x509", "-subject_hash", "-noout", "-in", "proxy.crt").strip();
            Path link = rootfs.resolve("etc/ssl/certs/" + hash + ".0");
            assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("proxy.pem");
            assertThat(Files.readSymbolicLink(rootfs.resolve("etc/ssl/certs/proxy.pem")).toString())
                    .isEqualTo("/usr/local/share/ca-certificates/proxy.crt");
            Tools.run(null, Map.of(), List.of("rm", "-rf", bundle.toString()));

            Map<String, Path> layers = layers(out, "latest-amd64");
            assertThat(new ArrayList<>(layers.keySet()).subList(layers.size() - 2, layers.size()))
                    .containsExactly("contents:/usr/local/share/ca-certificates", "image");
            assertThat(tar(layers.get("contents:/usr/local/share/ca-certificates")))
                    .contains("usr/local/share/ca-certificates/proxy.crt").doesNotContain("etc/ssl");
            assertThat(tar(layers.get("image"))).contains("etc/ssl/certs/ca-certificates.crt")
                    .doesNotContain("usr/local/share/ca-certificates/proxy.crt");
        }
    }

    static Map<String, Path> layers(Path layout, String tag) throws Exception {
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        Map<String, Path> out = new LinkedHashMap<>();
        for (JsonNode m : index.path("manifests")) {
            if (!m.path("annotations").path("org.opencontainers.image.ref.name").asText().equals(tag)) continue;
            JsonNode man = JSON.readTree(blob(layout, m.path("digest").asText()).toFile());
            for (JsonNode l : man.path("layers")) {
                out.put(l.path("annotations").path("dev.kolibri.layer.name").asText(), blob(layout, l.path("digest").asText()));
            }
        }
        return out;
    }

    static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    static String tar(Path layer) {
        List<String> cmd = List.of("tar", "-tzf", layer.toString());
        return Tools.run(null, Map.of(), cmd).orFail(cmd).out();
    }
}
