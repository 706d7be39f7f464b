package dev.kolibri.e2e;

import dev.kolibri.testing.DebBuilder;
import dev.kolibri.testing.FixtureRepo;
import dev.kolibri.testing.GpgFixture;
import dev.kolibri.testing.StaticHttpServer;
import dev.kolibri.testing.Tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;

/**
 * The fixture world of the end-to-end tests, made once per JVM by the reference tools: a throwaway gpg key, a
 * signed Debian repository for amd64 and arm64 (dpkg-deb, apt-ftparchive, gpg --clearsign) and a static
 * {@code hello} compiled with {@code gcc -static}. Tests that change the repository work on a {@link #copy}.
 *
 * <p>Packages: {@code fixture-base} (etc/os-release), {@code hello} (Depends libfoo (>= 1.5)), {@code libfoo} 1.0
 * and 2.0, {@code exim-lite} and {@code postfix-lite} (both Provide mta), {@code dash} (/bin/dash, /bin/sh -> dash),
 * {@code broken} (Depends on a package no one has), {@code clash-a} and {@code clash-b} (different /etc/clash.conf).
 */
final class Fixture {
    static final String SUITE = "stable";
    static final String HELLO_C = """
            #include <stdio.h>
            #include <unistd.h>
            int main(void) {
                printf("uid=%d\\n", (int) getuid());
                printf("hello\\n");
                return 0;
            }
            """;

    private static Fixture instance;

    /** The built repository (never served directly: {@link #copy} it). */
    final Path template;
    /** The exported public key (binary), for {@code keyring:}. */
    final Path keyFile;
    /** Null when the machine cannot compile a static binary (then hello is a stub that cannot run). */
    final String helloSkipReason;
    private final GpgFixture key;

    private Fixture(Path template, Path keyFile, String helloSkipReason, GpgFixture key) {
        this.template = template;
        this.keyFile = keyFile;
        this.helloSkipReason = helloSkipReason;
        this.key = key;
    }

    static synchronized Fixture get() throws IOException {
        Tools.require("dpkg-deb", "apt-ftparchive", "gpg", "xz", "gzip");
        if (instance == null) instance = make();
        return instance;
    }

    private static Fixture make() throws IOException {
        Path dir = Files.createTempDirectory("kolibri-e2e-fixture");
        GpgFixture key = GpgFixture.create("ed25519");
        Path keyFile = dir.resolve("fixture-key.gpg");
        Files.write(keyFile, key.publicBinary());

        String skip = null;
        byte[] hello;
        if (!Tools.onPath("gcc")) {
            skip = "skipped: 'gcc' is not installed (run .ci/install-deps)";
            hello = "not a program".getBytes();
        } else {
            Path src = dir.resolve("hello.c");
            Files.writeString(src, HELLO_C);
            Tools.Result cc = Tools.run(dir, Map.of(), List.of("gcc", "-static", "-O2", "-o", "hello", "hello.c"));
            if (cc.exit() != 0) {
                skip = "skipped: gcc -static failed (libc6-dev missing? run .ci/install-deps): " + cc.err().strip();
                hello = "not a program".getBytes();
            } else {
                hello = Files.readAllBytes(dir.resolve("hello"));
            }
        }

        Path root = dir.resolve("repo");
        FixtureRepo repo = new FixtureRepo(root, SUITE, "kolibri").archs("amd64", "arm64");
        repo.add("main", DebBuilder.deb("fixture-base", "1.0", "all")
                .file("/etc/os-release", "PRETTY_NAME=\"Kolibri Fixture 1\"\nNAME=\"Kolibri Fixture\"\nID=kolibri-fixture\nVERSION_ID=1\n")
                .file("/etc/issue", "Kolibri Fixture 1\n"));
        for (String arch : List.of("amd64", "arm64")) {
            // The same static x86-64 program under both arches: the arm64 one is never run.
            repo.add("main", DebBuilder.deb("hello", "1.0", arch)
                    .field("Depends", "libfoo (>= 1.5)")
                    .file("/usr/bin/hello", hello, "755"));
        }
        repo.add("main", DebBuilder.deb("libfoo", "1.0", "all").file("/usr/share/libfoo/version", "1.0\n"));
        repo.add("main", DebBuilder.deb("libfoo", "2.0", "all").file("/usr/share/libfoo/version", "2.0\n"));
        repo.add("main", DebBuilder.deb("exim-lite", "1.0", "all").field("Provides", "mta")
                .file("/usr/share/exim-lite/README", "exim\n"));
        repo.add("main", DebBuilder.deb("postfix-lite", "1.0", "all").field("Provides", "mta")
                .file("/usr/share/postfix-lite/README", "postfix\n"));
        repo.add("main", DebBuilder.deb("dash", "0.5", "all")
                .file("/bin/dash", "#!not really a shell\n".getBytes(), "755")
                .symlink("/bin/sh", "dash"));
        repo.add("main", DebBuilder.deb("broken", "1.0", "all").field("Depends", "no-such-package")
                .file("/usr/share/broken/README", "broken\n"));
        repo.add("main", DebBuilder.deb("clash-a", "1.0", "all").file("/etc/clash.conf", "from clash-a\n"));
        repo.add("main", DebBuilder.deb("clash-b", "1.0", "all").file("/etc/clash.conf", "from clash-b\n"));
        repo.build();
        repo.signInRelease(key);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            key.close();
            Tools.run(null, Map.of(), List.of("rm", "-rf", dir.toString(), key.home.toString()));
        }));
        return new Fixture(root, keyFile, skip, key);
    }

    /** A private copy of the signed repository, to serve and to change. */
    Path copy(Path to) throws IOException {
        copyTree(template, to);
        return to;
    }

    /** Signs {@code repoRoot}'s Release again (after a change) into InRelease. */
    void resign(Path repoRoot) throws IOException {
        Path dists = repoRoot.resolve("dists").resolve(SUITE);
        Files.write(dists.resolve("InRelease"), key.clearsign(Files.readAllBytes(dists.resolve("Release"))));
    }

    /** Serves a copy of the repository made in {@code dir}/repo. */
    Served serve(Path dir) throws IOException {
        Path root = copy(dir.resolve("repo"));
        return new Served(root, StaticHttpServer.serve(root));
    }

    /** A served repository copy; close to stop the server. */
    record Served(Path root, StaticHttpServer server) implements AutoCloseable {
        /** The pool file of a package ({@code hello_1.0_amd64.deb}). */
        Path pool(String file) {
            return root.resolve("pool/main").resolve(file);
        }

        Path inRelease() {
            return root.resolve("dists").resolve(SUITE).resolve("InRelease");
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /**
     * Writes {@code dir/NAME.yaml} (and the keyring beside it) for a repository served at {@code served}.
     *
     * @param extra more YAML lines (entrypoint, variants, archs, ...)
     */
    Path definition(Path dir, Served served, String name, List<String> packages, String extra) throws IOException {
        Files.createDirectories(dir);
        Files.copy(keyFile, dir.resolve("fixture-key.gpg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String yaml = "name: " + name + "\n"
                + "version: \"1\"\n"
                + "repositories:\n"
                + "  - type: deb\n"
                + "    url: " + served.server().base() + "\n"
                + "    suite: " + SUITE + "\n"
                + "    components: [main]\n"
                + "    keyring: fixture-key.gpg\n"
                + "packages: [" + String.join(", ", packages) + "]\n"
                + "archs: [amd64, arm64]\n"
                + (extra == null ? "" : extra.endsWith("\n") ? extra : extra + "\n");
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isSymbolicLink(f)) Files.createSymbolicLink(t, Files.readSymbolicLink(f));
                else Files.copy(f, t);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
