package dev.kolibri.build;

import dev.kolibri.fs.FileTree;
import dev.kolibri.lock.LockedPackage;

import java.util.List;

/**
 * A check of each arch's finalized root file system, run before any layer is written (e.g. the vulnerability gate of
 * {@code build --scan}). Throwing stops the build, and nothing is written.
 */
@FunctionalInterface
public interface TreeCheck {
    void check(String arch, List<LockedPackage> packages, FileTree tree) throws Exception;

    TreeCheck NONE = (arch, packages, tree) -> { };
}
