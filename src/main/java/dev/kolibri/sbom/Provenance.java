package dev.kolibri.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Comparator;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * SLSA v1 provenance for a build, as an in-toto Statement v1 ({@code https://in-toto.io/Statement/v1}, predicate
 * {@code https://slsa.dev/provenance/v1}). Deterministic: no wall-clock times ({@code startedOn}/{@code finishedOn}
 * are left out; the build's own time is {@code internalParameters.sourceDateEpoch}), the invocation id is a
 * name-based UUID of the image digest, lists are sorted.
 */
public final class Provenance {
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    public static final String BUILD_TYPE = "https://kolibri.dev/build/v1";
    public static final String BUILDER_ID = "https://kolibri.dev/builder";

    private Provenance() {}

    /** The statement, as JSON bytes (pretty, LF, trailing newline). */
    public static byte[] write(ProvenanceInput in) {
        return Json.bytes(statement(in));
    }

    /** Only the predicate, for {@code cosign attest --predicate FILE --type slsaprovenance1}. */
    public static byte[] writePredicate(ProvenanceInput in) {
        return Json.bytes((ObjectNode) statement(in).get("predicate"));
    }

    private static ObjectNode statement(ProvenanceInput in) {
        ObjectNode st = Json.object();
        st.put("_type", STATEMENT_TYPE);
        ObjectNode subject = st.putArray("subject").addObject();
        subject.put("name", in.image().name());
        subject.putObject("digest").put(in.image().digest().algorithm(), in.image().digest().hex());
        st.put("predicateType", PREDICATE_TYPE);

        ObjectNode predicate = st.putObject("predicate");
        ObjectNode def = predicate.putObject("buildDefinition");
        def.put("buildType", BUILD_TYPE);
        ObjectNode external = def.putObject("externalParameters");
        ObjectNode definition = external.putObject("definition");
        definition.put("path", in.definitionPath());
        definition.putObject("digest").put("sha256", in.definitionSha256());
        if (in.variant() != null) external.put("variant", in.variant());
        ArrayNode archs = external.putArray("archs");
        new TreeSet<>(in.archs()).forEach(archs::add);
        ObjectNode internal = def.putObject("internalParameters");
        internal.putObject("lockDigest").put("sha256", in.lockSha256());
        internal.put("sourceDateEpoch", in.sourceDateEpoch());

        ArrayNode resolved = def.putArray("resolvedDependencies");
        var byName = new TreeMap<String, SbomPackage>();
        in.packages().stream()
                .sorted(Comparator.comparing(SbomPackage::sha256))
                .forEach(p -> {
                    String name = p.ecosystem() + ":" + p.name() + "_" + p.fullVersion() + "_" + p.arch();
                    SbomPackage old = byName.putIfAbsent(name, p);
                    if (old != null && !old.sha256().equals(p.sha256())) {
                        throw new SbomException("provenance for " + in.image().name() + ": " + name
                                + " appears with two different sha256 values (" + old.sha256() + ", " + p.sha256() + ")");
                    }
                });
        byName.forEach((name, p) -> {
            ObjectNode r = resolved.addObject();
            if (p.downloadLocation() != null) r.put("uri", p.downloadLocation());
            r.putObject("digest").put("sha256", p.sha256());
            r.put("name", name);
        });

        ObjectNode run = predicate.putObject("runDetails");
        ObjectNode builder = run.putObject("builder");
        builder.put("id", BUILDER_ID);
        builder.putObject("version").put("kolibri", in.toolVersion());
        run.putObject("metadata").put("invocationId",
                "urn:uuid:" + Json.uuid5("https://kolibri.invalid/build/" + in.image().digest() + "/" + in.lockSha256()));
        return st;
    }
}
