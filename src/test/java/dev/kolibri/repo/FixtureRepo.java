package dev.kolibri.repo;

import dev.kolibri.oci.Digest;
import dev.kolibri.testing.DebBuilder;
import dev.kolibri.testing.Tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Debian repository made by the reference tools: .debs by dpkg-deb, Packages by {@code apt-ftparchive packages},
 * Release by {@code apt-ftparchive release}, signatures by gpg.
 */
final class FixtureRepo {
    final Path root;
    final String suite;
    final String codename;
    private final Map<String, List<DebBuilder>> components = new LinkedHashMap<>();
    private List<String> compressions = List.of("xz", "gz");
    private boolean byHash;
    private String extraReleaseField;

    FixtureRepo(Path root, String suite, String codename) {
        this.root = root;
        this.suite = suite;
        this.codename = codename;
    }

    FixtureRepo add(String component, DebBuilder deb) {
        components.computeIfAbsent(component, c -> new ArrayList<>()).add(deb);
        return this;
    }

    /** Which compressed indexes to write besides the plain one ("xz", "gz"). */
    FixtureRepo compressions(String... c) {
        compressions = List.of(c);
        return this;
    }

    FixtureRepo byHash() {
        byHash = true;
        return this;
    }

    /** A field added to the Release file before signing (e.g. Valid-Until). */
    FixtureRepo releaseField(String line) {
        extraReleaseField = line;
        return this;
    }

    Path dists() {
        return root.resolve("dists").resolve(suite);
    }

    /** Builds pool, indexes and an unsigned Release; returns the Release path. */
    Path build() throws IOException {
        Tools.require("dpkg-deb", "apt-ftparchive", "xz", "gzip");
        for (var e : components.entrySet()) {
            Path pool = root.resolve("pool").resolve(e.getKey());
            for (DebBuilder d : e.getValue()) d.build(pool);
            Path bin = dists().resolve(e.getKey()).resolve("binary-amd64");
            Files.createDirectories(bin);
            String index = Tools.ok(root, "apt-ftparchive", "packages", "pool/" + e.getKey()).out();
            Files.writeString(bin.resolve("Packages"), index);
            if (compressions.contains("xz")) Tools.ok(bin, "xz", "-k", "-f", "Packages");
            if (compressions.contains("gz")) Tools.ok(bin, "gzip", "-k", "-n", "-f", "Packages");
            if (byHash) {
                Path h = Files.createDirectories(bin.resolve("by-hash/SHA256"));
                try (var files = Files.list(bin)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        Files.copy(f, h.resolve(Digest.sha256(f).hex()));
                    }
                }
            }
        }
        String comps = String.join(" ", components.keySet());
        String release = Tools.ok(dists(), "apt-ftparchive",
                "-o", "APT::FTPArchive::Release::Origin=Kolibri",
                "-o", "APT::FTPArchive::Release::Suite=" + suite,
                "-o", "APT::FTPArchive::Release::Codename=" + codename,
                "-o", "APT::FTPArchive::Release::Architectures=amd64",
                "-o", "APT::FTPArchive::Release::Components=" + comps,
                "release", ".").out();
        StringBuilder head = new StringBuilder();
        if (byHash) head.append("Acquire-By-Hash: yes\n");
        if (extraReleaseField != null) head.append(extraReleaseField).append('\n');
        release = release.replaceFirst("(?m)^MD5Sum:", head + "MD5Sum:");
        Path r = dists().resolve("Release");
        Files.writeString(r, release, StandardCharsets.UTF_8);
        return r;
    }

    /** Writes InRelease, clearsigned by {@code key}. */
    void signInRelease(GpgFixture key) throws IOException {
        Files.write(dists().resolve("InRelease"), key.clearsign(Files.readAllBytes(dists().resolve("Release"))));
    }

    /** Writes Release.gpg, a detached armored signature by {@code key}. */
    void signDetached(GpgFixture key) throws IOException {
        Files.write(dists().resolve("Release.gpg"), key.detachSign(Files.readAllBytes(dists().resolve("Release")), true));
    }
}
