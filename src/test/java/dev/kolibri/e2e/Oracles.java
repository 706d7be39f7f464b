package dev.kolibri.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.testing.Tools;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The outside tools that judge a built layout: skopeo, umoci, podman with runc. */
final class Oracles {
    static final ObjectMapper JSON = new ObjectMapper();

    private Oracles() {}

    /** {@code skopeo inspect --override-arch ARCH oci:DIR:TAG}, parsed. */
    static JsonNode skopeoInspect(Path layout, String tag, String arch) throws IOException {
        Tools.require("skopeo");
        List<String> cmd = List.of("skopeo", "--override-os", "linux", "--override-arch", arch, "inspect",
                "oci:" + layout + ":" + tag);
        return JSON.readTree(Tools.run(null, Map.of(), cmd).orFail(cmd).out());
    }

    /** {@code skopeo inspect --config}, parsed (the OCI image config). */
    static JsonNode skopeoConfig(Path layout, String tag, String arch) throws IOException {
        Tools.require("skopeo");
        List<String> cmd = List.of("skopeo", "--override-os", "linux", "--override-arch", arch, "inspect", "--config",
                "oci:" + layout + ":" + tag);
        return JSON.readTree(Tools.run(null, Map.of(), cmd).orFail(cmd).out());
    }

    /** {@code umoci unpack} of a single-platform layout into {@code bundle}; returns the rootfs. */
    static Path umociUnpack(Path layout, String tag, Path bundle) {
        Tools.require("umoci");
        List<String> cmd = new ArrayList<>(List.of("umoci", "unpack"));
        if (!isRoot()) cmd.add("--rootless");
        cmd.addAll(List.of("--image", layout + ":" + tag, bundle.toString()));
        Tools.run(null, Map.of(), cmd).orFail(cmd);
        return bundle.resolve("rootfs");
    }

    /** Removes an unpacked bundle ({@code rm -rf}: it holds absolute symlinks and root-owned files). */
    static void remove(Path bundle) {
        Tools.run(null, Map.of(), List.of("rm", "-rf", "--one-file-system", bundle.toString()));
    }

    static boolean isRoot() {
        return "0".equals(Tools.run(null, Map.of(), List.of("id", "-u")).out().strip());
    }

    /** Skips visibly unless podman and runc are here. */
    static void requirePodman() {
        Tools.require("podman", "runc");
    }

    /**
     * {@code podman --runtime runc run --rm --rmi [--entrypoint E] oci:DIR:TAG ARGS}, with a containers.conf that raises
     * no rlimits (this kind of machine forbids it).
     */
    static Tools.Result podmanRun(Path layout, String tag, String entrypoint, String... args) throws IOException {
        requirePodman();
        Path conf = Files.createTempFile("containers", ".conf");
        Files.writeString(conf, "[containers]\ndefault_ulimits = []\n");
        List<String> cmd = new ArrayList<>(List.of("podman", "--runtime", "runc", "run", "--rm", "--rmi",
                "--network", "none"));
        if (entrypoint != null) cmd.addAll(List.of("--entrypoint", entrypoint));
        cmd.add("oci:" + layout.toAbsolutePath() + ":" + tag);
        cmd.addAll(List.of(args));
        try {
            return Tools.run(null, Map.of("CONTAINERS_CONF", conf.toString()), cmd);
        } finally {
            Files.deleteIfExists(conf);
        }
    }

    /** Runs podman and fails with its output when it does not exit 0. */
    static String podmanOk(Path layout, String tag, String entrypoint, String... args) throws IOException {
        Tools.Result r = podmanRun(layout, tag, entrypoint, args);
        Assumptions.assumeFalse(r.exit() != 0 && r.err().contains("cannot find newuidmap"),
                "skipped: podman cannot run containers here: " + r.err().strip());
        if (r.exit() != 0) throw new AssertionError("podman run exited " + r.exit() + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        return r.out();
    }
}
