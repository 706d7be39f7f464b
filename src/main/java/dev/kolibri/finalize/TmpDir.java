package dev.kolibri.finalize;

import dev.kolibri.fs.FileTree;

/** Makes {@code /tmp} a directory with mode 1777 owned by root (following a symlink such as {@code tmp -> var/tmp}). */
public final class TmpDir implements Step {
    @Override
    public String name() {
        return "tmp";
    }

    @Override
    public void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        Trees.directory(tree, "tmp", 01777, 0, 0, true, ctx.epoch(), name());
    }
}
