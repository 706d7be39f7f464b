package dev.kolibri.repo;

import dev.kolibri.testing.GpgFixture;
import dev.kolibri.oci.Digest;
import dev.kolibri.testing.Tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * RPM fixture repositories made by the reference tools: packages by {@code rpmbuild} from
 * {@code src/test/resources/rpmrepo/*.spec}, metadata by {@code createrepo_c} (zstd by the {@code zstd} tool, as
 * this createrepo_c build lacks it), modules by {@code modifyrepo_c}, signatures by gpg.
 */
final class RpmFixture {
    private static Path built;

    private RpmFixture() {}

    /** The packages, built once per JVM: {@code RPMS/<arch>/*.rpm} and {@code SRPMS/}. */
    static synchronized Path packages() throws IOException {
        if (built != null) return built;
        Tools.require("rpmbuild", "createrepo_c", "zstd", "gpg");
        Path top = Files.createTempDirectory("krpmtop");
        Path specs = Path.of("src/test/resources/rpmrepo").toAbsolutePath();
        rpmbuild(top, specs.resolve("suite.spec"), "-bb");
        one(top, "-bb", "libfoo", "1.5", false);
        one(top, "-bb", "libfoo", "2.0", false);
        one(top, "-bb", "libfoo", "2.0", false, "--target", "i686");
        one(top, "-bb", "ep", "1.0", true, "--define", "pepoch 1");
        one(top, "-bb", "ep", "2.0", true);
        one(top, "-bb", "tl", "1.0~rc1", true);
        one(top, "-ba", "tl", "1.0", true);
        one(top, "-bb", "cr", "1.0", true);
        one(top, "-bb", "cr", "1.0^git1", true);
        one(top, "-bb", "oldname", "1.0", true);
        one(top, "-bb", "newname", "2.0", true, "--define", "pobsoletes oldname < 2.0", "--define", "pprovides oldname = 2.0");
        built = top;
        return top;
    }

    private static void one(Path top, String mode, String name, String ver, boolean noarch, String... extra) {
        List<String> args = new ArrayList<>(List.of("--define", "pname " + name, "--define", "pver " + ver));
        if (noarch) args.addAll(List.of("--define", "noarch 1"));
        args.addAll(List.of(extra));
        rpmbuild(top, Path.of("src/test/resources/rpmrepo/one.spec").toAbsolutePath(), mode, args.toArray(String[]::new));
    }

    private static void rpmbuild(Path top, Path spec, String mode, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("rpmbuild", "--define", "_topdir " + top, "--define", "_build_id_links none",
                "--define", "debug_package %{nil}"));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of(mode, spec.toString()));
        Tools.run(top, java.util.Map.of("HOME", top.toString()), cmd).orFail(cmd);
    }

    /**
     * A repository in {@code dir} with every fixture package (and the one source rpm), metadata compressed with
     * {@code compression} (gz, xz, zst, bz2); unsigned.
     */
    static Path repo(Path dir, String compression) throws IOException {
        Path top = packages();
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.walk(top.resolve("RPMS"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".rpm")).toList()) Files.copy(p, dir.resolve(p.getFileName()));
        }
        try (Stream<Path> s = Files.walk(top.resolve("SRPMS"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".rpm")).toList()) Files.copy(p, dir.resolve(p.getFileName()));
        }
        String type = compression.equals("zst") ? "gz" : compression;
        Tools.ok(dir, "createrepo_c", "--no-database", "--general-compress-type", type, ".");
        if (compression.equals("zst")) {
            recompressZstd(dir, "primary");
            recompressZstd(dir, "filelists");
        }
        return dir;
    }

    /** Replaces the {@code type} file by a zstd one and rewrites its {@code <data>} entry in repomd.xml. */
    private static void recompressZstd(Path repo, String type) throws IOException {
        Path repomd = repo.resolve("repodata/repomd.xml");
        String xml = Files.readString(repomd);
        Matcher m = Pattern.compile("<data type=\"" + type + "\">.*?</data>", Pattern.DOTALL).matcher(xml);
        if (!m.find()) throw new AssertionError("no " + type + " in " + repomd);
        String block = m.group();
        Matcher href = Pattern.compile("href=\"(repodata/[^\"]+\\.gz)\"").matcher(block);
        if (!href.find()) throw new AssertionError("no .gz href in " + block);
        Path gz = repo.resolve(href.group(1));
        Tools.ok(gz.getParent(), "gzip", "-d", "-k", gz.getFileName().toString());
        Path plain = Path.of(gz.toString().replaceFirst("\\.gz$", ""));
        Tools.ok(plain.getParent(), "zstd", "-q", "-19", plain.getFileName().toString());
        Path zst = Path.of(plain + ".zst");
        String sum = Digest.sha256(zst).hex();
        Path named = zst.resolveSibling(sum + "-" + type + ".xml.zst");
        Files.move(zst, named);
        Files.delete(plain);
        Files.delete(gz);
        String newBlock = block
                .replaceFirst("<checksum type=\"sha256\">[0-9a-f]+</checksum>", "<checksum type=\"sha256\">" + sum + "</checksum>")
                .replace(href.group(1), "repodata/" + named.getFileName())
                .replaceFirst("<size>[0-9]+</size>", "<size>" + Files.size(named) + "</size>");
        Files.writeString(repomd, xml.replace(block, newBlock));
    }

    /** Adds a {@code modules} metadata file with {@code modifyrepo_c}. */
    static void addModules(Path repo) throws IOException {
        Path yaml = repo.resolve("modules.yaml");
        Files.writeString(yaml, """
                ---
                document: modulemd-defaults
                version: 1
                data:
                  module: tl
                  stream: "1"
                ...
                """);
        Tools.ok(repo, "modifyrepo_c", "--mdtype=modules", "modules.yaml", "repodata");
        Files.delete(yaml);
    }

    /** {@code gpg --detach-sign --armor repodata/repomd.xml}. */
    static void sign(Path repo, GpgFixture key) throws IOException {
        Path repomd = repo.resolve("repodata/repomd.xml");
        Files.write(repo.resolve("repodata/repomd.xml.asc"), key.detachSign(Files.readAllBytes(repomd), true));
    }
}
