package dev.kolibri.cli;

import dev.kolibri.publish.RegistryOptions;
import dev.kolibri.publish.Signatures;
import dev.kolibri.registry.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "sign", description = "Sign an image in a registry as cosign does (an index and each of its platform manifests).")
final class SignCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(paramLabel = "REF", description = "host[:port]/repo[:tag|@digest]")
    String ref;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "the cosign private key (cosign.key)")
    Path key;

    @Option(names = {"-a", "--annotations"}, paramLabel = "K=V", description = "a claim for the payload's optional section (repeatable)")
    Map<String, String> annotations = new TreeMap<>();

    @Mixin RegistryFlags registry;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RegistryOptions o = registry.options();
        Reference r = o.parse(ref);
        Signatures.Result s = Signatures.sign(o.client(r), r, SigningKeys.open(key), new TreeMap<>(annotations));
        PrintWriter out = cmd.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> signed = new ArrayList<>();
            for (Signatures.Signed x : s.signed()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("manifest", x.manifest().toString());
                m.put("mediaType", x.mediaType());
                m.put("tag", x.tag());
                m.put("signatureImage", x.signatureImage().toString());
                m.put("referrer", x.referrer().toString());
                m.put("signatures", x.signatures());
                signed.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reference", r.toString());
            m.put("digest", s.digest().toString());
            m.put("signed", signed);
            Output.json(out, m);
        } else {
            out.printf("signed %s@%s%n", r.name(), s.digest());
            for (Signatures.Signed x : s.signed()) {
                out.printf("  %s  -> %s (%d signature%s) and a referrer%n", x.manifest(), x.tag(), x.signatures(), x.signatures() == 1 ? "" : "s");
            }
        }
        return 0;
    }
}
