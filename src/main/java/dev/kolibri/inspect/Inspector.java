package dev.kolibri.inspect;

import dev.kolibri.finalize.FinalizeContext;
import dev.kolibri.finalize.Policy;
import dev.kolibri.finalize.PolicyFinding;
import dev.kolibri.fs.FileTree;
import dev.kolibri.layer.LayerPlan;
import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageConfig;
import dev.kolibri.oci.ImageRef;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.pkg.deb.Debian;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Looks inside an image in an OCI layout: layers, configuration, packages, policy findings. */
public final class Inspector {
    private Inspector() {}

    public static Inspection inspect(ImageRef ref) throws IOException {
        OciLayout layout = LayoutReader.open(ref.dir());
        String wanted = ref.tag() != null ? ref.tag() : LayoutImages.defaultTag(layout);
        Descriptor top = layout.resolve(wanted);
        List<Inspection.PlatformReport> reports = new ArrayList<>();
        for (OciLayout.Image image : layout.images(wanted, p -> true)) {
            reports.add(platform(layout, image));
        }
        String tag = top.annotations().getOrDefault("org.opencontainers.image.ref.name", wanted);
        return new Inspection(ref.toString(), tag, top.digest().toString(), top.mediaType(), reports);
    }

    private static Inspection.PlatformReport platform(OciLayout layout, OciLayout.Image image) throws IOException {
        ImageConfig c = image.config();
        List<Inspection.LayerReport> layers = new ArrayList<>();
        long compressed = 0;
        for (Descriptor d : image.manifest().layers()) {
            String pk = d.annotations().get(LayerPlan.PACKAGES_ANNOTATION);
            layers.add(new Inspection.LayerReport(d.digest().toString(), d.mediaType(), d.size(),
                    d.annotations().getOrDefault(LayerPlan.NAME_ANNOTATION, ""),
                    pk == null || pk.isEmpty() ? List.of() : Arrays.asList(pk.split(","))));
            compressed += d.size();
        }
        FileTree tree = ImageFiles.flatten(layout, image);
        long uncompressed = tree.entries().stream().mapToLong(e -> e.size()).sum();
        int uid = parseUid(c.user());
        ImagePackages packages = ImagePackages.read(tree);
        // the policy checks as the ecosystem of the database found; an image without one is checked as before (deb)
        FinalizeContext ctx = FinalizeContext.of(packages.ecosystem().orElse(Debian.INSTANCE.id()), 0).withRunAsUser(uid);
        List<Inspection.Finding> findings = new ArrayList<>();
        for (PolicyFinding f : Policy.check(tree, ctx)) {
            findings.add(new Inspection.Finding(f.rule(), f.severity(), f.path(), f.pkg()));
        }
        if (uid == 0) findings.add(new Inspection.Finding("runs-as-root", "warning", "", ""));
        return new Inspection.PlatformReport(image.platform().toString(), image.descriptor().digest().toString(),
                c.user(), c.entrypoint(), c.cmd(), c.workingDir(), c.env(), c.exposedPorts(), c.volumes(), layers, compressed, uncompressed,
                tree.size(), InstalledPackages.of(packages), findings, packages.databases(), packages.notes());
    }

    private static int parseUid(String user) {
        if (user == null || user.isEmpty()) return 0;
        String u = user.split(":")[0];
        try {
            return Integer.parseInt(u);
        } catch (NumberFormatException e) {
            return u.equals("root") ? 0 : FinalizeContext.NONROOT;
        }
    }
}
