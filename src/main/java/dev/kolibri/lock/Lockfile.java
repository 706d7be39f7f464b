package dev.kolibri.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kolibri.oci.Digest;
import dev.kolibri.spec.ImageSpec;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The lockfile of one effective image definition: what the spec resolved to, per arch, with every byte pinned.
 * It lives next to the definition ({@link #pathFor(ImageSpec)}); a variant has its own.
 * The JSON form is stable: keys in the order of the record components, 2-space indent, a final newline.
 *
 * @param version         the lockfile format, {@value #VERSION}
 * @param specDigest      {@link ImageSpec#digest()} of the definition it was made for ({@code sha256:<hex>})
 * @param sourceDateEpoch the epoch (seconds) builds from this lock use for timestamps, or null for "the newest
 *                        mtime in the packages"
 * @param repositories    the repositories, in the definition's order
 * @param packages        per OCI arch (sorted), the packages to install, sorted by name
 * @param contents        the {@code contents:} entries' tree digests, in the definition's order (empty: none; left
 *                        out of the JSON then)
 */
@JsonPropertyOrder({"version", "specDigest", "sourceDateEpoch", "repositories", "packages", "contents"})
public record Lockfile(
        @JsonProperty(required = true) int version,
        String specDigest,
        Long sourceDateEpoch,
        List<LockedRepository> repositories,
        Map<String, List<LockedPackage>> packages,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LockedContent> contents) {

    /** The format written: repositories as the definition names them, package paths inside them, no mirror URL. */
    public static final int VERSION = 2;
    /** The first format (absolute package URLs, no distro identity): still read, with a warning; never written. */
    public static final int LEGACY_VERSION = 1;

    /** A lock without {@code contents:}. */
    public Lockfile(int version, String specDigest, Long sourceDateEpoch, List<LockedRepository> repositories,
                    Map<String, List<LockedPackage>> packages) {
        this(version, specDigest, sourceDateEpoch, repositories, packages, List.of());
    }

    /** This lock with {@code contents} as its contents digests. */
    public Lockfile withContents(List<LockedContent> newContents) {
        return new Lockfile(version, specDigest, sourceDateEpoch, repositories, packages, newContents);
    }

    public Lockfile {
        if (version != VERSION && version != LEGACY_VERSION) {
            throw new IllegalArgumentException("lockfile version " + version + " is not supported (this Kolibri reads versions "
                    + LEGACY_VERSION + " and " + VERSION + "); run `kolibri lock` again");
        }
        try {
            if (specDigest == null || !Digest.parse(specDigest).algorithm().equals("sha256")) throw new IllegalArgumentException();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`specDigest` must be sha256:<64 hex digits>, not " + (specDigest == null ? "missing" : "`" + specDigest + "`"));
        }
        if (sourceDateEpoch != null && sourceDateEpoch < 0) {
            throw new IllegalArgumentException("`sourceDateEpoch` must not be negative: " + sourceDateEpoch);
        }
        if (repositories == null) throw new IllegalArgumentException("`repositories` is missing");
        if (packages == null) throw new IllegalArgumentException("`packages` is missing");
        repositories = List.copyOf(repositories);
        Set<String> ids = new HashSet<>();
        for (LockedRepository r : repositories) {
            if (!ids.add(r.id())) throw new IllegalArgumentException("repository `" + r.id() + "` is listed twice");
        }
        SortedMap<String, List<LockedPackage>> sorted = new TreeMap<>();
        for (Map.Entry<String, List<LockedPackage>> e : packages.entrySet()) {
            String arch = e.getKey();
            if (arch == null || arch.isEmpty()) throw new IllegalArgumentException("`packages` has an empty arch");
            if (e.getValue() == null) throw new IllegalArgumentException("`packages." + arch + "` is missing");
            List<LockedPackage> list = new ArrayList<>(e.getValue());
            list.sort(Comparator.comparing(LockedPackage::name));
            for (int i = 0; i < list.size(); i++) {
                LockedPackage p = list.get(i);
                if (i > 0 && list.get(i - 1).name().equals(p.name())) {
                    throw new IllegalArgumentException("package `" + p.name() + "` is locked twice for arch " + arch);
                }
                if (!ids.contains(p.repository())) {
                    throw new IllegalArgumentException("package `" + p.name() + "` (" + arch + ") comes from repository `"
                            + p.repository() + "`, which the lockfile does not list");
                }
            }
            sorted.put(arch, List.copyOf(list));
        }
        packages = Collections.unmodifiableSortedMap(sorted);
        contents = List.copyOf(contents == null ? List.of() : contents);
    }

    /**
     * Where the lock of {@code spec} lives: beside its definition, named after the definition's file:
     * {@code images/python.yaml} → {@code images/python.lock.json}, its variant {@code builder} →
     * {@code images/python-builder.lock.json}; a second stream of the same image, {@code images/python-3.11.yaml},
     * → {@code images/python-3.11.lock.json}.
     */
    public static Path pathFor(ImageSpec spec) {
        if (spec.source() == null) throw new IllegalArgumentException("definition " + spec.name() + " has no file, so no lockfile beside it");
        String stem = spec.source().getFileName().toString().replaceFirst("\\.(yaml|yml|json)$", "");
        String file = stem + (spec.variant() == null ? "" : "-" + spec.variant()) + ".lock.json";
        return spec.source().resolveSibling(file);
    }

    /**
     * Reads and checks a lockfile.
     *
     * @throws LockException naming the file and line when it is missing, not JSON, or not a valid lock
     * @throws IOException   when it cannot be read
     */
    public static Lockfile read(Path file) throws IOException {
        return LockJson.read(file);
    }

    /** Reads the lock of {@code spec} and checks that it was made for it ({@code build --locked}). */
    public static Lockfile readFor(ImageSpec spec) throws IOException {
        Path file = pathFor(spec);
        Lockfile lock;
        try {
            lock = read(file);
        } catch (NoSuchFileException e) {
            throw new LockException(file + ": no lockfile for " + spec.source() + variantWords(spec)
                    + "; run `kolibri lock " + spec.source() + "`", e);
        }
        lock.checkMatches(spec);
        return lock;
    }

    /** Parses a lockfile from its bytes; {@code file} names it in messages. */
    public static Lockfile parse(byte[] json, Path file) {
        return LockJson.parse(json, file);
    }

    /** Writes this lock to {@code file} atomically (a temporary file beside it, then renamed into place). */
    public void write(Path file) throws IOException {
        LockJson.write(this, file);
    }

    /** The stable JSON form that {@link #write(Path)} writes. */
    public byte[] toJson() {
        return LockJson.bytes(this);
    }

    /** Whether this lock is of format 1: it names mirrors and no distro identity (read, never written). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isLegacy() {
        return version == LEGACY_VERSION;
    }

    /** The repository a package names. */
    public LockedRepository repositoryOf(LockedPackage p) {
        for (LockedRepository r : repositories) if (r.id().equals(p.repository())) return r;
        throw new IllegalStateException("package " + p.name() + " names repository " + p.repository() + ", not in the lock");
    }

    /** The packages locked for an OCI arch; empty when there are none. */
    public List<LockedPackage> packagesFor(String arch) {
        return packages.getOrDefault(arch, List.of());
    }

    /**
     * Checks that this lock was made for {@code spec} (an effective definition: a base or one variant).
     *
     * @throws LockMismatchException saying which file to lock again, when the spec changed since
     */
    public void checkMatches(ImageSpec spec) {
        Path lockPath = pathFor(spec);
        String want = spec.digest().toString();
        String relock = "; run `kolibri lock " + spec.source() + "`";
        if (!want.equals(specDigest)) {
            throw new LockMismatchException(lockPath + " was made for another version of " + spec.source() + variantWords(spec)
                    + " (spec digest " + want + ", lock says " + specDigest + ")" + relock);
        }
        Set<String> archs = new TreeSet<>(spec.archs());
        if (!archs.equals(packages.keySet())) {
            throw new LockMismatchException(lockPath + " locks the archs " + packages.keySet() + " but " + spec.source()
                    + variantWords(spec) + " asks for " + archs + relock);
        }
    }

    private static String variantWords(ImageSpec spec) {
        return spec.variant() == null ? "" : " (variant " + spec.variant() + ")";
    }
}
