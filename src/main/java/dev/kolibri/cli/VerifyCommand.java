package dev.kolibri.cli;

import dev.kolibri.publish.RegistryOptions;
import dev.kolibri.publish.Verifier;
import dev.kolibri.registry.Reference;
import dev.kolibri.sign.CosignKeys;
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
import java.util.concurrent.Callable;

@Command(name = "verify", description = "Verify an image's cosign signatures (and attestations) with a public key; exit 1 when they do not verify.")
final class VerifyCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(paramLabel = "REF", description = "host[:port]/repo[:tag|@digest]")
    String ref;

    @Option(names = "--key", required = true, paramLabel = "PUB", description = "the public key (cosign.pub)")
    Path key;

    @Option(names = "--attestations", description = "also require a verified attestation")
    boolean attestations;

    @Mixin RegistryFlags registry;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RegistryOptions o = registry.options();
        Reference r = o.parse(ref);
        Verifier.Result v = Verifier.verify(o.client(r), r, CosignKeys.readPublic(key), key.toString(), attestations);
        PrintWriter out = cmd.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> sigs = new ArrayList<>();
            for (Verifier.VerifiedSignature s : v.signatures()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("source", s.source());
                m.put("payload", s.payload().toString());
                m.put("dockerReference", s.dockerReference());
                m.put("annotations", s.annotations());
                sigs.add(m);
            }
            List<Map<String, Object>> atts = new ArrayList<>();
            for (Verifier.VerifiedAttestation a : v.attestations()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("source", a.source());
                m.put("envelope", a.envelope().toString());
                m.put("predicateType", a.predicateType());
                atts.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reference", r.toString());
            m.put("digest", v.digest().toString());
            m.put("verified", true);
            m.put("signatures", sigs);
            m.put("attestations", atts);
            Output.json(out, m);
        } else {
            out.printf("verified %s@%s: %d signature%s by %s%n", r.name(), v.digest(), v.signatures().size(),
                    v.signatures().size() == 1 ? "" : "s", key);
            for (Verifier.VerifiedAttestation a : v.attestations()) out.printf("  attestation %s (%s)%n", a.predicateType(), a.source());
        }
        return 0;
    }
}
