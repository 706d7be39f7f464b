package dev.kolibri.fetch;

import dev.kolibri.oci.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A sha256-addressed cache of files: {@code <root>/blobs/sha256/<hex>}. Every read is checked: the first time a
 * process sees a blob its content is hashed; afterwards the (path, size, mtime, file key) that was verified is
 * remembered, and the blob is hashed again only when one of them changes. A corrupt blob is deleted and reported
 * as absent. Writes go to a temporary file inside the store ({@code <root>/tmp}), are checked for size and digest,
 * and are renamed into place atomically, so concurrent writers (threads or processes) of one blob are safe and a
 * failed write leaves nothing behind.
 */
public final class ContentStore {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    /** Verified blobs, shared by every store of this process. */
    private static final Map<Path, Stamp> VERIFIED = new ConcurrentHashMap<>();

    private final Path root;

    private record Stamp(long size, long mtimeNanos, Object fileKey) {
        static Stamp of(BasicFileAttributes a) {
            return new Stamp(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                    a.fileKey());
        }
    }

    public ContentStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The store at {@link #defaultRoot}, for this process's environment and home directory. */
    public static ContentStore defaultStore() {
        return defaultStore(System.getenv());
    }

    /** The store at {@link #defaultRoot} for the given environment (HOME from it, else the {@code user.home}). */
    public static ContentStore defaultStore(Map<String, String> env) {
        return new ContentStore(defaultRoot(env, Path.of(System.getProperty("user.home"))));
    }

    /**
     * {@code $XDG_CACHE_HOME/kolibri} when XDG_CACHE_HOME is set to an absolute path (the XDG base directory rule:
     * relative values are ignored), else {@code $HOME/.cache/kolibri}, with {@code fallbackHome} when HOME is unset
     * or relative.
     */
    static Path defaultRoot(Map<String, String> env, Path fallbackHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "kolibri");
        String home = env.get("HOME");
        Path h = home != null && !home.isEmpty() && Path.of(home).isAbsolute() ? Path.of(home) : fallbackHome;
        return h.resolve(".cache").resolve("kolibri");
    }

    public Path root() {
        return root;
    }

    /** Where the blob with this digest lives (whether or not it is there). */
    public Path blobPath(String sha256Hex) {
        return root.resolve("blobs").resolve("sha256").resolve(checkHex(sha256Hex));
    }

    /**
     * The blob's path if it is in the store and its content has this sha256. A blob whose content differs is
     * deleted and reported as absent.
     */
    public Optional<Path> get(String sha256Hex) throws IOException {
        Path p = blobPath(sha256Hex);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            VERIFIED.remove(p);
            return Optional.empty();
        }
        if (!attrs.isRegularFile()) return Optional.empty();
        Stamp stamp = Stamp.of(attrs);
        if (stamp.equals(VERIFIED.get(p))) return Optional.of(p);
        String actual;
        try {
            actual = Digest.sha256(p).hex();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (actual.equals(sha256Hex.toLowerCase(Locale.ROOT))) {
            VERIFIED.put(p, stamp);
            return Optional.of(p);
        }
        VERIFIED.remove(p);
        deleteIfUnchanged(p, stamp);
        return Optional.empty();
    }

    /** Whether the blob is in the store and verified (see {@link #get}). */
    public boolean contains(String sha256Hex) throws IOException {
        return get(sha256Hex).isPresent();
    }

    /** {@link #put(InputStream, String, long, String)} with the store path as the source in messages. */
    public Path put(InputStream in, String expectedSha256, long expectedSize) throws IOException {
        return put(in, expectedSha256, expectedSize, blobPath(expectedSha256).toString());
    }

    /**
     * Copies the stream into the store, checking that it has exactly {@code expectedSize} bytes (reading at most one
     * byte more) and the sha256 {@code expectedSha256}; returns the blob's path. On a mismatch throws
     * {@link DigestMismatchException} naming {@code source}, expected and actual; on any failure nothing is left in
     * the store. The stream is not closed.
     */
    public Path put(InputStream in, String expectedSha256, long expectedSize, String source) throws IOException {
        String hex = checkHex(expectedSha256);
        if (expectedSize < 0) throw new IllegalArgumentException("expected size must not be negative: " + expectedSize);
        Path target = blobPath(hex);
        Path tmpDir = root.resolve("tmp");
        Files.createDirectories(tmpDir);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(tmpDir, hex.substring(0, 16) + ".", ".part");
        boolean moved = false;
        try {
            MessageDigest md = Digest.newSha256();
            long total = 0;
            byte[] buf = new byte[1 << 16];
            try (OutputStream out = Files.newOutputStream(tmp)) {
                while (true) {
                    // never read more than one byte past the declared size
                    int want = (int) Math.min(buf.length, expectedSize - total + 1);
                    int n = in.read(buf, 0, want);
                    if (n < 0) break;
                    total += n;
                    if (total > expectedSize) throw DigestMismatchException.tooLong(source, expectedSize);
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            if (total != expectedSize) throw DigestMismatchException.size(source, expectedSize, total);
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equals(hex)) throw DigestMismatchException.digest(source, hex, actual);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + tmp + " to " + target + " atomically: the store's tmp and"
                        + " blobs directories must be on one file system", e);
            }
            moved = true;
            try {
                VERIFIED.put(target, Stamp.of(Files.readAttributes(target, BasicFileAttributes.class)));
            } catch (NoSuchFileException e) {
                // removed by someone else right away; the next get() decides
            }
            return target;
        } finally {
            if (!moved) Files.deleteIfExists(tmp);
        }
    }

    /** Deletes a corrupt blob unless another writer replaced it since it was read. */
    private static void deleteIfUnchanged(Path p, Stamp seen) throws IOException {
        try {
            Stamp now = Stamp.of(Files.readAttributes(p, BasicFileAttributes.class));
            if (now.equals(seen)) Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            // already gone
        }
    }

    private static String checkHex(String hex) {
        String h = Objects.requireNonNull(hex, "sha256").toLowerCase(Locale.ROOT);
        if (!HEX.matcher(h).matches()) throw new IllegalArgumentException("not a sha256 (64 hex digits): " + hex);
        return h;
    }
}
