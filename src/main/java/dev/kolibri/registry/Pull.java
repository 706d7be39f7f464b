package dev.kolibri.registry;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.Digest;
import dev.kolibri.oci.ImageIndex;
import dev.kolibri.oci.LayoutWriter;
import dev.kolibri.oci.Manifest;
import dev.kolibri.oci.MediaTypes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Pulls an image (a manifest, or a whole multi-arch index) from a registry into an OCI layout directory, written
 * atomically with {@link LayoutWriter}. Every manifest and blob is checked against its digest and size. The layout's
 * {@code index.json} names the image by the reference's tag ({@code org.opencontainers.image.ref.name}), or
 * {@code sha256-<hex>} when the reference has only a digest. An existing layout is updated (its other tags kept); an
 * existing directory that is not a layout is refused before anything is fetched.
 */
public final class Pull {
    private Pull() {}

    /** What a pull did: the top digest and media type, manifests and blobs fetched, bytes of blobs. */
    public record Summary(Reference source, Digest digest, String mediaType, int manifests, int blobs, long bytes) {}

    public static Summary pull(RegistryClient client, Reference ref, Path layoutDir) throws IOException {
        return pull(client, ref, layoutDir, 4);
    }

    public static Summary pull(RegistryClient client, Reference ref, Path layoutDir, int parallelism) throws IOException {
        if (!client.host().equals(ref.registryHost())) {
            throw new IllegalArgumentException("client is for " + client.host() + ", reference is " + ref);
        }
        String repo = ref.repository();
        // the layout first: a directory that is not one is refused before anything is downloaded
        LayoutWriter.check(layoutDir);
        RegistryClient.RemoteManifest top = client.getManifest(repo, ref.reference(), List.of());
        Path abs = layoutDir.toAbsolutePath().normalize();
        try (LayoutWriter w = LayoutWriter.create(abs)) {
            // downloads go inside the staging directory, so that a killed pull leaves nothing the next run misses
            Path scratch = Files.createDirectory(w.stagingDir().resolve("pull-scratch"));
            Map<Digest, Descriptor> blobs = new TreeMap<>();
            int[] manifests = {0};
            store(client, repo, top, w, blobs, manifests, 0);
            long bytes = download(client, repo, blobs, w, scratch, parallelism);
            deleteTree(scratch);
            String name = ref.tag() != null ? ref.tag() : top.digest().dashed();
            Descriptor entry = top.descriptor().withAnnotations(Map.of(ImageIndex.REF_NAME, name));
            w.commit(ImageIndex.of(List.of(entry)));
            return new Summary(ref, top.digest(), top.mediaType(), manifests[0], blobs.size(), bytes);
        }
    }

    private static void store(RegistryClient client, String repo, RegistryClient.RemoteManifest m, LayoutWriter w,
                              Map<Digest, Descriptor> blobs, int[] count, int depth) throws IOException {
        String where = client.host() + "/" + repo;
        if (depth > 8) throw invalid(where, "index nesting deeper than 8 at " + m.digest());
        w.addBlob(m.mediaType(), m.bytes());
        count[0]++;
        try {
            switch (m.mediaType()) {
                case MediaTypes.IMAGE_INDEX, MediaTypes.DOCKER_MANIFEST_LIST -> {
                    for (Descriptor child : ImageIndex.parse(m.bytes()).manifests()) {
                        RegistryClient.RemoteManifest cm = client.getManifest(repo, child.digest().toString(), List.of(child.mediaType()));
                        if (cm.bytes().length != child.size()) {
                            throw invalid(where, "manifest " + child.digest() + " has " + cm.bytes().length
                                    + " bytes, the index says " + child.size());
                        }
                        store(client, repo, new RegistryClient.RemoteManifest(cm.bytes(), child.mediaType(), cm.digest()),
                                w, blobs, count, depth + 1);
                    }
                }
                case MediaTypes.IMAGE_MANIFEST, MediaTypes.DOCKER_MANIFEST -> {
                    Manifest man = Manifest.parse(m.bytes());
                    blobs.putIfAbsent(man.config().digest(), man.config());
                    for (Descriptor l : man.layers()) blobs.putIfAbsent(l.digest(), l);
                }
                default -> throw invalid(where, m.digest() + " is a " + m.mediaType() + ", not an image manifest or index");
            }
        } catch (IllegalArgumentException e) { // OciFormatException included
            throw invalid(where, "manifest " + m.digest() + ": " + e.getMessage());
        }
    }

    private static long download(RegistryClient client, String repo, Map<Digest, Descriptor> blobs, LayoutWriter w,
                                 Path scratch, int parallelism) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, blobs.size())));
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (Descriptor d : blobs.values()) futures.add(pool.submit(() -> fetchOne(client, repo, d, w, scratch)));
            long total = 0;
            for (Future<Long> f : futures) {
                try {
                    total += f.get();
                } catch (ExecutionException e) {
                    for (Future<Long> o : futures) o.cancel(true);
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) throw io;
                    if (c instanceof UncheckedIOException u) throw u.getCause();
                    if (c instanceof RuntimeException r) throw r;
                    throw new IOException(c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryException("INTERRUPTED", 0, false, "interrupted: pull was interrupted", e);
                }
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long fetchOne(RegistryClient client, String repo, Descriptor d, LayoutWriter w, Path scratch)
            throws IOException {
        Path tmp = scratch.resolve(d.digest().hex());
        for (int attempt = 1; ; attempt++) {
            try (InputStream in = client.getBlob(repo, d); OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
                break;
            } catch (RegistryException e) {
                if (!e.isTemporary() && !e.code().equals("DIGEST_INVALID") || attempt >= client.maxAttempts()) throw e;
            } catch (IOException e) {
                RegistryException re = client.connectionError(e, repo, client.host());
                if (attempt >= client.maxAttempts()) throw re;
            }
            client.sleep(attempt);
        }
        synchronized (w) {
            w.addBlob(tmp, d);
        }
        Files.deleteIfExists(tmp);
        return d.size();
    }

    private static RegistryException invalid(String where, String what) {
        return new RegistryException("MANIFEST_INVALID", 0, false, "manifest_invalid: " + where + ": " + what);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = new ArrayList<>(s.toList());
        }
        all.sort(java.util.Comparator.reverseOrder());
        for (Path p : all) Files.deleteIfExists(p);
    }
}
