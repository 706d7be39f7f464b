package dev.kolibri.build;

import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A tiny Fedora-shaped RPM repository made by the reference tools, for whole-image builds: packages by
 * {@code rpmbuild} from {@code src/test/resources/rpmimage/fixture.spec} ({@code hello} holds a static binary
 * compiled here with {@code gcc -static}), metadata by {@code createrepo_c}, {@code repomd.xml} signed by a
 * throwaway {@code gpg} key. Built once per JVM; {@link #copy(Path)} gives a test its own repository to tamper with.
 *
 * <p>Packages: {@code setup} (etc/passwd, etc/group with a {@code daemon} user), {@code filesystem} (directories,
 * 0555 {@code /usr/bin}, 1777 {@code /tmp}, usr-merge links), {@code fixture-release} (os-release, ID
 * {@code kolibrifix}), {@code fedora-release-common} (no files; provides {@code system-release} and
 * {@code system-release(43)}, as Fedora's does, for the scans that take the release from the rpmdb), {@code libgreet} (epoch 2; {@code /usr/share/greet/greeting.txt} only in filelists),
 * {@code hello} (the binary; needs {@code libgreet >= 2:1.0} and that file; a file owned by daemon), {@code pyrt}
 * (recommends {@code pyrt-docs}), {@code pyrt-devel} (needs {@code /bin/sh}), {@code minishell} (provides it).
 */
public final class RpmImageFixture {
    /** SOURCE_DATE_EPOCH of the rpmbuild run (build times and clamped mtimes). */
    public static final long EPOCH = 1_700_000_000L;

    private static Path built;

    /** The repository directory ({@code repodata/}, {@code *.rpm}) and the public key file that signs it. */
    public record Repo(Path dir, Path keyring, Path gpgHome) {}

    private RpmImageFixture() {}

    /** The shared repository (do not modify it; {@link #copy} one to tamper with). */
    public static synchronized Repo repo() throws IOException {
        Tools.require("gcc", "rpmbuild", "createrepo_c", "gpg");
        if (built == null) built = make(Files.createTempDirectory("krpmimage"));
        return new Repo(built.resolve("repo"), built.resolve("key.gpg"), built.resolve("gnupg"));
    }

    /** A copy of the repository (same packages, same signature) in {@code dir}. */
    public static Repo copy(Path dir) throws IOException {
        Repo r = repo();
        Tools.ok(null, "cp", "-a", r.dir().toString(), dir.resolve("repo").toString());
        Files.copy(r.keyring(), dir.resolve("key.gpg"));
        return new Repo(dir.resolve("repo"), dir.resolve("key.gpg"), r.gpgHome());
    }

    private static Path make(Path root) throws IOException {
        Path gcc = Files.createDirectories(root.resolve("gcc"));
        Files.writeString(gcc.resolve("hello.c"), """
                #include <stdio.h>
                #include <unistd.h>
                int main(void) { printf("hello from uid %d\\n", (int) getuid()); return 0; }
                """);
        Tools.Result cc = Tools.run(gcc, Map.of(), List.of("gcc", "-static", "-O2", "-o", "hello", "hello.c"));
        Assumptions.assumeTrue(cc.exit() == 0, () -> "skipped: gcc -static failed (is libc6-dev installed?): " + cc.err());

        Path spec = Path.of("src/test/resources/rpmimage/fixture.spec").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("rpmbuild", "--quiet",
                "--define", "_topdir " + root.resolve("top"),
                "--define", "hellobin " + gcc.resolve("hello"),
                "--define", "_build_id_links none",
                "--define", "debug_package %{nil}",
                "--define", "__os_install_post %{nil}",
                "--define", "use_source_date_epoch_as_buildtime 1",
                "--define", "clamp_mtime_to_source_date_epoch 1",
                "-bb", spec.toString()));
        Tools.run(root, Map.of("SOURCE_DATE_EPOCH", Long.toString(EPOCH), "HOME", root.toString()), cmd).orFail(cmd);

        Path repo = Files.createDirectories(root.resolve("repo"));
        try (Stream<Path> s = Files.walk(root.resolve("top/RPMS"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".rpm")).sorted().toList()) {
                Files.copy(p, repo.resolve(p.getFileName()));
            }
        }
        Tools.ok(repo, "createrepo_c", "--quiet", "--no-database", ".");

        Path home = Files.createDirectories(root.resolve("gnupg"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        gpg(home, "--quick-gen-key", "Kolibri Fixture <fixture@example.org>", "ed25519", "sign", "never");
        gpg(home, "--output", root.resolve("key.gpg").toString(), "--export");
        sign(new Repo(repo, root.resolve("key.gpg"), home));
        return root;
    }

    /** Signs (again) {@code repodata/repomd.xml} with the fixture key: {@code repomd.xml.asc}. */
    public static void sign(Repo r) {
        Path repomd = r.dir().resolve("repodata/repomd.xml");
        gpg(r.gpgHome(), "--armor", "--detach-sign", "--output", repomd + ".asc", repomd.toString());
    }

    private static void gpg(Path home, String... args) {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--yes", "--no-tty", "--pinentry-mode", "loopback",
                "--passphrase", ""));
        cmd.addAll(List.of(args));
        Tools.run(home, Map.of("GNUPGHOME", home.toString()), cmd).orFail(cmd);
    }

    /** Stops the fixture's gpg agent. */
    static void stopAgent() {
        if (built == null) return;
        Tools.run(null, Map.of("GNUPGHOME", built.resolve("gnupg").toString()), List.of("gpgconf", "--kill", "gpg-agent"));
    }

    /** A definition in {@code dir} ({@code NAME.yaml}) reading {@code repoUrl} signed by the key file next to it. */
    public static Path definition(Path dir, String name, String repoUrl, String packagesAndRest) {
        try {
            return Files.writeString(dir.resolve(name + ".yaml"), """
                    name: %s
                    version: "1"
                    repositories:
                      - type: rpm
                        url: %s
                        keyring: key.gpg
                    archs: [amd64]
                    %s
                    """.formatted(name, repoUrl, packagesAndRest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
