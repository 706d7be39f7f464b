package dev.kolibri.cli;

import dev.kolibri.oci.Descriptor;
import dev.kolibri.oci.ImageRef;
import dev.kolibri.oci.LayoutReader;
import dev.kolibri.oci.OciLayout;
import dev.kolibri.publish.RegistryOptions;
import dev.kolibri.registry.Push;
import dev.kolibri.registry.Reference;
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

@Command(name = "push", description = "Push an image from an OCI layout to a registry (every platform of an index).")
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
        Push.Summary s = push(o, image, target, mountFrom);
        print(cmd.commandLine().getOut(), s, json);
        return 0;
    }

    static Push.Summary push(RegistryOptions o, ImageRef image, Reference target, List<String> mountFrom) throws Exception {
        OciLayout l = LayoutReader.open(image.dir());
        Descriptor top = l.resolve(image.tag());
        List<String> from = new ArrayList<>();
        for (String m : mountFrom) from.add(repository(o, m, target));
        return Push.push(o.client(target), l, top, target, new Push.Options(Push.Options.defaults().parallelism(), from));
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

    static void print(PrintWriter out, Push.Summary s, boolean json) {
        if (json) {
            Output.json(out, jsonOf(s));
            return;
        }
        out.printf("pushed %s@%s%n", s.target().name(), s.digest());
        out.printf("  %d blobs uploaded (%s), %d already there, %d mounted; %d manifests%n", s.uploaded(),
                Output.size(s.bytesUploaded()), s.skipped(), s.mounted(), s.manifests());
        out.flush();
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
