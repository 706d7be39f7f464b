package dev.kolibri.sbom;

import dev.kolibri.testing.DebBuilder;
import dev.kolibri.testing.Tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A small signed Debian repository (amd64, one component) made by the reference tools: dpkg-deb (via
 * {@link DebBuilder}), {@code apt-ftparchive packages|release} and {@code gpg --clearsign}. The public key is
 * written to {@code keyring.gpg} beside the repository.
 */
final class SignedFixtureRepo {
    final Path root;
    final Path keyring;

    private SignedFixtureRepo(Path root, Path keyring) {
        this.root = root;
        this.keyring = keyring;
    }

    static SignedFixtureRepo build(Path dir, String suite, List<DebBuilder> debs) throws IOException {
        Tools.require("dpkg-deb", "apt-ftparchive", "gpg", "gpgconf");
        Path root = Files.createDirectories(dir.resolve("repo"));
        for (DebBuilder d : debs) d.build(root.resolve("pool/main"));
        Path dists = root.resolve("dists").resolve(suite);
        Path bin = Files.createDirectories(dists.resolve("main/binary-amd64"));
        Files.writeString(bin.resolve("Packages"), Tools.ok(root, "apt-ftparchive", "packages", "pool/main").out());
        String release = Tools.ok(dists, "apt-ftparchive",
                "-o", "APT::FTPArchive::Release::Suite=" + suite,
                "-o", "APT::FTPArchive::Release::Codename=" + suite,
                "-o", "APT::FTPArchive::Release::Architectures=amd64",
                "-o", "APT::FTPArchive::Release::Components=main",
                "release", ".").out();
        Files.writeString(dists.resolve("Release"), release);

        Path home = Files.createTempDirectory("ksbomgpg");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = Map.of("GNUPGHOME", home.toString());
        try {
            gpg(env, "--quick-gen-key", "Kolibri SBOM Tests <sbom@kolibri.invalid>", "ed25519", "sign", "never");
            gpg(env, "--clearsign", "--output", dists.resolve("InRelease").toString(), dists.resolve("Release").toString());
            Path keyring = dir.resolve("keyring.gpg");
            gpg(env, "--output", keyring.toString(), "--export");
            return new SignedFixtureRepo(root, keyring);
        } finally {
            Tools.run(null, env, List.of("gpgconf", "--kill", "gpg-agent"));
        }
    }

    private static void gpg(Map<String, String> env, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("gpg", "--batch", "--yes", "--no-tty", "--pinentry-mode",
                "loopback", "--passphrase", ""));
        cmd.addAll(List.of(args));
        Tools.run(null, env, cmd).orFail(cmd);
    }
}
