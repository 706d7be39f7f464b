package dev.kolibri.describe;

import dev.kolibri.fs.FileTree;
import dev.kolibri.inspect.ImageFiles;
import dev.kolibri.inspect.LayoutImages;
import dev.kolibri.inspect.ImagePackages;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageRef;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.oci.Platform;
import dev.kolibri.sbom.ImageSubject;
import dev.kolibri.sbom.SbomInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SBOM input of any image in an OCI layout, read from its files: the layers are applied in order, then the
 * package databases ({@link ImagePackages}), os-release and the packages' copyright files are read. The
 * image name is the config's {@code org.opencontainers.image.title} label (else the layout directory's name) and
 * the epoch is the config's {@code created} time (else 0), so a Kolibri image gives the name and time its build
 * SBOM has.
 */
public final class ImageSbom {
    static final String TITLE = "org.opencontainers.image.title";
    /** {@code host[:port]/repo...} or {@code ...@sha256:...}: what a registry reference looks like. */
    private static final Pattern REGISTRY_REF = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]+)?/[^\\s]+|[^\\s@]+@[a-z0-9]+:[0-9a-f]+");

    private ImageSbom() {}

    /**
     * Parses {@code DIR} or {@code DIR:TAG}; refuses, with a clear message, a registry reference or a missing
     * directory.
     */
    public static ImageRef parseRef(String image) throws DescribeException {
        ImageRef ref = ImageRef.parse(image);
        if (Files.isDirectory(ref.dir())) return ref;
        if (REGISTRY_REF.matcher(image).matches() && !Files.exists(ref.dir())) {
            throw new DescribeException("'" + image + "' looks like a registry reference; reading images from registries "
                    + "is not supported yet: copy it into an OCI layout first (e.g. `skopeo copy docker://REF oci:DIR:TAG`) "
                    + "and pass DIR:TAG");
        }
        throw new DescribeException("no OCI layout at " + ref.dir() + " (IMAGE is DIR or DIR:TAG of an OCI image layout)");
    }

    /**
     * Reads the image {@code ref} names for {@code platform} (null: the image's only platform).
     *
     * An image without a package database Kolibri can read gives an input without packages.
     *
     * @throws DescribeException naming the platforms there are, when none matches or several do without a
     *                           {@code platform}
     */
    public static SbomInput read(ImageRef ref, Platform platform, String toolVersion) throws IOException, DescribeException {
        return describe(ref, platform, toolVersion).input();
    }

    /** What {@link #describe} reads: the SBOM input and the notes about the image's package databases. */
    public record Described(SbomInput input, List<String> notes) {
        public Described {
            notes = List.copyOf(notes);
        }
    }

    /** Like {@link #read}, with the notes of {@link ImagePackages} (no package database found, two). */
    public static Described describe(ImageRef ref, Platform platform, String toolVersion) throws IOException, DescribeException {
        OciLayout layout = LayoutReader.open(ref.dir());
        String tag = ref.tag() != null ? ref.tag() : LayoutImages.defaultTag(layout);
        List<OciLayout.Image> all = layout.images(tag, p -> true);
        List<OciLayout.Image> chosen = all.stream().filter(i -> platform == null || matches(platform, i.platform())).toList();
        String names = String.join(", ", all.stream().map(i -> i.platform().toString()).toList());
        if (chosen.isEmpty()) {
            throw new DescribeException(ref + " has no image for " + (platform == null ? "any platform" : platform)
                    + " (it has: " + (names.isEmpty() ? "none" : names) + ")");
        }
        // several platforms and no --platform: the same default as `scan` (linux/amd64, else the first)
        OciLayout.Image image = chosen.size() == 1 ? chosen.get(0) : LayoutImages.defaultPlatform(chosen);
        FileTree tree = ImageFiles.flatten(layout, image);
        ImagePackages packages = ImagePackages.read(tree);
        Descriptor top = layout.resolve(tag);
        String resolvedTag = top.annotations().getOrDefault(dev.kolibri.oci.ImageIndex.REF_NAME, tag);
        ImageSubject subject = new ImageSubject(name(ref.dir(), image), resolvedTag, image.descriptor().digest(),
                image.platform(), image.manifest().layers().stream().map(Descriptor::digest).toList());
        long epoch = image.config().created() == null ? 0 : Math.max(0, image.config().created().getEpochSecond());
        return new Described(SbomInputs.of(subject, tree, packages, Map.of(), epoch, toolVersion)
                .withFiles(SbomInputs.contentFiles(tree)), packages.notes());
    }

    private static boolean matches(Platform want, Platform have) {
        return want.os().equals(have.os()) && want.architecture().equals(have.architecture())
                && (want.variant() == null || want.variant().equals(have.variant()));
    }

    private static String name(Path dir, OciLayout.Image image) {
        String title = image.config().labels().get(TITLE);
        if (title != null && !title.isBlank()) return title;
        Path f = dir.toAbsolutePath().normalize().getFileName();
        return f == null ? "image" : f.toString();
    }
}
