package dev.kolibri.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Files and directories handed to the user (layouts, SBOM files, indexes): created with the modes the user's umask
 * gives (0644 and 0755 under 022), as {@code cp} or {@code tar} would make them, never the 0600 / 0700 that
 * {@link Files#createTempFile} and {@link Files#createTempDirectory} force; and never sharing an inode with the
 * cache, so that another user can read an output and damage to a cache entry cannot reach one.
 */
public final class OutputFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OutputFiles() {}

    /** A new empty file {@code <prefix><random><suffix>} in {@code dir}, with the umask's mode. */
    public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        for (int i = 0; ; i++) {
            Path p = dir.resolve(prefix + random() + suffix);
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (i >= 100) throw e;
            }
        }
    }

    /** A new empty directory {@code <prefix><random>} in {@code dir}, with the umask's mode. */
    public static Path createTempDirectory(Path dir, String prefix) throws IOException {
        for (int i = 0; ; i++) {
            Path p = dir.resolve(prefix + random());
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (i >= 100) throw e;
            }
        }
    }

    /**
     * A copy of {@code source} as a new file in {@code dir} ({@link #createTempFile}: the umask's mode, whatever the
     * source's): a file of its own, never a hard link. The bytes go through {@link FileChannel#transferTo}, which on
     * Linux is {@code copy_file_range}: a reflink (shared extents, copied on write) where the file system offers one
     * (btrfs, XFS), an in-kernel copy elsewhere. On failure nothing is left in {@code dir}.
     */
    public static Path copyToTemp(Path source, Path dir, String prefix, String suffix) throws IOException {
        Path tmp = createTempFile(dir, prefix, suffix);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            long size = in.size();
            long done = 0;
            while (done < size) {
                long n = in.transferTo(done, size - done, out);
                if (n <= 0) throw new IOException("copying " + source + " stopped after " + done + " of " + size + " bytes");
                done += n;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    private static String random() {
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        return HexFormat.of().formatHex(r);
    }
}
