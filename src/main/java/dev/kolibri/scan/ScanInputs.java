package dev.kolibri.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.finalize.OsRelease;
import dev.kolibri.fs.FileTree;
import dev.kolibri.inspect.ImageFiles;
import dev.kolibri.inspect.ImagePackages;
import dev.kolibri.inspect.OsIdentity;
import dev.kolibri.inspect.PackageRecord;
import dev.kolibri.lock.LockedPackage;
import dev.kolibri.lock.Lockfile;
import dev.kolibri.oci.ImageRef;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.oci.Platform;
import dev.kolibri.pkg.rpm.SourceRpm;
import dev.kolibri.vuln.Ecosystems;
import dev.kolibri.vuln.ScannedPackage;
import dev.kolibri.vuln.VulnException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a scan needs (packages and OS) from whatever the user names: an OCI layout ({@code DIR} or
 * {@code DIR:TAG}), an SPDX or CycloneDX JSON SBOM, or a Kolibri lockfile. See {@link SbomPackages} for SBOMs.
 */
public final class ScanInputs {
    /** Made on first use: CycloneDX SBOMs are read with the streaming parser alone. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private ScanInputs() {}

    /**
     * @param target   the argument as given
     * @param platform {@code linux/amd64} (or an arch name) to pick from a multi-platform image or lock; null picks
     *                 linux/amd64 when present, else the first
     * @param distro   the OS ({@code debian-12}, {@code Debian:12}) to use instead of the one the input names; null
     *                 to read it from the input
     */
    public static ScanTarget read(String target, String platform, String distro) throws IOException {
        ImageRef ref = ImageRef.parse(target);
        if (Files.isRegularFile(ref.dir().resolve("oci-layout"))) return image(ref, platform, distro);
        Path file = Path.of(target);
        if (Files.isDirectory(file)) {
            throw new ScanInputException(target + " is a directory but not an OCI image layout (no oci-layout file); give an image layout, an SBOM or a lockfile");
        }
        if (!Files.isRegularFile(file)) {
            throw new ScanInputException(target + ": no such image layout or file; give an OCI layout DIR[:TAG], an SPDX/CycloneDX JSON SBOM or a *.lock.json");
        }
        byte[] bytes = Files.readAllBytes(file);
        SbomStream.Kind kind;
        try {
            kind = SbomStream.kind(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ScanInputException(target + " is not JSON (" + e.getOriginalMessage() + "); give an OCI layout, an SPDX/CycloneDX JSON SBOM or a *.lock.json", e);
        }
        switch (kind) {
            case SPDX -> {
                return SbomPackages.spdx(target, Json.MAPPER.readTree(bytes), distro);
            }
            case CYCLONEDX -> {
                return SbomStream.cyclonedx(target, bytes, distro);
            }
            case LOCK -> {
                return lock(target, bytes, platform, distro);
            }
            case OTHER -> { }
        }
        throw new ScanInputException(target + " is JSON but neither an SPDX or CycloneDX SBOM nor a Kolibri lockfile");
    }

    /**
     * An image in an OCI layout: layers flattened, its package databases read ({@link ImagePackages}: dpkg's and
     * rpm's, each package scanned as the family of the database it came from) and its OS told by {@code distro},
     * else by os-release, else (os-release missing or without {@code VERSION_ID}) by the package database
     * (Debian's {@code base-files}, the rpm providing {@code system-release}).
     */
    public static ScanTarget image(ImageRef ref, String platform, String distro) throws IOException {
        OciLayout layout = LayoutReader.open(ref.dir());
        List<OciLayout.Image> images = layout.images(ref.tag(), p -> true);
        if (images.isEmpty()) throw new ScanInputException(ref + " holds no image");
        OciLayout.Image image = pick(images, platform, ref.toString());
        FileTree tree = ImageFiles.flatten(layout, image);
        ImagePackages installed = ImagePackages.read(tree);
        Ecosystems.OsEcosystem os = distro != null ? Distros.parse(distro) : os(ref + " (" + image.platform() + ")", tree, installed);
        List<ScannedPackage> packages = new ArrayList<>();
        for (PackageRecord r : installed.packages()) packages.add(scanned(r));
        return new ScanTarget(ref.toString(), "image", os.key(), image.platform().toString(), packages, installed.notes());
    }

    /** The OS of an image: os-release's ID and VERSION_ID, else the release its package database tells. */
    static Ecosystems.OsEcosystem os(String what, FileTree tree, ImagePackages installed) {
        OsIdentity id = OsIdentity.choose(OsRelease.read(tree), installed.distro());
        if (id.id() == null) {
            throw new ScanInputException(what + " has no os-release (etc/os-release or usr/lib/os-release) and its package "
                    + "database names no distribution release; pass --distro (e.g. debian-12)");
        }
        try {
            return Ecosystems.of(id.id(), id.versionId());
        } catch (VulnException e) {
            String from = id.evidence().equals(OsIdentity.OS_RELEASE) ? "" : " (from " + id.evidence() + ")";
            throw new ScanInputException(what + from + ": " + e.getMessage().replace("pass the OSV ecosystem explicitly", "pass --distro"), e);
        }
    }

    /** One package of an image's database as a scan sees it: Debian or RPM by the database it came from. */
    public static ScannedPackage scanned(PackageRecord r) {
        return switch (Ecosystems.Family.ofPackages(r.ecosystem())) {
            case DEB -> ScannedPackage.deb(r.name(), r.version(), r.arch(), r.sourceName(), r.sourceVersion());
            // the rpmdb names the source RPM file (fixture-1-1.src.rpm); advisories name the source package
            case RPM -> ScannedPackage.rpm(r.name(), r.version(), r.arch(),
                    SourceRpm.parse(r.sourceName()).map(SourceRpm::name).orElse(r.sourceName()));
        };
    }

    private static OciLayout.Image pick(List<OciLayout.Image> images, String platform, String what) {
        if (platform == null) return dev.kolibri.inspect.LayoutImages.defaultPlatform(images);
        Platform want = platform.contains("/") ? Platform.parse(platform) : Platform.ofArch(platform);
        return images.stream().filter(i -> i.platform().os().equals(want.os())
                        && i.platform().architecture().equals(want.architecture())
                        && (want.variant() == null || want.variant().equals(i.platform().variant())))
                .findFirst().orElseThrow(() -> new ScanInputException(what + " has no image for " + platform + " (it has "
                        + images.stream().map(i -> i.platform().toString()).toList() + "); choose one with --platform"));
    }

    /** A Kolibri lockfile: the packages locked for one arch; the OS from --distro or the repositories' suites. */
    public static ScanTarget lock(String target, byte[] bytes, String platform, String distro) {
        return lock(target, Lockfile.parse(bytes, Path.of(target)), platform, distro);
    }

    /** The packages of {@code lock} for one arch (see {@link #read}). */
    public static ScanTarget lock(String target, Lockfile lock, String platform, String distro) {
        if (lock.packages().isEmpty()) throw new ScanInputException(target + " locks no packages");
        String arch;
        if (platform == null) {
            arch = lock.packages().containsKey("amd64") ? "amd64" : lock.packages().keySet().iterator().next();
        } else {
            arch = (platform.contains("/") ? Platform.parse(platform) : Platform.ofArch(platform)).architecture();
            if (!lock.packages().containsKey(arch)) {
                throw new ScanInputException(target + " has no packages for " + platform + " (it locks " + lock.packages().keySet() + "); choose one with --platform");
            }
        }
        Ecosystems.OsEcosystem os = distro != null ? Distros.parse(distro) : Distros.ofRepositories(lock.repositories(), target);
        List<ScannedPackage> packages = new ArrayList<>();
        for (LockedPackage p : lock.packages().get(arch)) packages.add(scanned(p, os));
        return new ScanTarget(target, "lock", os.key(), "linux/" + arch, packages);
    }

    /** One locked package as a scan sees it. */
    public static ScannedPackage scanned(LockedPackage p, Ecosystems.OsEcosystem os) {
        return os.family() == Ecosystems.Family.DEB
                ? ScannedPackage.deb(p.name(), p.version(), p.arch(), p.source(), p.sourceVersion())
                : ScannedPackage.rpm(p.name(), p.version(), p.arch(), p.source());
    }

}
