package dev.kolibri.pkg.rpm;

import dev.kolibri.testing.Tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real RPMs made by {@code rpmbuild} from the specs in {@code src/test/resources/rpm/}, once per JVM and payload
 * compressor. {@code hello} packages a static binary compiled here with {@code gcc -static}.
 */
final class RpmFixtures {
    static final long EPOCH = 1_700_000_000L;
    static final Map<String, String> PAYLOADS = Map.of("gzip", "w9.gzdio", "xz", "w2.xzdio", "zstd", "w19.zstdio",
            "bzip2", "w9.bzdio", "lzma", "w6.lzdio");
    private static final Map<String, Path> BUILT = new HashMap<>();
    private static Path root;
    private static Path helloBinary;

    private RpmFixtures() {}

    static Path kitchen(String compressor) {
        return find(build(compressor, "kitchen"), "kitchen-");
    }

    static Path hello(String compressor) {
        Tools.require("gcc");
        return find(build(compressor, "hello"), "hello-");
    }

    static synchronized Path helloBinary() {
        Tools.require("gcc");
        if (helloBinary == null) {
            Path dir = root().resolve("gcc");
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("hello.c"), "#include <stdio.h>\nint main(void){puts(\"hello from kolibri\");return 0;}\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var r = Tools.run(dir, Map.of(), List.of("gcc", "-static", "-O2", "-o", "hello", "hello.c"));
            org.junit.jupiter.api.Assumptions.assumeTrue(r.exit() == 0,
                    () -> "skipped: gcc -static failed (is libc6-dev installed?): " + r.err());
            helloBinary = dir.resolve("hello");
        }
        return helloBinary;
    }

    private static synchronized Path build(String compressor, String spec) {
        Tools.require("rpmbuild");
        String key = compressor + "/" + spec;
        Path out = BUILT.get(key);
        if (out != null) return out;
        out = root().resolve("out-" + compressor + "-" + spec);
        List<String> cmd = new ArrayList<>(List.of("rpmbuild", "--quiet",
                "--define", "_topdir " + root().resolve("top-" + compressor + "-" + spec),
                "--define", "_rpmdir " + out,
                "--define", "_binary_payload " + PAYLOADS.get(compressor),
                "--define", "_build_id_links none",
                "--define", "debug_package %{nil}",
                "--define", "__os_install_post %{nil}",
                "--define", "use_source_date_epoch_as_buildtime 1",
                "--define", "clamp_mtime_to_source_date_epoch 1",
                "--define", "_buildhost kolibri-test"));
        if (spec.equals("hello")) cmd.addAll(List.of("--define", "hellobin " + helloBinary()));
        cmd.addAll(List.of("-bb", specFile(spec).toString()));
        Tools.run(null, Map.of("SOURCE_DATE_EPOCH", Long.toString(EPOCH)), cmd).orFail(cmd);
        BUILT.put(key, out);
        return out;
    }

    static Path specFile(String name) {
        Path p = Path.of("src/test/resources/rpm", name + ".spec").toAbsolutePath();
        if (!Files.exists(p)) throw new IllegalStateException("missing " + p);
        return p;
    }

    private static Path find(Path dir, String prefix) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".rpm"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("rpmbuild made no " + prefix + "*.rpm in " + dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("kolibri-rpm-fixtures");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** A copy of {@code rpm} with the byte at {@code offset} (negative: from the end) flipped. */
    static Path tampered(Path rpm, long offset) throws IOException {
        byte[] b = Files.readAllBytes(rpm);
        int at = (int) (offset < 0 ? b.length + offset : offset);
        b[at] ^= 0x5a;
        Path out = Files.createTempFile(root(), "tampered", ".rpm");
        Files.write(out, b);
        return out;
    }
}
