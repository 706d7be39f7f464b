package dev.kolibri.cli;

import dev.kolibri.build.BuildResult;
import dev.kolibri.publish.BuildPublisher;
import dev.kolibri.publish.RegistryOptions;
import dev.kolibri.registry.Reference;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code build --push REF [--sign KEY]}: after the build, push the layout, sign it, and attach/attest the build's
 * SBOM and provenance files the build wrote inside the layout ({@link #artifacts}).
 */
final class BuildPush {
    private BuildPush() {}

    /** Pushes (and signs) the built image; returns what to add to {@code build --json} under "push". */
    static Map<String, Object> run(BuildResult r, String ref, Path signKey, RegistryFlags flags, Events events) throws Exception {
        RegistryOptions o = flags.options();
        Reference target = o.parseTarget(ref, r.tag());
        KeyPair key = signKey == null ? null : SigningKeys.open(signKey);
        BuildPublisher.Outcome out = BuildPublisher.publish(o, r.layout(), r.tag(), target, key, artifacts(r), events::info);
        Map<String, Object> m = new LinkedHashMap<>(PushCommand.jsonOf(out.push()));
        m.put("signed", out.signatures() == null ? List.of()
                : out.signatures().signed().stream().map(s -> s.manifest().toString()).toList());
        m.put("attestations", out.attestations().stream().map(a -> a.predicateType() + " " + a.digest()).toList());
        m.put("sboms", PushCommand.jsonOf(out.sboms()));
        return m;
    }

    /**
     * The SBOM and provenance files of a build, to attach and attest. The hook for the build's SBOM/provenance
     * output: map its files here (per platform: {@code new BuildPublisher.Artifact(Kind.SPDX, platform, file)}; for
     * the whole image: platform null).
     */
    static List<BuildPublisher.Artifact> artifacts(BuildResult r) {
        // the file names come from the build (arm/v7 is arm-v7.spdx.json), never recomputed here
        List<BuildPublisher.Artifact> out = new java.util.ArrayList<>();
        for (BuildResult.PlatformImage i : r.images()) {
            out.add(new BuildPublisher.Artifact(BuildPublisher.Kind.SPDX, i.platform(), r.spdxFile(i.platform())));
            out.add(new BuildPublisher.Artifact(BuildPublisher.Kind.CYCLONEDX, i.platform(), r.cycloneDxFile(i.platform())));
        }
        out.add(new BuildPublisher.Artifact(BuildPublisher.Kind.PROVENANCE, null, r.provenanceFile()));
        return out;
    }
}
