package dev.kolibri.oci;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Updating an existing OCI layout the way {@code skopeo copy} and {@code umoci} do: the new entries replace the old
 * entries of the same {@code org.opencontainers.image.ref.name}, every other entry stays with the blobs it reaches,
 * and the files a writer does not own (a {@code README}, another tool's directory) stay too.
 *
 * <p>Replacing tag {@code T} also replaces Kolibri's per-platform tags derived from it: the old entries tagged
 * {@code T-<anything>} that point at a manifest of the old {@code T} index. An artifact entry (a manifest with a
 * {@code subject}, such as the build's SBOMs) whose subject is no longer in the layout goes with it. Blobs that no
 * remaining entry reaches are not carried over (as {@code umoci gc}). Kept blobs and files are hard links into the
 * new layout where the file system allows, else copies.
 */
final class LayoutUpdate {
    private static final Set<String> LAYOUT_FILES = Set.of("blobs", "index.json", "oci-layout");

    private LayoutUpdate() {}

    /**
     * Carries into {@code staging} what the old layout {@code old} keeps next to {@code ours}; returns the index to
     * write: the kept old entries in their order, then ours.
     *
     * @param replacedDirs directories (relative, {@code /}-separated) the writer writes whole: their old content is
     *                     not carried over
     */
    static ImageIndex merge(Path old, Path staging, ImageIndex ours, Set<String> replacedDirs) throws IOException {
        ImageIndex prev;
        try {
            prev = ImageIndex.parse(Files.readAllBytes(old.resolve("index.json")));
        } catch (java.nio.file.NoSuchFileException e) {
            prev = ImageIndex.of(List.of());
        } catch (OciFormatException e) {
            throw new OciLayoutException("cannot update " + old + ": its index.json is not valid (" + e.getMessage()
                    + "); nothing was changed; choose another output directory, or repair or remove this one", e);
        }
        Set<String> ourTags = new HashSet<>();
        for (Descriptor d : ours.manifests()) ourTags.add(tag(d));

        Map<String, Set<Digest>> replacedChildren = new LinkedHashMap<>();
        for (Descriptor d : prev.manifests()) {
            String t = tag(d);
            if (t != null && ourTags.contains(t) && isIndex(d.mediaType())) {
                Set<Digest> children = new HashSet<>();
                ImageIndex idx = readIndex(old, d);
                if (idx != null) idx.manifests().forEach(c -> children.add(c.digest()));
                replacedChildren.put(t, children);
            }
        }
        List<Descriptor> kept = new ArrayList<>();
        for (Descriptor d : prev.manifests()) {
            String t = tag(d);
            if (t != null && ourTags.contains(t)) continue;
            if (t != null && derived(t, d, replacedChildren)) continue;
            kept.add(d);
        }
        // artifacts whose subject left the layout go with it
        Set<Digest> present = new HashSet<>();
        for (Descriptor d : kept) reach(old, d, present, 0);
        for (Descriptor d : ours.manifests()) present.add(d.digest());
        for (Descriptor d : ours.manifests()) childrenOf(staging, d, present);
        List<Descriptor> remaining = new ArrayList<>();
        for (Descriptor d : kept) {
            Digest subject = subjectOf(old, d);
            if (subject == null || present.contains(subject)) remaining.add(d);
        }

        Set<Digest> blobs = new HashSet<>();
        for (Descriptor d : remaining) reach(old, d, blobs, 0);
        for (Digest b : blobs) {
            Path from = LayoutWriter.blobPath(old, b);
            Path to = LayoutWriter.blobPath(staging, b);
            if (!Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS) || Files.exists(to)) continue;
            Files.createDirectories(to.getParent());
            link(from, to);
        }
        carryFiles(old, staging, replacedDirs);

        Map<String, String> annotations = new LinkedHashMap<>(prev.annotations());
        annotations.putAll(ours.annotations());
        List<Descriptor> entries = new ArrayList<>(remaining);
        entries.addAll(ours.manifests());
        return new ImageIndex(entries, annotations, ours.subject(), ours.artifactType());
    }

    private static boolean derived(String t, Descriptor d, Map<String, Set<Digest>> replacedChildren) {
        for (var e : replacedChildren.entrySet()) {
            if (t.startsWith(e.getKey() + "-") && e.getValue().contains(d.digest())) return true;
        }
        return false;
    }

    private static String tag(Descriptor d) {
        return d.annotations().get(ImageIndex.REF_NAME);
    }

    private static boolean isIndex(String mediaType) {
        return MediaTypes.IMAGE_INDEX.equals(mediaType) || MediaTypes.DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    private static boolean isManifest(String mediaType) {
        return MediaTypes.IMAGE_MANIFEST.equals(mediaType) || MediaTypes.DOCKER_MANIFEST.equals(mediaType);
    }

    private static byte[] read(Path layout, Digest d) throws IOException {
        Path p = LayoutWriter.blobPath(layout, d);
        if (!Files.isRegularFile(p) || Files.size(p) > OciLayout.MAX_DOCUMENT) return null;
        return Files.readAllBytes(p);
    }

    private static ImageIndex readIndex(Path layout, Descriptor d) throws IOException {
        byte[] b = read(layout, d.digest());
        if (b == null) return null;
        try {
            return ImageIndex.parse(b);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Digest subjectOf(Path layout, Descriptor d) throws IOException {
        byte[] b = read(layout, d.digest());
        if (b == null) return null;
        try {
            if (isManifest(d.mediaType())) {
                Descriptor s = Manifest.parse(b).subject();
                return s == null ? null : s.digest();
            }
            if (isIndex(d.mediaType())) {
                Descriptor s = ImageIndex.parse(b).subject();
                return s == null ? null : s.digest();
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    private static void childrenOf(Path layout, Descriptor d, Set<Digest> into) throws IOException {
        if (!isIndex(d.mediaType())) return;
        ImageIndex idx = readIndex(layout, d);
        if (idx == null) return;
        for (Descriptor c : idx.manifests()) {
            if (into.add(c.digest())) childrenOf(layout, c, into);
        }
    }

    /** Every blob {@code d} reaches in {@code layout} (itself, children, configs, layers); unreadable ones end the walk. */
    private static void reach(Path layout, Descriptor d, Set<Digest> into, int depth) throws IOException {
        if (!d.digest().algorithm().equals("sha256") || !into.add(d.digest()) || depth > 8) return;
        byte[] b;
        try {
            if (isIndex(d.mediaType())) {
                b = read(layout, d.digest());
                if (b != null) for (Descriptor c : ImageIndex.parse(b).manifests()) reach(layout, c, into, depth + 1);
            } else if (isManifest(d.mediaType())) {
                b = read(layout, d.digest());
                if (b != null) {
                    Manifest m = Manifest.parse(b);
                    reach(layout, m.config(), into, depth + 1);
                    for (Descriptor l : m.layers()) reach(layout, l, into, depth + 1);
                }
            }
        } catch (IllegalArgumentException e) { // OciFormatException included
            // a document we cannot read: it is kept as it is, what it points at cannot be known
        }
    }

    /** Hard links (else copies) the old layout's own files into the new one, skipping what the writer replaces. */
    private static void carryFiles(Path old, Path staging, Set<String> replacedDirs) throws IOException {
        Files.walkFileTree(old, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String rel = relative(old, dir);
                if (rel.isEmpty()) return FileVisitResult.CONTINUE;
                if (LAYOUT_FILES.contains(rel) || replacedDirs.contains(rel)) return FileVisitResult.SKIP_SUBTREE;
                Path to = staging.resolve(rel);
                if (!Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(to);
                    Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(dir));
                }
                return Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = relative(old, file);
                if (LAYOUT_FILES.contains(rel)) return FileVisitResult.CONTINUE;
                Path to = staging.resolve(rel);
                if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) return FileVisitResult.CONTINUE; // the writer's wins
                if (attrs.isSymbolicLink()) Files.createSymbolicLink(to, Files.readSymbolicLink(file));
                else if (attrs.isRegularFile()) link(file, to);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }

    private static void link(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
