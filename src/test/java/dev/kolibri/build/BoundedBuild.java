package dev.kolibri.build;

import dev.kolibri.fetch.Progress;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.oci.Compression;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecLoader;
import dev.kolibri.testing.Tools;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds of packages with big members, made by {@code dpkg-deb} from sparse files (nothing big is ever written to
 * disk by the test, and nothing is committed), run in a child JVM with a small heap ({@link #main}) so that a build
 * that holds a file's content whole dies of {@code OutOfMemoryError} instead of passing.
 */
final class BoundedBuild {
    private BoundedBuild() {}

    /** A member of a package: path and size; the content is zeros (a sparse file) or, if {@code text}, a short text. */
    record Member(String path, long size) {}

    /** Makes {@code name}.deb with members of zeros (sparse files), every mtime 1700000000, zstd-compressed. */
    static LockedPackage sparseDeb(FixtureImages fx, String name, List<Member> members) throws IOException {
        Path root = Files.createTempDirectory(fx.dir, "deb-" + name);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: 1.0\nArchitecture: amd64\n"
                + "Maintainer: Kolibri Tests <tests@kolibri.invalid>\nDescription: fixture " + name + "\n");
        for (Member m : members) {
            Path f = root.resolve(m.path());
            Files.createDirectories(f.getParent());
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(m.size());
            }
        }
        Tools.ok(null, "chmod", "-R", "u=rwX,go=rX", root.toString());
        try (var walk = Files.walk(root)) {
            for (Path f : walk.toList()) Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_000L));
        }
        Path deb = fx.dir.resolve("pool").resolve(name + "_1.0_amd64.deb");
        Tools.ok(null, "dpkg-deb", "--root-owner-group", "-Zzstd", "--build", root.toString(), deb.toString());
        try (var walk = Files.walk(root)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
        String sha;
        try (var in = Files.newInputStream(deb)) {
            sha = FixtureImages.sha256(in);
        } catch (Exception e) {
            throw new IOException(e);
        }
        String file = deb.getFileName().toString();
        return new LockedPackage(name, "1.0", "amd64", name, "1.0", fx.server.base().resolve(file).toString(),
                Files.size(deb), sha, FixtureImages.REPO);
    }

    /** A definition of the packages with {@code limits} (YAML flow mapping, or null). */
    static ImageSpec spec(FixtureImages fx, Path where, String name, List<String> packages, String limits)
            throws IOException {
        Files.createDirectories(where);
        Path f = where.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nrepositories:\n  - {type: deb, url: " + fx.server.base()
                + ", suite: stable, components: [main], keyring: keys.gpg}\npackages: [" + String.join(", ", packages)
                + "]\narchs: [amd64]\nlayering: {strategy: package, budget: 8}\n"
                + (limits == null ? "" : "limits: " + limits + "\n"));
        return SpecLoader.load(f);
    }

    static BuildResult build(FixtureImages fx, ImageSpec spec, List<LockedPackage> packages, Path out, boolean cache)
            throws Exception {
        BuildOptions o = new BuildOptions(out, List.of(), null, false, false, Compression.ZSTD, null)
                .withBuildCache(cache);
        return new ImageBuilder(fx.store, Progress.SILENT, BuildEvents.SILENT).build(spec, fx.lock(spec, packages), o);
    }

    /**
     * The child JVM: {@code big DIR SIZE} builds an image holding one file of SIZE zeros three times (payload cache
     * cold, warm, and off) and prints {@code OK <index digest> x3}; {@code bomb DIR} builds the bomb (three 1.3 GiB
     * members in a ~100 KiB package) and prints {@code REFUSED <message>}. Exit 0 either way, 3 on OutOfMemoryError.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        try (FixtureImages fx = new FixtureImages(dir)) {
            if (args[0].equals("big")) {
                long size = Long.parseLong(args[2]);
                LockedPackage p = sparseDeb(fx, "big", List.of(new Member("usr/share/big/zeros", size),
                        new Member("usr/share/big/small", 10)));
                ImageSpec spec = spec(fx, dir.resolve("def"), "big", List.of("big"), "{ratio: 1000000}");
                List<String> digests = new ArrayList<>();
                for (String run : List.of("cold", "warm", "off")) {
                    BuildResult r = build(fx, spec, List.of(p), dir.resolve("out-" + run), !run.equals("off"));
                    digests.add(r.index().toString());
                }
                System.out.println("OK " + String.join(" ", digests));
            } else {
                long gib13 = 1_395_864_371L;
                LockedPackage p = sparseDeb(fx, "bomb", List.of(new Member("usr/share/bomb/a", gib13),
                        new Member("usr/share/bomb/b", gib13), new Member("usr/share/bomb/c", gib13)));
                System.out.println("SIZE " + p.size());
                ImageSpec spec = spec(fx, dir.resolve("def"), "bomb", List.of("bomb"), null);
                try {
                    build(fx, spec, List.of(p), dir.resolve("out-bomb"), true);
                    System.out.println("BUILT");
                } catch (RuntimeException e) {
                    System.out.println("REFUSED " + e.getClass().getSimpleName() + " " + e.getMessage());
                }
            }
        } catch (OutOfMemoryError e) {
            System.out.println("OOM " + e.getMessage());
            e.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        System.out.flush();
        System.exit(0); // the fixture's HTTP server threads are not daemons
    }

    /** Runs {@link #main} in a child JVM with {@code -Xmx<heap>}; returns its exit code and stdout. */
    static Map.Entry<Integer, String> child(String heap, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), BoundedBuild.class.getName()));
        cmd.addAll(List.of(args));
        Path outFile = Files.createTempFile("bounded", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(outFile.toFile()).start();
        int exit = p.waitFor();
        String out = Files.readString(outFile);
        Files.delete(outFile);
        return Map.entry(exit, out);
    }
}
