package dev.kolibri.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.kolibri.vuln.Ecosystems;
import dev.kolibri.vuln.ScannedPackage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        List<PackageURL> purls = new ArrayList<>();
        for (JsonNode p : root.path("packages")) {
            for (JsonNode ref : p.path("externalRefs")) {
                if (ref.path("referenceType").asText().equals("purl")) purls.add(parse(ref.path("referenceLocator").asText(), name));
            }
        }
        return target(name, "spdx", purls, distro, null);
    }

    /** CycloneDX JSON: every component's {@code purl} (nested components too). */
    public static ScanTarget cyclonedx(String name, JsonNode root, String distro) {
        List<PackageURL> purls = new ArrayList<>();
        List<String> os = new ArrayList<>();
        collect(root.path("components"), purls, os, name);
        String osDistro = os.isEmpty() ? null : os.getFirst();
        return target(name, "cyclonedx", purls, distro, osDistro);
    }

    private static void collect(JsonNode components, List<PackageURL> purls, List<String> os, String name) {
        for (JsonNode c : components) {
            if (c.path("type").asText().equals("operating-system") && c.hasNonNull("name") && c.hasNonNull("version")) {
                os.add(c.path("name").asText() + "-" + c.path("version").asText());
            }
            if (c.hasNonNull("purl")) purls.add(parse(c.path("purl").asText(), name));
            collect(c.path("components"), purls, os, name);
        }
    }

    private static PackageURL parse(String purl, String name) {
        try {
            return new PackageURL(purl);
        } catch (MalformedPackageURLException e) {
            throw new ScanInputException(name + ": malformed package URL '" + purl + "': " + e.getMessage(), e);
        }
    }

    private static ScanTarget target(String name, String kind, List<PackageURL> purls, String distro, String osComponent) {
        TreeSet<String> distros = new TreeSet<>();
        List<PackageURL> installed = new ArrayList<>();
        for (PackageURL u : purls) {
            if (!u.getType().equals("deb") && !u.getType().equals("rpm")) continue;
            String arch = qualifier(u, "arch");
            if ("source".equals(arch) || "src".equals(arch)) continue;
            if (u.getVersion() == null) continue;
            installed.add(u);
            String d = qualifier(u, "distro");
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
        for (PackageURL u : installed) {
            boolean deb = u.getType().equals("deb");
            if (deb != (os.family() == Ecosystems.Family.DEB)) continue;
            out.add(deb ? deb(u) : rpm(u));
        }
        return new ScanTarget(name, kind, os.key(), null, out.stream().distinct().toList());
    }

    static ScannedPackage deb(PackageURL u) {
        String up = qualifier(u, "upstream");
        String src = u.getName();
        String srcVersion = u.getVersion();
        if (up != null && !up.isBlank()) {
            int at = up.indexOf('@');
            src = at < 0 ? up : up.substring(0, at);
            if (at >= 0) srcVersion = up.substring(at + 1);
        }
        return new ScannedPackage(u.getName(), u.getVersion(), qualifier(u, "arch"), src, srcVersion, u.canonicalize(),
                Ecosystems.Family.DEB);
    }

    static ScannedPackage rpm(PackageURL u) {
        String epoch = qualifier(u, "epoch");
        String version = epoch == null || epoch.isBlank() || u.getVersion().contains(":") ? u.getVersion() : epoch + ":" + u.getVersion();
        String src = srpmName(qualifier(u, "upstream"));
        return new ScannedPackage(u.getName(), version, qualifier(u, "arch"), src, version, u.canonicalize(), Ecosystems.Family.RPM);
    }

    /** {@code openssl-3.0.7-27.el9.src.rpm} to {@code openssl}; null when not a source RPM file name. */
    static String srpmName(String upstream) {
        if (upstream == null || !upstream.endsWith(".src.rpm")) return upstream == null || upstream.isBlank() ? null : upstream;
        String nvr = upstream.substring(0, upstream.length() - ".src.rpm".length());
        int r = nvr.lastIndexOf('-');
        int v = r <= 0 ? -1 : nvr.lastIndexOf('-', r - 1);
        return v <= 0 ? nvr : nvr.substring(0, v);
    }

    private static String qualifier(PackageURL u, String key) {
        Map<String, String> q = u.getQualifiers();
        return q == null ? null : q.get(key);
    }
}
