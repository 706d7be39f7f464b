package dev.kolibri.describe;

import dev.kolibri.finalize.OsRelease;
import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.inspect.ImagePackages;
import dev.kolibri.inspect.OsIdentity;
import dev.kolibri.inspect.PackageRecord;
import dev.kolibri.layer.ContentLayers;
import dev.kolibri.pkg.deb.Debian;
import dev.kolibri.sbom.ImageSubject;
import dev.kolibri.sbom.Licenses;
import dev.kolibri.sbom.SbomFile;
import dev.kolibri.sbom.OsInfo;
import dev.kolibri.sbom.SbomInput;
import dev.kolibri.sbom.SbomPackage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the {@link SbomInput} of one platform image from its root file system and the package records of its
 * database. The same code serves the build (which adds each package file's sha256 and URL from the lock) and
 * {@code kolibri sbom} on any image, so both list the same packages with the same purls and licences.
 */
public final class SbomInputs {
    /** os-release's own default when a file names no {@code ID}. */
    static final String DEFAULT_OS_ID = "linux";

    private SbomInputs() {}

    /**
     * @param image       the image described (the platform manifest digest and its layers)
     * @param tree        the image's root file system (os-release, {@code usr/share/doc/<pkg>/copyright})
     * @param packages    its installed packages, as {@link ImagePackages#read} gives them (the distribution release
     *                    they tell stands in for an os-release without {@code VERSION_ID})
     * @param files       package key ({@code name:arch}) to the file it was installed from; empty for an image
     *                    read back
     * @param epoch       the documents' creation time, seconds since 1970
     * @param toolVersion Kolibri's version
     */
    public static SbomInput of(ImageSubject image, FileTree tree, ImagePackages packages,
                               Map<String, PackageFile> files, long epoch, String toolVersion) {
        List<SbomPackage> out = new ArrayList<>();
        for (PackageRecord r : packages.packages()) {
            PackageFile f = files.get(r.key());
            out.add(new SbomPackage(r.ecosystem(), r.name(), r.version(), r.arch(), r.sourceName(), r.sourceVersion(),
                    r.maintainer(), r.ecosystem().equals("rpm") ? Licenses.fromRpmLicense(r.field("License"))
                            : license(tree, r.name()), f == null ? null : f.sha256(), f == null ? null : f.url(), null));
        }
        return new SbomInput(image, out, Dependencies.edges(packages.packages(), debArch(image)), epoch, toolVersion,
                os(tree, packages.distro()));
    }

    /**
     * The regular files {@code contents:} added (owned by {@code contents:<to>} in the build's tree, or read from
     * such a layer by {@link dev.kolibri.inspect.ImageFiles}), with their hashes.
     */
    public static List<SbomFile> contentFiles(FileTree tree) {
        List<SbomFile> out = new ArrayList<>();
        for (FileEntry e : tree.entries()) {
            if (e.type() != EntryType.FILE || !ContentLayers.isContents(e.owner())) continue;
            out.add(new SbomFile("/" + e.path(), hex("SHA-1", e.content()), hex("SHA-256", e.content()),
                    e.owner().substring(ContentLayers.PREFIX.length())));
        }
        return out;
    }

    private static String hex(String algorithm, byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance(algorithm).digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }

    private static String debArch(ImageSubject image) {
        if (image.platform() == null) return null;
        try {
            return Debian.INSTANCE.archOf(image.platform().architecture());
        } catch (IllegalArgumentException e) {
            return null; // an architecture Debian does not know: relations are read for each package's own arch
        }
    }

    /** {@code ID} and {@code VERSION_ID} of the tree's os-release ({@code linux} when it names no ID). */
    static OsInfo os(FileTree tree) {
        return os(tree, null);
    }

    /**
     * {@code ID} and {@code VERSION_ID} of the tree's os-release; when it lacks either, the release the package
     * database tells ({@code fromDatabase}, may be null), as {@code kolibri scan} takes it ({@link OsIdentity#choose});
     * {@code linux} when nothing names an ID.
     */
    static OsInfo os(FileTree tree, OsIdentity fromDatabase) {
        OsIdentity os = OsIdentity.choose(OsRelease.read(tree), fromDatabase);
        return new OsInfo(os.id() == null ? DEFAULT_OS_ID : os.id(), os.versionId());
    }

    /** The SPDX expression of {@code usr/share/doc/<name>/copyright} (symlinks followed), or null. */
    public static String license(FileTree tree, String name) {
        return copyright(tree, name)
                .map(e -> Licenses.fromDebianCopyright(new String(e.content(), StandardCharsets.UTF_8)))
                .orElse(null);
    }

    private static Optional<FileEntry> copyright(FileTree tree, String name) {
        return tree.resolve("usr/share/doc/" + name + "/copyright")
                .flatMap(tree::get)
                .map(e -> e.type() == EntryType.HARDLINK ? tree.get(e.linkTarget()).orElse(e) : e)
                // a copyright file is text of a few KiB: one bigger than 16 MiB names no license (and is not read)
                .filter(e -> e.type() == EntryType.FILE && e.data() != null && e.size() <= 16L << 20);
    }
}
