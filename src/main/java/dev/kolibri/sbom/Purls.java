package dev.kolibri.sbom;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;

/**
 * Package URLs for packages, source packages and images, in the form syft writes (so grype and other
 * scanners match them) and in canonical purl form (qualifiers sorted, special characters percent-encoded).
 *
 * <ul>
 *   <li>Debian: {@code pkg:deb/debian/NAME@VERSION?arch=ARCH&distro=debian-12&upstream=SRC} with
 *       {@code upstream} only when the source name differs, and {@code SRC@SRCVERSION} when the source
 *       version differs too (dpkg's {@code Source: src (version)}).</li>
 *   <li>RPM: {@code pkg:rpm/fedora/NAME@VERSION-RELEASE?arch=ARCH&distro=fedora-40&epoch=N&upstream=SRPM}
 *       with the epoch only when set, and the source RPM file name as {@code upstream}.</li>
 *   <li>Image: {@code pkg:oci/NAME@sha256%3AHEX?arch=ARCH&tag=TAG}: the purl-spec {@code oci} type, digest as
 *       version, the last path segment of the repository as name.</li>
 * </ul>
 */
public final class Purls {
    private Purls() {}

    /** The purl of an installed binary package. */
    public static PackageURL of(SbomPackage p, OsInfo os) {
        return p.ecosystem().equals("rpm") ? rpm(p, os) : deb(p, os);
    }

    static PackageURL deb(SbomPackage p, OsInfo os) {
        var b = PackageURLBuilder.aPackageURL().withType("deb").withNamespace(os.id()).withName(p.name())
                .withVersion(p.version()).withQualifier("arch", p.arch()).withQualifier("distro", os.distro());
        boolean otherName = !p.sourceName().equals(p.name());
        boolean otherVersion = !p.sourceVersion().equals(p.version());
        if (otherVersion) b.withQualifier("upstream", p.sourceName() + "@" + p.sourceVersion());
        else if (otherName) b.withQualifier("upstream", p.sourceName());
        return build(b, p.name());
    }

    static PackageURL rpm(SbomPackage p, OsInfo os) {
        var b = PackageURLBuilder.aPackageURL().withType("rpm").withNamespace(rpmNamespace(os)).withName(p.name())
                .withVersion(p.version()).withQualifier("arch", p.arch()).withQualifier("distro", os.distro())
                .withQualifier("upstream", SourcePackage.of(p).srpmFileName());
        if (p.epoch() != null) b.withQualifier("epoch", p.epoch());
        return build(b, p.name());
    }

    /** The purl of a source package: {@code arch=source} for Debian, {@code arch=src} for RPM (as the archives name them). */
    static PackageURL source(SourcePackage s, OsInfo os) {
        boolean rpm = s.ecosystem().equals("rpm");
        var b = PackageURLBuilder.aPackageURL().withType(rpm ? "rpm" : "deb")
                .withNamespace(rpm ? rpmNamespace(os) : os.id()).withName(s.name()).withVersion(s.version())
                .withQualifier("arch", rpm ? "src" : "source").withQualifier("distro", os.distro());
        return build(b, s.name());
    }

    /** The purl of an image: {@code pkg:oci/python@sha256%3A...?arch=amd64&tag=3.11}. */
    public static PackageURL image(ImageSubject image) {
        String repo = image.name();
        String name = repo.substring(repo.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
        var b = PackageURLBuilder.aPackageURL().withType("oci").withName(name).withVersion(image.digest().toString());
        if (image.platform() != null) b.withQualifier("arch", image.platform().architecture());
        if (image.tag() != null && !image.tag().isBlank()) b.withQualifier("tag", image.tag());
        return build(b, repo);
    }

    /** Red Hat family images use {@code redhat} as syft does; Fedora, openSUSE and others their os-release ID. */
    private static String rpmNamespace(OsInfo os) {
        return switch (os.id()) {
            case "rhel", "hummingbird" -> "redhat";
            default -> os.id().startsWith("opensuse") ? "opensuse" : os.id();
        };
    }

    private static PackageURL build(PackageURLBuilder b, String what) {
        try {
            return b.build();
        } catch (MalformedPackageURLException e) {
            throw new SbomException("cannot make a package URL for '" + what + "': " + e.getMessage());
        }
    }
}
