package dev.kolibri.repo;

import com.github.luben.zstd.ZstdInputStream;
import dev.kolibri.oci.Digest;
import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Package;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.pkg.rpm.Filelists;
import dev.kolibri.pkg.rpm.Primary;
import dev.kolibri.pkg.rpm.RepoMd;
import dev.kolibri.pkg.rpm.RpmMetadataException;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Loads an RPM (yum/dnf) repository, believing nothing that the signed {@code repomd.xml} does not vouch for:
 * <ol>
 *   <li>{@code repodata/repomd.xml}, and its detached signature {@code repodata/repomd.xml.asc} checked against the
 *       source's keyring; a repository without the signature is refused unless the source does not require one
 *       (yum's {@code repo_gpgcheck=0}; then a warning says so).</li>
 *   <li>The {@code primary} file it names ({@code .gz}, {@code .xz}, {@code .zst}, {@code .bz2} or plain): size and
 *       checksum (sha256 or sha512) checked before decompressing, the decompressed stream against
 *       {@code open-checksum}/{@code open-size} when given; read by {@link Primary}: packages of {@code arch} and
 *       {@code noarch}.</li>
 *   <li>Only when a file dependency (a requirement on a path starting with {@code /}) is not met by primary's file
 *       list: the {@code filelists} file, checked the same way, adding the needed paths (and only those) as
 *       provides of the packages that own them.</li>
 *   <li>{@code modules} (modularity) metadata is ignored with a warning: no module stream filtering.</li>
 * </ol>
 * The snapshot id (and each package's {@code repository}) is the base URL.
 */
public final class RpmRepository {
    private RpmRepository() {}

    /**
     * @param arch the rpm arch ({@code x86_64}, {@code aarch64}, ...); {@code noarch} packages are kept as well
     */
    public static RpmSnapshot load(RpmSource src, String arch, MetadataClient client) throws RepositoryException {
        if (arch == null || !arch.matches("[a-z0-9_]+") || arch.equals("noarch") || arch.equals("src")) {
            throw new IllegalArgumentException("not an rpm machine arch: '" + arch + "' (expected x86_64, aarch64, ...)");
        }
        URI base = src.base();
        String id = base.toString();
        List<String> warnings = new ArrayList<>();
        URI repomdUrl = base.resolve("repodata/repomd.xml");
        Optional<byte[]> fetched = client.getIfExists(repomdUrl);
        if (fetched.isEmpty()) {
            throw new RepositoryException("no rpm repository at " + base + ": " + repomdUrl + " does not exist (check the baseurl)");
        }
        byte[] repomdBytes = fetched.get();
        URI sigUrl = base.resolve("repodata/repomd.xml.asc");
        if (src.requireSignature()) {
            Optional<byte[]> sig = client.getIfExists(sigUrl);
            if (sig.isEmpty()) {
                throw new RepositoryException("unsigned repository metadata refused: " + repomdUrl + " has no signature "
                        + sigUrl + " (turn signature checking off only for a repository you trust otherwise)");
            }
            SignatureVerifier.verifyDetached(repomdBytes, sig.get(), src.keyring(), sigUrl.toString());
        } else {
            warnings.add(repomdUrl + ": signature not checked (repo_gpgcheck off): the metadata is trusted as fetched");
        }
        RepoMd repomd;
        try {
            repomd = RepoMd.parse(repomdBytes, repomdUrl.toString());
        } catch (RpmMetadataException e) {
            throw new RepositoryException(e.getMessage(), e);
        }
        if (repomd.data().containsKey("modules")) {
            warnings.add(repomdUrl + " has modular metadata (modules): ignored, so module streams are neither "
                    + "enabled nor filtered; modular and non-modular packages are all candidates");
        }
        RepoMd.Data primaryData = repomd.data().get("primary");
        if (primaryData == null) {
            throw new RepositoryException(repomdUrl + " names no primary metadata (types: " + repomd.data().keySet() + ")");
        }
        Primary.Result primary = read(base, primaryData, client,
                (in, name) -> Primary.read(in, name, base, id, arch));
        warnings.addAll(primary.warnings());
        List<Package> packages = primary.packages();

        SortedSet<String> missing = unmetFileDependencies(packages);
        if (!missing.isEmpty()) {
            RepoMd.Data filelistsData = repomd.data().get("filelists");
            if (filelistsData == null) {
                warnings.add(repomdUrl + " has no filelists, so the file dependencies " + missing + " stay unmet");
            } else {
                Map<String, SortedSet<String>> owned = read(base, filelistsData, client,
                        (in, name) -> Filelists.read(in, name, missing));
                packages = addFileProvides(packages, owned);
            }
        }
        return new RpmSnapshot(new RepoSnapshot(id, Digest.sha256(repomdBytes), packages), warnings);
    }

    /**
     * Names that dnf (libsolv) would never choose in a fresh install because another-named package in the pool
     * obsoletes every version of them: dnf installs the obsoleting package instead, even when the name is asked for.
     * Pass them as {@code SolveOptions.excluded} to match dnf. Obsoletes match real names and versions, not provides.
     */
    public static java.util.SortedSet<String> obsoletedNames(java.util.Collection<Package> pool) {
        Map<String, List<Package>> byName = new java.util.TreeMap<>();
        for (Package p : pool) byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        SortedSet<String> out = new TreeSet<>();
        for (var e : byName.entrySet()) {
            boolean all = e.getValue().stream().allMatch(victim -> pool.stream().anyMatch(o -> !o.name().equals(victim.name())
                    && o.obsoletes().stream().anyMatch(c -> dev.kolibri.pkg.rpm.RpmVersions.INSTANCE.satisfies(
                            new Capability(victim.name(), victim.version()), c))));
            if (all) out.add(e.getKey());
        }
        return out;
    }

    /** Paths required (anywhere in a depends or recommends, rich ones included) that no package provides. */
    static SortedSet<String> unmetFileDependencies(List<Package> packages) {
        SortedSet<String> wanted = new TreeSet<>();
        for (Package p : packages) {
            for (Requirement r : p.depends()) paths(r, wanted);
            for (Requirement r : p.recommends()) paths(r, wanted);
        }
        if (wanted.isEmpty()) return wanted;
        for (Package p : packages) {
            for (Capability c : p.provides()) wanted.remove(c.name());
        }
        return wanted;
    }

    private static void paths(Requirement r, Set<String> out) {
        switch (r) {
            case Requirement.Atom a -> {
                if (a.constraint().name().startsWith("/")) out.add(a.constraint().name());
            }
            case Requirement.AnyOf any -> any.alternatives().forEach(x -> paths(x, out));
            case Requirement.AllOf all -> all.all().forEach(x -> paths(x, out));
            case Requirement.IfThen it -> {
                paths(it.cond(), out);
                if (it.then() != null) paths(it.then(), out);
                if (it.otherwise() != null) paths(it.otherwise(), out);
            }
        }
    }

    private static List<Package> addFileProvides(List<Package> packages, Map<String, SortedSet<String>> owned) {
        if (owned.isEmpty()) return packages;
        List<Package> out = new ArrayList<>(packages.size());
        for (Package p : packages) {
            SortedSet<String> paths = owned.get(p.sha256());
            if (paths == null) {
                out.add(p);
                continue;
            }
            List<Capability> provides = new ArrayList<>(p.provides());
            for (String path : paths) {
                Capability c = Capability.of(path);
                if (!provides.contains(c)) provides.add(c);
            }
            out.add(new Package(p.name(), p.version(), p.arch(), p.sourceName(), p.sourceVersion(), provides,
                    p.depends(), p.recommends(), p.conflicts(), p.obsoletes(), p.repository(), p.location(), p.size(),
                    p.sha256(), p.fields()));
        }
        return out;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(InputStream in, String name);
    }

    /** Fetches one metadata file, checks it, and streams it decompressed (and checked again) into {@code reader}. */
    private static <T> T read(URI base, RepoMd.Data d, MetadataClient client, Reader<T> reader) throws RepositoryException {
        String href = d.href().strip();
        if (href.startsWith("/") || href.contains("://") || List.of(href.split("/")).contains("..")) {
            throw new RepositoryException(base + "repodata/repomd.xml: " + d.type() + " location '" + href + "' is not a plain relative path: refused");
        }
        URI url = base.resolve(href);
        byte[] data = client.get(url);
        if (d.size() >= 0 && data.length != d.size()) {
            throw new RepositoryException(url + " has " + data.length + " bytes, the repomd.xml says " + d.size() + ": refused");
        }
        String got = hex(digest(d.checksumType(), url).digest(data));
        if (!got.equals(d.checksum())) {
            throw new RepositoryException(url + " has " + d.checksumType() + " " + got + ", the repomd.xml says " + d.checksum() + ": refused");
        }
        MessageDigest open = d.openChecksum() == null ? null : digest(d.openChecksumType(), url);
        String name = url.toString();
        try (Checked in = new Checked(decompressor(href, data, url), open, d.openSize(), url)) {
            T result;
            try {
                // the XML reader may close its input at the end of the document; the rest is drained and checked below
                result = reader.read(new FilterInputStream(in) {
                    @Override
                    public void close() {
                    }
                }, name);
            } catch (RpmMetadataException e) {
                if (in.failure != null) throw in.failure;
                throw new RepositoryException(e.getMessage(), e);
            }
            in.drain();
            if (d.openSize() >= 0 && in.count != d.openSize()) {
                throw new RepositoryException(url + " decompresses to " + in.count + " bytes, the repomd.xml says " + d.openSize() + ": refused");
            }
            if (open != null) {
                String o = hex(open.digest());
                if (!o.equals(d.openChecksum())) {
                    throw new RepositoryException(url + " decompresses to " + d.openChecksumType() + " " + o
                            + ", the repomd.xml says " + d.openChecksum() + ": refused");
                }
            }
            return result;
        } catch (IOException | UncheckedIOException e) {
            throw new RepositoryException("cannot decompress " + url + ": " + e.getMessage(), e);
        }
    }

    private static InputStream decompressor(String href, byte[] data, URI url) throws IOException, RepositoryException {
        InputStream raw = new ByteArrayInputStream(data);
        String h = href.toLowerCase(Locale.ROOT);
        if (h.endsWith(".gz")) return new GZIPInputStream(raw, 65536);
        if (h.endsWith(".xz")) return new XZInputStream(raw);
        if (h.endsWith(".zst") || h.endsWith(".zstd")) return new ZstdInputStream(raw);
        if (h.endsWith(".bz2")) return new BZip2CompressorInputStream(raw);
        if (h.endsWith(".xml")) return raw;
        throw new RepositoryException(url + ": unknown compression (supported: .gz, .xz, .zst, .bz2, plain .xml)");
    }

    private static MessageDigest digest(String type, URI url) throws RepositoryException {
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        String alg = switch (t) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new RepositoryException(url + ": checksum type '" + type + "' in repomd.xml is not "
                    + "supported (sha256 or sha512 expected; recreate the repository with createrepo_c --checksum sha256)");
        };
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Counts and digests what is read; refuses more than {@code limit} bytes (when known) as it goes. */
    private static final class Checked extends FilterInputStream {
        final MessageDigest md;
        final long limit;
        final URI url;
        long count;
        RepositoryException failure;

        Checked(InputStream in, MessageDigest md, long limit, URI url) {
            super(in);
            this.md = md;
            this.limit = limit;
            this.url = url;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                if (md != null) md.update(b, off, n);
                if (limit >= 0 && count > limit) {
                    failure = new RepositoryException(url + " decompresses to more than the " + limit + " bytes the repomd.xml says: refused");
                    throw new IOException(failure.getMessage());
                }
            }
            return n;
        }

        void drain() throws IOException {
            byte[] buf = new byte[65536];
            while (read(buf, 0, buf.length) >= 0) {
                // count and digest the rest
            }
        }
    }
}
