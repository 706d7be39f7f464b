package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Small hand-made trees for the finalize tests. */
final class Fixtures {
    static final long EPOCH = 1_700_000_000L;

    private Fixtures() {}

    static FinalizeContext deb() {
        return FinalizeContext.of("deb", EPOCH);
    }

    static void file(FileTree t, String path, String text, String owner) {
        file(t, path, text.getBytes(StandardCharsets.UTF_8), 0644, owner);
    }

    static void file(FileTree t, String path, byte[] bytes, int mode, String owner) {
        parents(t, path);
        t.put(FileEntry.file(path, mode, 0, 0, 1000, bytes, owner));
    }

    static void link(FileTree t, String path, String target, String owner) {
        parents(t, path);
        t.put(FileEntry.symlink(path, target, 0, 0, 1000, owner));
    }

    static void dir(FileTree t, String path, int mode, String owner) {
        parents(t, path);
        t.put(FileEntry.directory(path, mode, 0, 0, 1000, owner));
    }

    private static void parents(FileTree t, String path) {
        int slash = path.lastIndexOf('/');
        if (slash <= 0) return;
        String parent = path.substring(0, slash);
        if (t.resolve(parent).flatMap(t::get).isPresent()) return;
        dir(t, parent, 0755, "");
    }

    static String text(FileTree t, String path) {
        FileEntry e = t.resolve(path).flatMap(t::get).orElseThrow(() -> new AssertionError("no " + path));
        if (e.type() != EntryType.FILE) throw new AssertionError(path + " is " + e);
        return new String(e.content(), StandardCharsets.UTF_8);
    }

    /** Copies a host directory into the tree at {@code treePath}, files and directories only, owned by {@code owner}. */
    static void copyHostDir(FileTree t, Path host, String treePath, String owner) {
        try (Stream<Path> walk = Files.walk(host)) {
            for (Path p : walk.sorted().toList()) {
                String rel = host.relativize(p).toString();
                String at = rel.isEmpty() ? treePath : treePath + "/" + rel;
                if (Files.isDirectory(p)) dir(t, at, 0755, owner);
                else if (Files.isRegularFile(p)) file(t, at, Files.readAllBytes(p), 0644, owner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<FileEntry> snapshot(FileTree t) {
        return List.copyOf(t.entries());
    }
}
