package dev.kolibri.scan;

import dev.kolibri.testing.DebBuilder;
import dev.kolibri.testing.StaticHttpServer;
import dev.kolibri.testing.Tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A signed Debian repository (suite bookworm, component main, amd64) made by the reference tools, served on
 * 127.0.0.1: .debs by dpkg-deb, Packages and Release by apt-ftparchive, InRelease by gpg. {@link #publish} may be
 * called again with more packages (a repository that received an update).
 */
final class FixtureDebRepo implements AutoCloseable {
    final Path root;
    final Path keyring;
    private final Path gpgHome;
    private final StaticHttpServer server;

    private FixtureDebRepo(Path root, Path gpgHome, Path keyring, StaticHttpServer server) {
        this.root = root;
        this.gpgHome = gpgHome;
        this.keyring = keyring;
        this.server = server;
    }

    static FixtureDebRepo create(Path dir) throws IOException {
        Tools.require("dpkg-deb", "apt-ftparchive", "gpg");
        Path root = Files.createDirectories(dir.resolve("repo"));
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        gpg(home, "--quick-gen-key", "Scan Fixture <scan@kolibri.invalid>", "ed25519", "sign", "never");
        Path keyring = dir.resolve("fixture-keyring.gpg");
        gpg(home, "--output", keyring.toString(), "--export");
        return new FixtureDebRepo(root, home, keyring, StaticHttpServer.serve(root));
    }

    String url() {
        return server.base().toString();
    }

    /** (Re)writes pool, Packages, Release and InRelease with exactly these packages. */
    void publish(List<DebBuilder> debs) throws IOException {
        Path pool = root.resolve("pool/main");
        for (DebBuilder d : debs) d.build(pool);
        Path dists = root.resolve("dists/bookworm");
        Path bin = Files.createDirectories(dists.resolve("main/binary-amd64"));
        Files.writeString(bin.resolve("Packages"), Tools.ok(root, "apt-ftparchive", "packages", "pool/main").out());
        Tools.ok(bin, "xz", "-k", "-f", "Packages");
        String release = Tools.ok(dists, "apt-ftparchive",
                "-o", "APT::FTPArchive::Release::Origin=Debian",
                "-o", "APT::FTPArchive::Release::Label=Debian",
                "-o", "APT::FTPArchive::Release::Version=12.9",
                "-o", "APT::FTPArchive::Release::Suite=bookworm",
                "-o", "APT::FTPArchive::Release::Codename=bookworm",
                "-o", "APT::FTPArchive::Release::Architectures=amd64",
                "-o", "APT::FTPArchive::Release::Components=main",
                "release", ".").out();
        Files.writeString(dists.resolve("Release"), release);
        Files.deleteIfExists(dists.resolve("InRelease"));
        gpg(gpgHome, "--clearsign", "--output", dists.resolve("InRelease").toString(), dists.resolve("Release").toString());
    }

    /** An image definition for these packages from this repository, written as {@code dir/NAME.yaml}. */
    Path spec(Path dir, String name, List<String> packages) throws IOException {
        Files.createDirectories(dir);
        String yaml = "name: " + name + "\n"
                + "version: \"1\"\n"
                + "repositories:\n"
                + "  - type: deb\n"
                + "    url: " + url() + "\n"
                + "    suite: bookworm\n"
                + "    components: [main]\n"
                + "    keyring: " + keyring + "\n"
                + "packages: [" + String.join(", ", packages) + "]\n"
                + "archs: [amd64]\n";
        Path spec = dir.resolve(name + ".yaml");
        Files.writeString(spec, yaml);
        return spec;
    }

    private static void gpg(Path home, String... args) {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--yes", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""));
        cmd.addAll(List.of(args));
        Tools.run(home, Map.of("GNUPGHOME", home.toString()), cmd).orFail(cmd);
    }

    // ------------------------------------------------------------------ the packages the scan tests use

    static final String OS_RELEASE = """
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME="Debian GNU/Linux"
            VERSION_ID="12"
            VERSION="12 (bookworm)"
            VERSION_CODENAME=bookworm
            ID=debian
            """;

    static DebBuilder baseFiles() {
        return DebBuilder.deb("base-files", "12.4+deb12u5", "amd64")
                .file("usr/lib/os-release", OS_RELEASE)
                .symlink("etc/os-release", "../usr/lib/os-release");
    }

    /** A binNMU: binary 1.0-1+b1 built from source foo 1.0-1. */
    static DebBuilder libfoo1v1() {
        return DebBuilder.deb("libfoo1", "1.0-1+b1", "amd64").field("Source", "foo (1.0-1)")
                .file("usr/lib/x86_64-linux-gnu/libfoo.so.1", "foo v1\n");
    }

    /** The fixed version (DSA-9001-1 is fixed in source foo 1.0-2). */
    static DebBuilder libfoo1v2() {
        return DebBuilder.deb("libfoo1", "1.0-2", "amd64").field("Source", "foo")
                .file("usr/lib/x86_64-linux-gnu/libfoo.so.1", "foo v2\n");
    }

    static DebBuilder bar() {
        return DebBuilder.deb("bar", "2.0-1", "all").file("usr/share/bar/README", "bar\n");
    }

    @Override
    public void close() {
        server.close();
        Tools.run(null, Map.of("GNUPGHOME", gpgHome.toString()), List.of("gpgconf", "--kill", "gpg-agent"));
    }
}
