package dev.kolibri.spec;

import java.util.List;
import java.util.Objects;

/**
 * One {@code tests:} entry of a catalog definition, run by {@code kolibri catalog test} under podman: a command with
 * the output or exit code it must give, or a sequence of steps around a service the test starts. Not part of the
 * definition's digest (a test changes no image).
 *
 * @param name     the test's name (unique in its definition)
 * @param variants the flavours it runs on: {@code base} (the default), variant names such as {@code builder} or
 *                 {@code fpm-builder}, or {@code all}
 * @param files    a directory beside the definition copied to a fresh directory that every step sees at
 *                 {@code /work} (read-write, owned by 65532), or null
 * @param setup    containers run to completion before the service starts (an {@code init} flavour making the
 *                 service's data in {@code /work}); each must give what it expects
 * @param service  a container started in the background before the steps (with the host's network, so that steps
 *                 can reach its ports), stopped after them; or null
 * @param steps    what runs, in order; each must give what it expects
 * @param line     1-based line in the definition, for messages
 */
public record TestSpec(String name, List<String> variants, String files, List<Step> setup, Step service, List<Step> steps, int line) {
    public static final String BASE = "base";
    public static final String ALL = "all";

    public TestSpec {
        Objects.requireNonNull(name, "name");
        variants = List.copyOf(variants == null || variants.isEmpty() ? List.of(BASE) : variants);
        setup = List.copyOf(setup == null ? List.of() : setup);
        steps = List.copyOf(steps);
        if (steps.isEmpty()) throw new IllegalArgumentException("a test needs a step: " + name);
    }

    /** Whether the test runs on the flavour {@code variant} (null: the base image). */
    public boolean appliesTo(String variant) {
        return variants.contains(ALL) || variants.contains(variant == null ? BASE : variant);
    }

    /**
     * One thing a test does.
     *
     * @param image      which image runs it: null for the flavour under test, {@code base} for the stream's base
     *                   flavour, a variant of the stream ({@code init}), else another catalog image as {@code NAME}
     *                   or {@code NAME:TAG} (default tag {@code latest}) from the same output directory
     * @param entrypoint replaces the image's entrypoint, or null
     * @param args       the arguments after the entrypoint (the image's command when null)
     * @param user       runs as this user instead of the image's, or null
     * @param exec       a command run inside the test's service container (instead of a new container), or null
     * @param http       a URL fetched from the machine (the service runs on the host's network), or null
     * @param expect     what must come out
     * @param line       1-based line in the definition, for messages
     */
    public record Step(String image, List<String> entrypoint, List<String> args, Integer user, List<String> exec,
                       String http, Expect expect, int line) {
        public Step {
            entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
            args = args == null ? null : List.copyOf(args);
            exec = exec == null ? null : List.copyOf(exec);
            if (exec != null && http != null) throw new IllegalArgumentException("a step is a command or a request, not both");
            expect = expect == null ? Expect.SUCCESS : expect;
        }
    }

    /**
     * What a step must give.
     *
     * @param exit   the exit code (default 0); for an {@code http} step, unused
     * @param stdout text the output must contain (for an {@code http} step, the body), or null
     * @param stderr text the error output must contain, or null
     * @param status an {@code http} step's status code (default 200)
     */
    public record Expect(Integer exit, String stdout, String stderr, Integer status) {
        public static final Expect SUCCESS = new Expect(null, null, null, null);

        public int exitOrDefault() {
            return exit == null ? 0 : exit;
        }

        public int statusOrDefault() {
            return status == null ? 200 : status;
        }
    }
}
