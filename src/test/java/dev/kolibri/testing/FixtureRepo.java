package dev.kolibri.testing;

import dev.kolibri.oci.Digest;

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
 * Release by {@code apt-ftparchive release}, signatures by gpg. Shared by the repository tests and the end-to-end
 * tests.
 */
public final class FixtureRepo {
    public final Path root;
    public final String suite;
    public final String codename;
    private final Map<String, List<DebBuilder>> components = new LinkedHashMap<>();
    private List<String> compressions = List.of("xz", "gz");
    private List<String> archs;
    private boolean byHash;
    private String extraReleaseField;

    public FixtureRepo(Path root, String suite, String codename) {
        this.root = root;
        this.suite = suite;
        this.codename = codename;
    }

    public FixtureRepo add(String component, DebBuilder deb) {
        components.computeIfAbsent(component, c -> new ArrayList<>()).add(deb);
        return this;
    }

    /** Which compressed indexes to write besides the plain one ("xz", "gz"). */
    public FixtureRepo compressions(String... c) {
        compressions = List.of(c);
        return this;
    }

    /**
     * Writes one index per Debian arch, each holding that arch's and {@code all} packages
     * ({@code apt-ftparchive --arch}). Without this call there is one {@code binary-amd64} index holding every package.
     */
    public FixtureRepo archs(String... a) {
        archs = List.of(a);
        return this;
    }

    public FixtureRepo byHash() {
        byHash = true;
        return this;
    }

    /** A field added to the Release file before signing (e.g. Valid-Until). */
    public FixtureRepo releaseField(String line) {
        extraReleaseField = line;
        return this;
    }

    public Path dists() {
        return root.resolve("dists").resolve(suite);
    }

    /** Builds pool, indexes and an unsigned Release; returns the Release path. */
    public Path build() throws IOException {
        Tools.require("dpkg-deb", "apt-ftparchive", "xz", "gzip");
        List<String> indexArchs = archs == null ? List.of("amd64") : archs;
        for (var e : components.entrySet()) {
            Path pool = root.resolve("pool").resolve(e.getKey());
            for (DebBuilder d : e.getValue()) d.build(pool);
            for (String arch : indexArchs) {
                Path bin = dists().resolve(e.getKey()).resolve("binary-" + arch);
                Files.createDirectories(bin);
                List<String> cmd = new ArrayList<>(List.of("apt-ftparchive"));
                if (archs != null) cmd.addAll(List.of("--arch", arch));
                cmd.addAll(List.of("packages", "pool/" + e.getKey()));
                String index = Tools.run(root, Map.of(), cmd).orFail(cmd).out();
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
        }
        String comps = String.join(" ", components.keySet());
        String release = Tools.ok(dists(), "apt-ftparchive",
                "-o", "APT::FTPArchive::Release::Origin=Kolibri",
                "-o", "APT::FTPArchive::Release::Suite=" + suite,
                "-o", "APT::FTPArchive::Release::Codename=" + codename,
                "-o", "APT::FTPArchive::Release::Architectures=" + String.join(" ", indexArchs),
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
    public void signInRelease(GpgFixture key) throws IOException {
        Files.write(dists().resolve("InRelease"), key.clearsign(Files.readAllBytes(dists().resolve("Release"))));
    }

    /** Writes Release.gpg, a detached armored signature by {@code key}. */
    public void signDetached(GpgFixture key) throws IOException {
        Files.write(dists().resolve("Release.gpg"), key.detachSign(Files.readAllBytes(dists().resolve("Release")), true));
    }
}
