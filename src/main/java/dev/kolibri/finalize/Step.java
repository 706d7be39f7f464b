package dev.kolibri.finalize;

import dev.kolibri.fs.FileTree;

/**
 * One named piece of the work that package maintainer scripts would have done. A step must be idempotent
 * (applying it twice gives the same tree) and deterministic (no clock, no host values).
 */
public interface Step {
    /** Short, stable name (e.g. {@code accounts}); every error of the step carries it. */
    String name();

    /** Changes the tree in place; reports warnings, findings and environment additions to {@code ctx.report()}. */
    void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException;
}
