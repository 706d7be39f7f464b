package dev.kolibri.fs;

import dev.kolibri.oci.Digest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A file or directory tree on this machine, read for an image ({@code contents:}): every entry with a normalized
 * mode, so that neither the umask nor the files' times reach the image or the {@link #digest()}. Directories are
 * 0755, regular files 0755 when their owner may execute them and 0644 otherwise, symlinks 0777; setuid, setgid and
 * sticky bits are dropped. Hard links become regular files. Refused ({@link UnsafeSourceException}): a source
 * outside {@code base}, a symlink whose target resolves outside {@code base}, devices, fifos and sockets.
 *
 * @param from  the source as written, relative to {@code base}
 * @param items the entries by path relative to the source, sorted; a file source is one item with path {@code ""};
 *              a directory source starts with its own directory, path {@code ""}
 */
public record LocalTree(String from, List<Item> items) {
    public LocalTree {
        Objects.requireNonNull(from, "from");
        items = List.copyOf(items);
    }

    /**
     * One entry of the source.
     *
     * @param path       relative to the source root, {@code /}-separated, {@code ""} for the root itself
     * @param type       {@link EntryType#DIRECTORY}, {@link EntryType#FILE} or {@link EntryType#SYMLINK}
     * @param mode       the normalized mode (0755, 0644 or 0777)
     * @param content    a file's bytes, else null
     * @param linkTarget a symlink's target as written, else null
     */
    public record Item(String path, EntryType type, int mode, byte[] content, String linkTarget) {
        public Item {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(type, "type");
            if (type == EntryType.HARDLINK) throw new IllegalArgumentException("hard links are read as files");
        }
    }

    /** Whether the source is a directory (its tree is copied under the destination). */
    public boolean isDirectory() {
        return !items.isEmpty() && items.get(0).type() == EntryType.DIRECTORY;
    }

    /**
     * Reads {@code from} (relative to {@code base}, the definition's directory).
     *
     * @throws UnsafeSourceException when the source is missing, outside {@code base}, or holds what may not be copied
     */
    public static LocalTree read(Path base, String from) throws IOException {
        Path realBase = base.toRealPath();
        Path source = base.resolve(from).normalize();
        if (!source.startsWith(base.normalize())) {
            throw new UnsafeSourceException(from + " climbs out of the definition's directory " + base);
        }
        Path real;
        try {
            real = source.toRealPath();
        } catch (NoSuchFileException e) {
            throw new UnsafeSourceException(from + " does not exist (looked for " + source + ")");
        }
        if (!real.startsWith(realBase)) {
            throw new UnsafeSourceException(from + " resolves to " + real + ", outside the definition's directory " + realBase);
        }
        TreeMap<String, Item> items = new TreeMap<>();
        BasicFileAttributes top = Files.readAttributes(real, BasicFileAttributes.class);
        if (!top.isDirectory()) {
            items.put("", item("", real, top, from, realBase));
            return new LocalTree(from, List.copyOf(items.values()));
        }
        Files.walkFileTree(real, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                String rel = rel(real, d);
                items.put(rel, item(rel, d, a, from, realBase));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                String rel = rel(real, f);
                items.put(rel, item(rel, f, a, from, realBase));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                throw new UnsafeSourceException(from + ": cannot read " + real.relativize(f) + ": " + e.getMessage());
            }
        });
        return new LocalTree(from, List.copyOf(items.values()));
    }

    private static String rel(Path root, Path p) {
        return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }

    private static Item item(String rel, Path p, BasicFileAttributes a, String from, Path realBase) throws IOException {
        String shown = rel.isEmpty() ? from : from.replaceAll("/+$", "") + "/" + rel;
        if (a.isSymbolicLink()) {
            Path target = Files.readSymbolicLink(p);
            Path lexical = p.getParent().resolve(target).normalize();
            Path resolved = lexical;
            if (Files.exists(p)) resolved = p.toRealPath();
            if (!lexical.startsWith(realBase) || !resolved.startsWith(realBase)) {
                throw new UnsafeSourceException("symlink " + shown + " -> " + target + " points outside the definition's directory "
                        + realBase + "; copy the file in instead of linking to it");
            }
            return new Item(rel, EntryType.SYMLINK, 0777, null, target.toString());
        }
        if (a.isDirectory()) return new Item(rel, EntryType.DIRECTORY, 0755, null, null);
        if (!a.isRegularFile()) {
            throw new UnsafeSourceException(shown + " is a device, fifo or socket; only files, directories and symlinks can be copied into an image");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        int mode = perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
        return new Item(rel, EntryType.FILE, mode, Files.readAllBytes(p), null);
    }

    /**
     * sha256 of the canonical listing of the tree: one line per item, in path order, {@code path NUL type NUL mode
     * NUL size NUL content-sha256 NUL link-target LF} (mode in octal, empty fields for what an item lacks). What
     * the lock records, so that {@code build --locked} notices a changed file; times and umask take no part.
     */
    public Digest digest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Item i : items) {
            String line = i.path() + '\0' + i.type().name().toLowerCase(java.util.Locale.ROOT) + '\0'
                    + Integer.toOctalString(i.mode()) + '\0'
                    + (i.content() == null ? "" : String.valueOf(i.content().length)) + '\0'
                    + (i.content() == null ? "" : Digest.sha256(i.content()).hex()) + '\0'
                    + (i.linkTarget() == null ? "" : i.linkTarget()) + '\n';
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        }
        return Digest.sha256(out.toByteArray());
    }
}
