package dev.kolibri.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.kolibri.vuln.Ecosystems;
import dev.kolibri.vuln.ScannedPackage;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Installed packages from an SBOM, ours or another tool's (syft writes the same purls), read from package URLs:
 * <ul>
 *   <li>{@code pkg:deb/debian/NAME@VER?arch=A&upstream=SRC%40SRCVER&distro=debian-12}: {@code upstream} names the
 *       source package, with its version when that differs (binNMUs); without it the source is the binary.</li>
 *   <li>{@code pkg:rpm/NS/NAME@V-R?arch=A&epoch=E&upstream=SRC-V-R.src.rpm&distro=fedora-40}.</li>
 * </ul>
 * Source packages ({@code arch=source}, {@code arch=src}) and purls of other types are skipped. The OS comes from
 * {@code --distro}, else a CycloneDX {@code operating-system} component, else the purls' {@code distro} qualifier.
 */
public final class SbomPackages {
    private SbomPackages() {}

    /** SPDX 2.x JSON: every package's {@code purl} external reference. */
    public static ScanTarget spdx(String name, JsonNode root, String distro) {
        List<Purl> purls = new ArrayList<>();
        for (JsonNode p : root.path("packages")) {
            for (JsonNode ref : p.path("externalRefs")) {
                if (ref.path("referenceType").asText().equals("purl")) purls.add(parse(ref.path("referenceLocator").asText(), name));
            }
        }
        return target(name, "spdx", purls, distro, null);
    }

    /** CycloneDX JSON: every component's {@code purl} (nested components too). */
    public static ScanTarget cyclonedx(String name, JsonNode root, String distro) {
        List<Purl> purls = new ArrayList<>();
        List<String> os = new ArrayList<>();
        collect(root.path("components"), purls, os, name);
        String osDistro = os.isEmpty() ? null : os.getFirst();
        return target(name, "cyclonedx", purls, distro, osDistro);
    }

    private static void collect(JsonNode components, List<Purl> purls, List<String> os, String name) {
        for (JsonNode c : components) {
            if (c.path("type").asText().equals("operating-system") && c.hasNonNull("name") && c.hasNonNull("version")) {
                os.add(c.path("name").asText() + "-" + c.path("version").asText());
            }
            if (c.hasNonNull("purl")) purls.add(parse(c.path("purl").asText(), name));
            collect(c.path("components"), purls, os, name);
        }
    }

    static Purl parse(String purl, String name) {
        try {
            return Purl.parse(purl);
        } catch (MalformedPackageURLException e) {
            throw new ScanInputException(name + ": malformed package URL '" + purl + "': " + e.getMessage(), e);
        }
    }

    static ScanTarget target(String name, String kind, List<Purl> purls, String distro, String osComponent) {
        TreeSet<String> distros = new TreeSet<>();
        List<Purl> installed = new ArrayList<>();
        for (Purl u : purls) {
            if (!u.type().equals("deb") && !u.type().equals("rpm")) continue;
            String arch = u.qualifier("arch");
            if ("source".equals(arch) || "src".equals(arch)) continue;
            if (u.version() == null) continue;
            installed.add(u);
            String d = u.qualifier("distro");
            if (d != null) distros.add(d);
        }
        Ecosystems.OsEcosystem os;
        if (distro != null) {
            os = Distros.parse(distro);
        } else if (osComponent != null) {
            os = Distros.parse(osComponent);
        } else if (distros.size() == 1) {
            os = Distros.parse(distros.first());
        } else if (distros.isEmpty()) {
            throw new ScanInputException(name + " names no operating system (no operating-system component, no distro qualifier in its purls); pass --distro (e.g. debian-12)");
        } else {
            throw new ScanInputException(name + " names several distributions " + distros + "; pass --distro to say which to scan as");
        }
        List<ScannedPackage> out = new ArrayList<>();
        for (Purl u : installed) {
            boolean deb = u.type().equals("deb");
            if (deb != (os.family() == Ecosystems.Family.DEB)) continue;
            out.add(deb ? deb(u) : rpm(u));
        }
        return new ScanTarget(name, kind, os.key(), null, out.stream().distinct().toList());
    }

    static ScannedPackage deb(PackageURL u) {
        return deb(Purl.of(u));
    }

    static ScannedPackage rpm(PackageURL u) {
        return rpm(Purl.of(u));
    }

    static ScannedPackage deb(Purl u) {
        String up = u.qualifier("upstream");
        String src = u.name();
        String srcVersion = u.version();
        if (up != null && !up.isBlank()) {
            int at = up.indexOf('@');
            src = at < 0 ? up : up.substring(0, at);
            if (at >= 0) srcVersion = up.substring(at + 1);
        }
        return new ScannedPackage(u.name(), u.version(), u.qualifier("arch"), src, srcVersion, u.canonical(), Ecosystems.Family.DEB);
    }

    static ScannedPackage rpm(Purl u) {
        String epoch = u.qualifier("epoch");
        String version = epoch == null || epoch.isBlank() || u.version().contains(":") ? u.version() : epoch + ":" + u.version();
        String src = srpmName(u.qualifier("upstream"));
        return new ScannedPackage(u.name(), version, u.qualifier("arch"), src, version, u.canonical(), Ecosystems.Family.RPM);
    }

    /** {@code openssl-3.0.7-27.el9.src.rpm} to {@code openssl}; null when not a source RPM file name. */
    static String srpmName(String upstream) {
        if (upstream == null || !upstream.endsWith(".src.rpm")) return upstream == null || upstream.isBlank() ? null : upstream;
        String nvr = upstream.substring(0, upstream.length() - ".src.rpm".length());
        int r = nvr.lastIndexOf('-');
        int v = r <= 0 ? -1 : nvr.lastIndexOf('-', r - 1);
        return v <= 0 ? nvr : nvr.substring(0, v);
    }
}
