package dev.kolibri.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.publish.Attestations;
import dev.kolibri.publish.PublishException;
import dev.kolibri.publish.RegistryOptions;
import dev.kolibri.registry.Reference;
import dev.kolibri.sign.Statement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "attest", description = "Attest a predicate (SBOM, provenance, ...) about an image in a registry, as cosign does.")
final class AttestCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(paramLabel = "REF", description = "host[:port]/repo[:tag|@digest]")
    String ref;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "the cosign private key (cosign.key)")
    Path key;

    @Option(names = "--predicate", required = true, paramLabel = "FILE", description = "the predicate (JSON)")
    Path predicate;

    @Option(names = "--type", paramLabel = "T", description = "spdx, cyclonedx, slsaprovenance, slsaprovenance1, link, vuln, custom or a URI (default custom)")
    String type = "custom";

    @Mixin RegistryFlags registry;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String predicateType = Statement.predicateType(type);
        JsonNode body = read(predicate);
        RegistryOptions o = registry.options();
        Reference r = o.parse(ref);
        Attestations.Result a = Attestations.attest(o.client(r), r, SigningKeys.open(key), predicateType, body);
        PrintWriter out = cmd.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reference", r.toString());
            m.put("digest", a.digest().toString());
            m.put("predicateType", a.predicateType());
            m.put("tag", a.tag());
            m.put("attestationImage", a.attestationImage().toString());
            m.put("referrer", a.referrer().toString());
            Output.json(out, m);
        } else {
            out.printf("attested %s for %s@%s -> %s and a referrer%n", a.predicateType(), r.name(), a.digest(), a.tag());
        }
        return 0;
    }

    static JsonNode read(Path file) throws PublishException {
        try {
            JsonNode n = new ObjectMapper().readTree(Files.readAllBytes(file));
            if (n == null || n.isMissingNode()) throw new PublishException("predicate file " + file + " is empty; pass a JSON document");
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PublishException("predicate file " + file + " is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PublishException("cannot read predicate file " + file + ": " + e.getMessage(), e);
        }
    }
}
