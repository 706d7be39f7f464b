package dev.kolibri.cli;

import dev.kolibri.publish.RegistryOptions;
import dev.kolibri.registry.Pull;
import dev.kolibri.registry.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "pull", description = "Pull an image (a whole multi-platform index) from a registry into an OCI layout.")
final class PullCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(index = "0", paramLabel = "REF", description = "host[:port]/repo[:tag|@digest]")
    String ref;

    @Parameters(index = "1", paramLabel = "LAYOUT", description = "the OCI layout directory to write or update (atomically; its other tags are kept; a directory that is not a layout is refused)")
    Path layout;

    @Mixin RegistryFlags registry;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RegistryOptions o = registry.options();
        Reference source = o.parse(ref);
        Pull.Summary s = Pull.pull(o.client(source), source, layout);
        PrintWriter out = cmd.commandLine().getOut();
        String tag = source.tag() != null ? source.tag() : s.digest().dashed();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reference", source.toString());
            m.put("digest", s.digest().toString());
            m.put("mediaType", s.mediaType());
            m.put("layout", layout.toString());
            m.put("tag", tag);
            m.put("manifests", s.manifests());
            m.put("blobs", s.blobs());
            m.put("bytes", s.bytes());
            Output.json(out, m);
        } else {
            out.printf("pulled %s@%s into %s:%s%n", source.name(), s.digest(), layout, tag);
            out.printf("  %d manifests, %d blobs (%s)%n", s.manifests(), s.blobs(), Output.size(s.bytes()));
        }
        return 0;
    }
}
