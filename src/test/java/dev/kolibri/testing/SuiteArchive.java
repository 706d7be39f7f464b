package dev.kolibri.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Debian-shaped archive with several suites, made by the reference tools: {@code .deb}s by {@code dpkg-deb},
 * {@code Packages} and {@code Release} by {@code apt-ftparchive} (with the Release fields a real archive carries:
 * Origin, Label, Suite, Codename, Version), {@code InRelease} by {@code gpg --clearsign}. Indexes for amd64,
 * arm64 and armhf (the packages are {@code all} or of one of them). One key signs every suite, as Debian's archive key does.
 */
public final class SuiteArchive {
    private final Path root;
    private final Path gpgHome;
    private final Path keyring;

    private SuiteArchive(Path root, Path gpgHome, Path keyring) {
        this.root = root;
        this.gpgHome = gpgHome;
        this.keyring = keyring;
    }

    /** A new archive in {@code dir/NAME} signed by a new key in {@code dir/gnupg} (shared by archives in {@code dir}). */
    public static SuiteArchive create(Path dir, String name) throws IOException {
        Tools.require("dpkg-deb", "apt-ftparchive", "gpg");
        Path home = dir.resolve("gnupg");
        Path keyring = dir.resolve("archive-keyring.gpg");
        if (!Files.isDirectory(home)) {
            Files.createDirectories(home);
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            gpg(home, "--quick-gen-key", "Archive Fixture <archive@kolibri.invalid>", "ed25519", "sign", "never");
            gpg(home, "--output", keyring.toString(), "--export");
        }
        return new SuiteArchive(Files.createDirectories(dir.resolve(name)), home, keyring);
    }

    public Path root() {
        return root;
    }

    public Path keyring() {
        return keyring;
    }

    /** The Release fields of a Debian suite: Origin Debian, Label, Suite, Codename, and Version when not null. */
    public static Map<String, String> debian(String label, String suite, String codename, String version) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Origin", "Debian");
        f.put("Label", label);
        f.put("Suite", suite);
        f.put("Codename", codename);
        if (version != null) f.put("Version", version);
        return f;
    }

    /** Writes {@code dists/CODENAME} (component main, amd64 and arm64) with exactly these packages, signed. */
    public void publish(Map<String, String> release, List<DebBuilder> debs) throws IOException {
        String codename = release.get("Codename");
        Path pool = root.resolve("pool/main/" + codename);
        for (DebBuilder d : debs) d.build(pool);
        Path dists = root.resolve("dists/" + codename);
        String packages = Tools.ok(root, "apt-ftparchive", "packages", "pool/main/" + codename).out();
        for (String arch : List.of("amd64", "arm64", "armhf")) {
            Path bin = Files.createDirectories(dists.resolve("main/binary-" + arch));
            Files.writeString(bin.resolve("Packages"), packages);
            Tools.ok(bin, "xz", "-k", "-f", "Packages");
        }
        List<String> cmd = new ArrayList<>(List.of("apt-ftparchive"));
        for (var e : release.entrySet()) cmd.addAll(List.of("-o", "APT::FTPArchive::Release::" + e.getKey() + "=" + e.getValue()));
        cmd.addAll(List.of("-o", "APT::FTPArchive::Release::Architectures=amd64 arm64 armhf",
                "-o", "APT::FTPArchive::Release::Components=main", "release", "."));
        Files.writeString(dists.resolve("Release"), Tools.ok(dists, cmd.toArray(String[]::new)).out());
        Files.deleteIfExists(dists.resolve("InRelease"));
        gpg(gpgHome, "--clearsign", "--output", dists.resolve("InRelease").toString(), dists.resolve("Release").toString());
    }

    private static void gpg(Path home, String... args) {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--yes", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""));
        cmd.addAll(List.of(args));
        Tools.run(home, Map.of("GNUPGHOME", home.toString()), cmd).orFail(cmd);
    }
}
