package dev.kolibri.build;

import dev.kolibri.fetch.ContentStore;
import dev.kolibri.fetch.Progress;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.LockedRepository;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.Compression;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecLoader;
import dev.kolibri.testing.StaticHttpServer;
import dev.kolibri.testing.Tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixture images for build tests: .deb files made by {@code dpkg-deb} from directories whose mtimes the test sets,
 * served over HTTP, locked by hand (no repository metadata needed: the build starts from a lock).
 */
final class FixtureImages implements AutoCloseable {
    static final String REPO = "fixture";
    static final String SHA = "sha256:" + "0".repeat(64);

    final Path dir;
    final StaticHttpServer server;
    final ContentStore store;

    FixtureImages(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("pool"));
        this.server = StaticHttpServer.serve(dir.resolve("pool"));
        this.store = new ContentStore(dir.resolve("cache"));
    }

    /** A package file. */
    record Pkg(String name, String version, String source, long mtime, Map<String, String> files) {
        Pkg with(String newVersion, long newMtime, Map<String, String> newFiles) {
            return new Pkg(name, newVersion, source, newMtime, newFiles);
        }
    }

    static Pkg pkg(String name, String version, String source, long mtime, String... pathThenContent) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < pathThenContent.length; i += 2) files.put(pathThenContent[i], pathThenContent[i + 1]);
        return new Pkg(name, version, source, mtime, files);
    }

    /** Builds the .deb (every member's mtime {@code p.mtime()}) into the served pool and returns its lock entry. */
    LockedPackage locked(Pkg p) throws IOException {
        Path root = Files.createTempDirectory(dir, "deb-" + p.name());
        Files.createDirectories(root.resolve("DEBIAN"));
        String control = "Package: " + p.name() + "\nVersion: " + p.version() + "\nArchitecture: amd64\n"
                + "Source: " + p.source() + "\nMaintainer: Kolibri Tests <tests@kolibri.invalid>\n"
                + "Description: fixture " + p.name() + "\n";
        Files.writeString(root.resolve("DEBIAN/control"), control);
        for (var e : p.files().entrySet()) {
            Path f = root.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
        }
        Tools.ok(null, "chmod", "-R", "u=rwX,go=rX", root.toString());
        try (var walk = Files.walk(root)) {
            for (Path f : walk.toList()) Files.setLastModifiedTime(f, FileTime.fromMillis(p.mtime() * 1000));
        }
        String file = p.name() + "_" + p.version() + "_amd64.deb";
        Path deb = dir.resolve("pool").resolve(file);
        Tools.ok(null, "dpkg-deb", "--root-owner-group", "-Zgzip", "--build", root.toString(), deb.toString());
        byte[] bytes = Files.readAllBytes(deb);
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new LockedPackage(p.name(), p.version(), "amd64", p.source(), p.version(),
                server.base().resolve(file).toString(), bytes.length, sha, REPO);
    }

    /** A .deb made elsewhere (e.g. by GNU tar and ar, for names dpkg-deb refuses), served from the pool and locked. */
    LockedPackage lockedDeb(Path deb, String name, String version, String source) throws IOException {
        String file = name + "_" + version + "_amd64.deb";
        Files.copy(deb, dir.resolve("pool").resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String sha;
        try (InputStream in = Files.newInputStream(deb)) {
            sha = sha256(in);
        } catch (Exception e) {
            throw new IOException(e);
        }
        return new LockedPackage(name, version, "amd64", source, version, server.base().resolve(file).toString(),
                Files.size(deb), sha, REPO);
    }

    /** Writes a definition {@code NAME.yaml} into {@code where} and loads it. */
    ImageSpec spec(Path where, String name, List<String> packages, String strategy, int budget) throws IOException {
        Files.createDirectories(where);
        Path f = where.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nrepositories:\n  - {type: deb, url: " + server.base()
                + ", suite: stable, components: [main], keyring: keys.gpg}\npackages: [" + String.join(", ", packages)
                + "]\narchs: [amd64]\nlayering: {strategy: " + strategy + ", budget: " + budget + "}\n");
        return SpecLoader.load(f);
    }

    Lockfile lock(ImageSpec spec, List<LockedPackage> packages) {
        return new Lockfile(Lockfile.VERSION, spec.digest().toString(), null,
                List.of(new LockedRepository(REPO, null, server.base().toString(), "stable", null, SHA, null)), Map.of("amd64", packages));
    }

    List<LockedPackage> lockAll(List<Pkg> pkgs) throws IOException {
        List<LockedPackage> out = new ArrayList<>();
        for (Pkg p : pkgs) out.add(locked(p));
        return out;
    }

    BuildResult build(ImageSpec spec, List<LockedPackage> packages, Path out, String previous) throws Exception {
        BuildOptions o = new BuildOptions(out, List.of(), null, false, false, Compression.GZIP, null).withPrevious(previous);
        return new ImageBuilder(store, Progress.SILENT, BuildEvents.SILENT).build(spec, lock(spec, packages), o);
    }

    static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        return HexFormat.of().formatHex(md.digest());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }
}
