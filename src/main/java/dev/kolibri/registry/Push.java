package dev.kolibri.registry;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;
import dev.kolibri.oci.OciLayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Pushes an image (a manifest, or an index with its manifests) from an OCI layout to a registry. Order: every
 * blob first (in parallel, bounded; existing ones skipped, others mounted from a sibling repository when one has
 * them, else uploaded), then the child manifests by digest, then the top manifest or index under the tag, last, so
 * that no tag ever points at a manifest whose blobs are missing.
 */
public final class Push {
    private Push() {}

    /**
     * What a push did.
     *
     * @param digest        the digest of the top manifest or index
     * @param uploaded      blobs uploaded
     * @param skipped       blobs the registry had already
     * @param mounted       blobs mounted from a sibling repository
     * @param bytesUploaded bytes of the uploaded blobs
     * @param manifests     manifests and indexes put (the top one included)
     */
    public record Summary(Reference target, Digest digest, String mediaType, int uploaded, int skipped, int mounted,
                          long bytesUploaded, int manifests) {}

    /**
     * @param parallelism blobs transferred at once (at least 1)
     * @param mountFrom   repositories on the same registry to mount blobs from, tried in order
     */
    public record Options(int parallelism, List<String> mountFrom) {
        public Options {
            if (parallelism < 1) throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
            mountFrom = List.copyOf(mountFrom == null ? List.of() : mountFrom);
        }

        public static Options defaults() {
            return new Options(4, List.of());
        }
    }

    /**
     * Pushes {@code top} (an entry of the layout) and everything it references to {@code target}: under its tag,
     * or, for a digest reference, by digest (which must be {@code top}'s).
     */
    public static Summary push(RegistryClient client, OciLayout layout, Descriptor top, Reference target, Options options)
            throws IOException {
        if (!client.host().equals(target.registryHost())) {
            throw new IllegalArgumentException("client is for " + client.host() + ", target is " + target);
        }
        if (target.digest() != null && !target.digest().equals(top.digest())) {
            throw new RegistryException("DIGEST_INVALID", 0, false, "digest_invalid: " + target + ": the image to push is "
                    + top.digest() + ", not the digest the reference names; push by tag or name its digest");
        }
        Map<Digest, Descriptor> blobs = new TreeMap<>();
        Map<Digest, Descriptor> children = new LinkedHashMap<>();
        walk(layout, top, blobs, children, 0, true);
        for (Descriptor b : blobs.values()) {
            Path p = layout.path(b.digest());
            if (!Files.isRegularFile(p) || Files.size(p) != b.size()) {
                throw new RegistryException("BLOB_UNKNOWN", 0, false, "blob_unknown: " + layout.dir() + ": blob " + b.digest()
                        + " is missing or has the wrong size; rebuild the layout");
            }
        }
        String repo = target.repository();
        // Into a repository the registry does not have yet, every blob is to be sent: skip asking for each one.
        boolean fresh = options.mountFrom().isEmpty() && client.repositoryUnknown(repo);
        int[] counts = new int[3];
        long[] bytes = new long[1];
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.parallelism(), Math.max(1, blobs.size())));
        try {
            List<Future<RegistryClient.BlobResult>> futures = new ArrayList<>();
            List<Descriptor> order = new ArrayList<>(blobs.values());
            for (Descriptor b : order) futures.add(pool.submit(() -> pushOne(client, repo, layout, b, options.mountFrom(), fresh)));
            for (int i = 0; i < futures.size(); i++) {
                RegistryClient.BlobResult r = get(futures.get(i), futures);
                switch (r) {
                    case UPLOADED -> {
                        counts[0]++;
                        bytes[0] += order.get(i).size();
                    }
                    case EXISTED -> counts[1]++;
                    case MOUNTED -> counts[2]++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (Descriptor m : children.values()) {
            client.putManifest(repo, m.digest().toString(), m.mediaType(), layout.document(m));
        }
        String ref = target.tag() != null ? target.tag() : top.digest().toString();
        Digest pushed = client.putManifest(repo, ref, top.mediaType(), layout.document(top));
        return new Summary(target, pushed, top.mediaType(), counts[0], counts[1], counts[2], bytes[0], children.size() + 1);
    }

    /**
     * One blob: {@code HEAD} (not for a repository the registry does not have), else a mount from a sibling repository that has it, else an upload straight from the
     * layout's file. The upload does not hash the file again: the registry checks the bytes against {@code ?digest=}
     * (the distribution spec requires it) and refuses a mismatch, so a corrupt local blob fails the push before any
     * manifest or tag is written. Only then is the local file hashed, to say whether it or the transfer was bad.
     */
    private static RegistryClient.BlobResult pushOne(RegistryClient client, String repo, OciLayout layout, Descriptor b,
                                                     List<String> mountFrom, boolean fresh) throws IOException {
        Path file = layout.path(b.digest());
        Supplier<InputStream> content = () -> {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        if (!fresh && client.blobExists(repo, b.digest())) return RegistryClient.BlobResult.EXISTED;
        try {
            List<String> sources = mountFrom.stream().filter(from -> !from.equals(repo)).toList();
            for (int i = 0; i < sources.size(); i++) {
                String from = sources.get(i);
                // The last source is asked to mount straight away: a registry that cannot answers with an upload
                // session (202), which the blob is then uploaded into. Earlier ones are checked first (HEAD).
                if (i < sources.size() - 1 && !client.blobExists(from, b.digest())) continue;
                return client.mountBlob(repo, b, from, content);
            }
            client.upload(repo, b, content, null);
            return RegistryClient.BlobResult.UPLOADED;
        } catch (RegistryException e) {
            if (e.code().equals("DIGEST_INVALID") || e.code().equals("SIZE_INVALID")) checkLocal(layout, b, e);
            throw e;
        }
    }

    /** Hashes the layout's copy of a blob the registry refused; throws the layout's error when it is corrupt. */
    private static void checkLocal(OciLayout layout, Descriptor b, RegistryException refused) throws IOException {
        try (InputStream in = layout.blob(b)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException corrupt) {
            corrupt.addSuppressed(refused);
            throw corrupt;
        }
    }

    private static <T> T get(Future<T> f, List<? extends Future<?>> all) throws IOException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            for (Future<?> o : all) o.cancel(true);
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof UncheckedIOException u) throw u.getCause();
            if (c instanceof RuntimeException r) throw r;
            throw new IOException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("INTERRUPTED", 0, false, "interrupted: push was interrupted", e);
        }
    }

    /** Collects blobs (configs, layers) and child manifests in post-order (children before their index). */
    private static void walk(OciLayout layout, Descriptor d, Map<Digest, Descriptor> blobs, Map<Digest, Descriptor> children,
                             int depth, boolean top) throws IOException {
        if (depth > 8) throw new RegistryException("MANIFEST_INVALID", 0, false, "manifest_invalid: " + layout.dir()
                + ": index nesting deeper than 8 at " + d.digest());
        switch (d.mediaType()) {
            case MediaTypes.IMAGE_INDEX, MediaTypes.DOCKER_MANIFEST_LIST -> {
                ImageIndex idx = layout.index(d);
                for (Descriptor m : idx.manifests()) walk(layout, m, blobs, children, depth + 1, false);
                if (idx.subject() != null) blobs.remove(idx.subject().digest());
            }
            case MediaTypes.IMAGE_MANIFEST, MediaTypes.DOCKER_MANIFEST -> {
                Manifest m = layout.manifest(d);
                blobs.putIfAbsent(m.config().digest(), m.config());
                for (Descriptor l : m.layers()) {
                    if (!l.mediaType().contains("nondistributable") && !l.mediaType().contains("foreign")) blobs.putIfAbsent(l.digest(), l);
                }
            }
            default -> {
                if (top) throw new RegistryException("MANIFEST_INVALID", 0, false, "manifest_invalid: " + layout.dir() + ": "
                        + d.digest() + " is a " + d.mediaType() + ", not an image manifest or index");
                blobs.putIfAbsent(d.digest(), d);
                return;
            }
        }
        if (!top) children.putIfAbsent(d.digest(), d);
    }
}
