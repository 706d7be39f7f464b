package dev.kolibri.fs;

import java.util.List;

/**
 * What {@link Installer#install} did for one package.
 *
 * @param owner              the package name
 * @param files              regular files installed (hardlinks not counted)
 * @param bytes              total bytes of those files
 * @param warnings           one line each: dropped members, directories kept as symlinks, ...
 * @param setuidPaths        regular files with the setuid or setgid bit, sorted
 * @param droppedPaths       members not installed (device nodes, fifos, other specials), normalized, sorted
 * @param createdDirectories parent directories the archive did not contain and the installer made, in order made
 * @param paths              every path this package now accounts for (directories, files, links, including
 *                           created parents and paths shared with identical content), in archive order, no
 *                           duplicates: the package's file list (dpkg {@code .list}, md5sums, layer planning)
 */
public record InstallReport(String owner, int files, long bytes, List<String> warnings, List<String> setuidPaths,
                            List<String> droppedPaths, List<String> createdDirectories, List<String> paths) {
    public InstallReport {
        warnings = List.copyOf(warnings);
        setuidPaths = List.copyOf(setuidPaths);
        droppedPaths = List.copyOf(droppedPaths);
        createdDirectories = List.copyOf(createdDirectories);
        paths = List.copyOf(paths);
    }
}
