package dev.kolibri.finalize;

import dev.kolibri.fs.FileTree;
import dev.kolibri.spec.PathSpec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Runs an ordered list of {@link Step}s over an installed tree. */
public final class Finalizer {
    private final List<Step> steps;

    public Finalizer(List<Step> steps) {
        this.steps = List.copyOf(steps);
        Set<String> names = new HashSet<>();
        for (Step s : this.steps) {
            if (!names.add(s.name())) throw new IllegalArgumentException("two finalize steps are named '" + s.name() + "'");
        }
    }

    /**
     * Debian: accounts, tmp, os-release, CA bundle, Java alternatives and keystore (no-ops without a JRE; the
     * keystore needs the bundle), the compiler alternatives
     * ({@code cc} when gcc is there), PHP's ini files and modules (a no-op without PHP), then the distroless policy
     * (last, so it sees everything).
     */
    public static Finalizer standardDeb() {
        return standardDeb(List.of());
    }

    /** {@link #standardDeb()} with the definition's {@code paths:} done just before the policy (so it sees them). */
    public static Finalizer standardDeb(List<PathSpec> paths) {
        return new Finalizer(List.of(new Accounts(), new TmpDir(), new OsRelease(), new CaCertificates(),
                new JavaAlternatives(), new JavaCacerts(), new CompilerAlternatives(), new PhpConfig(), new Paths(paths), new Policy()));
    }

    /** Fedora/RHEL: accounts (keeping {@code setup}'s files), tmp, os-release, the ca-trust extraction, then policy. */
    public static Finalizer standardRpm() {
        return standardRpm(List.of());
    }

    /** {@link #standardRpm()} with the definition's {@code paths:} done just before the policy. */
    public static Finalizer standardRpm(List<PathSpec> paths) {
        return new Finalizer(List.of(new Accounts(), new TmpDir(), new OsRelease(), new RpmCaTrust(), new Paths(paths),
                new Policy()));
    }

    public List<Step> steps() {
        return steps;
    }

    /**
     * Applies every step in order, each with the same settings and a report fresh for this run.
     *
     * @throws FinalizeException from the first step that fails; its message starts with that step's name
     */
    public FinalizeResult apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        FinalizeContext run = ctx.withFreshReport();
        for (Step step : steps) {
            try {
                step.apply(tree, run);
            } catch (FinalizeException e) {
                if (e.step().equals(step.name())) throw e;
                throw new FinalizeException(step.name(), e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new FinalizeException(step.name(), "unexpected failure: " + e, e);
            }
        }
        return run.report().toResult();
    }
}
