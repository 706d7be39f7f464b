package dev.kolibri.cli;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageRef;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.publish.LayoutSboms;
import dev.kolibri.publish.RegistryOptions;
import dev.kolibri.publish.SbomAttachments;
import dev.kolibri.registry.Push;
import dev.kolibri.registry.Reference;
import dev.kolibri.registry.RegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "push", description = "Push an image from an OCI layout to a registry (every platform of an index), "
        + "with the SBOMs the layout holds about it.")
final class PushCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(index = "0", paramLabel = "LAYOUT[:TAG]", description = "the OCI layout (DIR or DIR:TAG)")
    String layout;

    @Parameters(index = "1", paramLabel = "REF", description = "where to: host[:port]/repo[:tag|@digest]")
    String ref;

    @Mixin RegistryFlags registry;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Option(names = "--mount-from", split = ",", paramLabel = "REPO",
            description = "a repository on the same registry to mount blobs from instead of uploading them (repeatable)")
    List<String> mountFrom = List.of();

    @Override
    public Integer call() throws Exception {
        RegistryOptions o = registry.options();
        ImageRef image = ImageRef.parse(layout);
        Reference target = o.parse(ref);
        if (image.tag() != null) target = o.parseTarget(ref, image.tag());
        Pushed p = push(o, image, target, mountFrom);
        print(cmd.commandLine().getOut(), p, json);
        return 0;
    }

    /** A push: the image, and the SBOMs of the layout that went with it. */
    record Pushed(Push.Summary summary, List<SbomAttachments.Attached> sboms) {}

    /** Pushes the image and then the SBOMs the layout holds about it (referrers, and cosign's {@code .sbom} tag). */
    static Pushed push(RegistryOptions o, ImageRef image, Reference target, List<String> mountFrom) throws Exception {
        OciLayout l = LayoutReader.open(image.dir());
        Descriptor top = l.resolve(image.tag());
        List<String> from = new ArrayList<>();
        for (String m : mountFrom) from.add(repository(o, m, target));
        RegistryClient c = o.client(target);
        Push.Summary s = Push.push(c, l, top, target, new Push.Options(Push.Options.defaults().parallelism(), from));
        return new Pushed(s, SbomAttachments.push(c, target.repository(), l, LayoutSboms.of(l, top)));
    }

    /** A --mount-from value: a repository name, or a reference on the target's registry (its repository is used). */
    private static String repository(RegistryOptions o, String mount, Reference target) {
        if (!mount.contains("/") || !mount.substring(0, mount.indexOf('/')).matches(".*[.:].*|localhost")) {
            return Reference.parse(target.registryHost() + "/" + mount).repository();
        }
        Reference r = o.parse(mount);
        if (!r.registryHost().equals(target.registryHost())) {
            throw new IllegalArgumentException("--mount-from " + mount + " is on " + r.registryHost() + ", not on the target's registry "
                    + target.registryHost() + "; blobs can only be mounted within one registry");
        }
        return r.repository();
    }

    static void print(PrintWriter out, Pushed p, boolean json) {
        Push.Summary s = p.summary();
        if (json) {
            Map<String, Object> m = jsonOf(s);
            m.put("sboms", jsonOf(p.sboms()));
            Output.json(out, m);
            return;
        }
        out.printf("pushed %s@%s%n", s.target().name(), s.digest());
        out.printf("  %d blobs uploaded (%s), %d already there, %d mounted; %d manifests%n", s.uploaded(),
                Output.size(s.bytesUploaded()), s.skipped(), s.mounted(), s.manifests());
        if (!p.sboms().isEmpty()) {
            long subjects = p.sboms().stream().map(SbomAttachments.Attached::subject).distinct().count();
            out.printf("  %d SBOMs attached to %d manifests (referrers; SPDX also under cosign's sha256-<digest>.sbom)%n",
                    p.sboms().size(), subjects);
        }
        out.flush();
    }

    /** The SBOMs attached, for {@code --json}: subject, artifactType, referrer, cosignTag (null when none). */
    static List<Map<String, Object>> jsonOf(List<SbomAttachments.Attached> sboms) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SbomAttachments.Attached a : sboms) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("subject", a.subject().toString());
            m.put("artifactType", a.artifactType());
            m.put("referrer", a.referrer().toString());
            m.put("cosignTag", a.cosignTag());
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> jsonOf(Push.Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", s.target().toString());
        m.put("digest", s.digest().toString());
        m.put("mediaType", s.mediaType());
        m.put("uploaded", s.uploaded());
        m.put("skipped", s.skipped());
        m.put("mounted", s.mounted());
        m.put("bytesUploaded", s.bytesUploaded());
        m.put("manifests", s.manifests());
        return m;
    }
}
