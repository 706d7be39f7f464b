package dev.kolibri.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory that a verb writes as a whole ({@code build -o DIR}, {@code pull REF DIR}, and later {@code catalog
 * build}, {@code disk --sysroot-dir}, {@code catalog page}): never deletes what is not its kind, never leaves
 * anything partial.
 *
 * <ul>
 *   <li>{@link #open} refuses, before any work and touching nothing, a target that is a symbolic link, a file, or a
 *       non-empty directory its {@link Kind} does not recognize (so {@code -o .} in a project is refused); it
 *       creates the parent and proves it writable by creating the lock file, naming the path and the reason when
 *       it cannot.</li>
 *   <li>Everything is written into {@code <target>.tmp-<hex>/}; {@link #commit} renames it into place (an existing
 *       target is renamed to {@code <target>.old-<hex>} first and deleted after). {@link #close} without a commit
 *       deletes the staging directory.</li>
 *   <li>While it runs, {@code <target>.tmp-<hex>.lock} (holding the process id) is locked; it is created before
 *       the staging directory and deleted after it. A later {@link #open} of the same target removes the staging
 *       and {@code .old-} directories whose lock no live process holds (a {@code kill -9}), first renaming an
 *       {@code .old-} directory back when the kill came between the two renames and the target is missing.</li>
 * </ul>
 */
public final class OutputDir implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TMP = ".tmp-";
    private static final String OLD = ".old-";
    private static final String LOCK = ".lock";
    /**
     * The lock files this process holds. Never opened by {@link #removeStale}: on Linux, closing any channel on a
     * file releases every lock this process holds on it.
     */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Which existing directories an output of this kind may replace or update (an empty directory always may). */
    public interface Kind {
        /** What this output is, for messages: {@code "an OCI layout"}. */
        String what();

        /** Whether {@code dir} (an existing, non-empty directory) is an output of this kind. */
        boolean recognizes(Path dir) throws IOException;
    }

    private final Path target;
    private final Path staging;
    private final Path lockFile;
    private final FileChannel lockChannel;
    private final boolean existing;
    private boolean done;

    private OutputDir(Path target, Path staging, Path lockFile, FileChannel lockChannel, boolean existing) {
        this.target = target;
        this.staging = staging;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
        this.existing = existing;
    }

    /**
     * Checks {@code target} as {@link #open} does (kind, symbolic link, file, parent that is a file), without
     * creating anything: for a verb that has other work to do first.
     */
    public static void check(Path target, Kind kind) throws OutputDirException {
        Path abs = absolute(target);
        checkTarget(target, abs, kind);
        for (Path p = abs.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new OutputDirException("cannot write " + target + ": " + p + " is a file, not a directory; "
                            + "choose another output directory");
                }
                return;
            }
        }
    }

    /** Checks {@code target}, removes stale staging directories of earlier killed runs, and starts staging. */
    public static OutputDir open(Path target, Kind kind) throws OutputDirException {
        Path abs = absolute(target);
        boolean existing = checkTarget(target, abs, kind);
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw notWritable(target, parent, e);
        }
        removeStale(abs);
        for (int i = 0; i < 100; i++) {
            String hex = hex();
            Path lockFile = abs.resolveSibling(abs.getFileName() + TMP + hex + LOCK);
            Path staging = abs.resolveSibling(abs.getFileName() + TMP + hex);
            if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) continue;
            FileChannel ch;
            try {
                HELD.add(lockFile);
                ch = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                HELD.remove(lockFile);
                continue;
            } catch (IOException e) {
                HELD.remove(lockFile);
                throw notWritable(target, parent, e);
            }
            try {
                try {
                    ch.lock();
                } catch (IOException e) {
                    // a file system without locks: the process id alone tells a live owner
                }
                ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
                Files.createDirectory(staging);
                return new OutputDir(abs, staging, lockFile, ch, existing);
            } catch (IOException e) {
                closeQuietly(ch);
                try {
                    deleteTree(staging);
                    Files.deleteIfExists(lockFile);
                } catch (IOException ignored) {
                    // reported below
                }
                HELD.remove(lockFile);
                throw notWritable(target, parent, e);
            }
        }
        throw new OutputDirException("cannot write " + target + ": no free temporary name beside it; remove the "
                + abs.getFileName() + TMP + "* entries in " + parent);
    }

    /** The (absolute, normalized) directory this output becomes. */
    public Path target() {
        return target;
    }

    /** The directory being written; renamed to {@link #target} on {@link #commit}. */
    public Path staging() {
        return staging;
    }

    /** The target as it was when opened, if it was an existing output of this kind (to update, not replace). */
    public Optional<Path> existing() {
        return existing ? Optional.of(target) : Optional.empty();
    }

    /** Renames the staging directory into place, replacing the target; then releases the lock. */
    public void commit() throws IOException {
        if (done) throw new IllegalStateException("output already committed or aborted");
        Path old = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            old = target.resolveSibling(target.getFileName() + OLD + hexOf(staging));
            move(target, old);
        }
        try {
            move(staging, target);
        } catch (IOException e) {
            if (old != null) move(old, target);
            throw e;
        }
        done = true;
        try {
            if (old != null) deleteTree(old);
        } finally {
            release();
        }
    }

    /** Deletes the staging directory and releases the lock, unless committed. Safe to call more than once. */
    @Override
    public void close() {
        if (done) return;
        done = true;
        try {
            deleteTree(staging);
        } catch (IOException e) {
            // best effort: the caller is already handling a failure; the next run removes what is left
            closeQuietly(lockChannel);
            HELD.remove(lockFile);
            return;
        }
        release();
    }

    private void release() {
        try {
            Files.deleteIfExists(lockFile);
        } catch (IOException e) {
            // a stale lock file without its directory is removed by the next run
        }
        closeQuietly(lockChannel);
        HELD.remove(lockFile);
    }

    private static Path absolute(Path target) throws OutputDirException {
        Path abs = target.toAbsolutePath().normalize();
        if (abs.getParent() == null || abs.getFileName() == null) {
            throw new OutputDirException("cannot write an output at the file system root (" + target
                    + "); give a directory below it");
        }
        return abs;
    }

    /** True when the target exists as an output of this kind; throws when it exists as anything else. */
    private static boolean checkTarget(Path target, Path abs, Kind kind) throws OutputDirException {
        String what = "refusing to write " + target;
        if (Files.isSymbolicLink(abs)) {
            throw new OutputDirException(what + ": it is a symbolic link; give the directory it points to, or remove it");
        }
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) return false;
        if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputDirException(what + ": it exists and is not a directory; nothing was changed; choose "
                    + "another output directory or remove the file");
        }
        try {
            if (isEmpty(abs)) return false;
            if (kind.recognizes(abs)) return true;
        } catch (IOException e) {
            throw new OutputDirException("cannot read " + target + ": " + reason(e) + "; choose another output directory", e);
        }
        throw new OutputDirException(what + ": it is a directory with files that is not " + kind.what()
                + ", and it would be replaced; nothing was changed; choose another output directory (or remove this one)");
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    private static OutputDirException notWritable(Path target, Path parent, IOException e) {
        return new OutputDirException("cannot write " + target + ": " + parent + " is not writable (" + reason(e)
                + "); choose another output directory, or make " + parent + " a writable directory", e);
    }

    /** The operating system's reason, without the path it repeats. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException f) return f.getFile() + " is a file, not a directory";
        if (e instanceof NotDirectoryException n) return n.getFile() + " is not a directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException n) return n.getFile() + " does not exist";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason().toLowerCase(java.util.Locale.ROOT);
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Removes what killed runs left beside {@code abs}: for every {@code <name>.tmp-<hex>.lock} that no live
     * process holds, its {@code .tmp-<hex>} and {@code .old-<hex>} directories (after renaming the {@code .old-}
     * one back when the target is missing), then the lock file.
     */
    static void removeStale(Path abs) {
        String name = abs.getFileName().toString();
        Pattern lockName = Pattern.compile(Pattern.quote(name + TMP) + "([0-9a-f]{12})" + Pattern.quote(LOCK));
        List<Path> locks = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(abs.getParent(), name + TMP + "*" + LOCK)) {
            for (Path p : s) if (lockName.matcher(p.getFileName().toString()).matches()) locks.add(p);
        } catch (IOException e) {
            return; // an unreadable parent: open() reports it when it tries to write there
        }
        for (Path lock : locks) {
            Matcher m = lockName.matcher(lock.getFileName().toString());
            if (!m.matches()) continue;
            String hex = m.group(1);
            if (HELD.contains(lock)) continue; // this very process writes it
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
                FileLock held;
                try {
                    held = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    continue;
                } catch (IOException e) {
                    // no locks on this file system: the process id tells whether its owner lives
                    if (!ownerAlive(lock)) cleanUp(abs, hex, lock);
                    continue;
                }
                if (held == null) continue; // a live process holds it
                cleanUp(abs, hex, lock); // deleting the lock file while holding it; closing the channel releases it
            } catch (IOException | UncheckedIOException e) {
                // gone meanwhile or not ours to remove: leave it
            }
        }
    }

    private static void cleanUp(Path abs, String hex, Path lock) throws IOException {
        Path staging = abs.resolveSibling(abs.getFileName() + TMP + hex);
        Path old = abs.resolveSibling(abs.getFileName() + OLD + hex);
        // killed between renaming the target aside and renaming the new one in: the old one is whole, put it back
        if (Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS) && !Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            move(old, abs);
        }
        deleteTree(staging);
        deleteTree(old);
        Files.deleteIfExists(lock);
    }

    private static boolean ownerAlive(Path lock) {
        try {
            String s = Files.readString(lock, StandardCharsets.US_ASCII).strip();
            return !s.isEmpty() && ProcessHandle.of(Long.parseLong(s)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return true; // unreadable: do not guess
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new OutputDirException("cannot rename " + from + " to " + to + " atomically: " + e.getMessage(), e);
        }
    }

    private static String hex() {
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        return HexFormat.of().formatHex(r);
    }

    private static String hexOf(Path staging) {
        String n = staging.getFileName().toString();
        return n.substring(n.lastIndexOf(TMP) + TMP.length());
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Deletes {@code root} and everything below it, without following symbolic links. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = new ArrayList<>(s.toList());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) Files.deleteIfExists(p);
    }
}
