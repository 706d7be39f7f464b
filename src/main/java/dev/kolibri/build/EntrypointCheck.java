package dev.kolibri.build;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The image's command must run: the entrypoint's first element (or, without an entrypoint, the first {@code cmd}
 * element) resolves, inside the finalized tree and through its symlinks, to a regular file with an execute bit. A
 * name without a {@code /} is looked up in the image's {@code PATH}, a relative path from the working directory,
 * as runc does. Without this, a missing {@code /usr/bin/python3} built with exit 0 and failed only under podman.
 */
public final class EntrypointCheck {
    /** Who would provide a missing file, by the repositories' indexes (empty: unknown). Asked only on a failure. */
    public interface Providers {
        Providers NONE = (path, arch) -> List.of();

        /** Names of packages that would put a file at {@code path} (absolute) for {@code arch}. */
        List<String> of(String path, String arch) throws Exception;
    }

    private EntrypointCheck() {}

    /**
     * @param env the image's environment ({@code KEY=VALUE}), for {@code PATH}
     * @throws BuildException naming the command, what it resolves to, and what to do
     */
    static void check(String image, String arch, List<String> entrypoint, List<String> cmd, String workdir,
                      List<String> env, FileTree tree, Providers providers) throws BuildException {
        String key;
        String command;
        if (entrypoint != null && !entrypoint.isEmpty()) {
            key = "entrypoint";
            command = entrypoint.get(0);
        } else if (cmd != null && !cmd.isEmpty()) {
            key = "cmd";
            command = cmd.get(0);
        } else {
            return;
        }
        List<String> candidates = new ArrayList<>();
        if (command.contains("/")) {
            candidates.add(command.startsWith("/") ? command : (workdir == null ? "/" : workdir) + "/" + command);
        } else {
            for (String dir : path(env).split(":")) if (!dir.isEmpty()) candidates.add(dir + "/" + command);
        }
        String problem = null;
        for (String c : candidates) {
            String p = problem(tree, c);
            if (p == null) return;
            if (problem == null || !p.endsWith("is not in the image")) problem = p;
        }
        boolean missing = problem == null || problem.endsWith("is not in the image");
        if (!command.contains("/") && missing) {
            problem = command + " is in no directory of the image's PATH (" + path(env) + ")";
        }
        String what = "the " + key + " of " + image + " (linux/" + arch + ") cannot run: " + problem;
        if (missing) {
            String wanted = command.contains("/") ? candidates.get(0) : "/usr/bin/" + command;
            List<String> who = List.of();
            try {
                who = providers.of(wanted, arch);
            } catch (Exception e) {
                // the hint is a courtesy: the repositories may be out of reach
            }
            if (!who.isEmpty()) {
                throw new BuildException(what + "; " + String.join(" or ", who) + " would provide it: add "
                        + (who.size() == 1 ? "it" : "one") + " to `packages:`, or change `" + key + ":`");
            }
            throw new BuildException(what + "; add the package that provides it to `packages:`, or change `" + key + ":`");
        }
        throw new BuildException(what + "; change `" + key + ":` to an executable file of the image");
    }

    private static String path(List<String> env) {
        for (String e : env) if (e.startsWith("PATH=")) return e.substring(5);
        return ImageBuilder.DEFAULT_PATH;
    }

    /** Null when {@code path} resolves to an executable regular file, else why not. */
    private static String problem(FileTree tree, String path) {
        Optional<String> resolved = tree.resolve(path);
        if (resolved.isEmpty()) return path + " is a symlink loop";
        String r = resolved.get();
        String shown = ("/" + r).equals(normalize(path)) ? path : path + " (-> /" + r + ")";
        FileEntry e = tree.get(r).orElse(null);
        if (e != null && e.type() == EntryType.HARDLINK) e = tree.get(e.linkTarget()).orElse(null);
        if (e == null) return shown + " is not in the image";
        if (e.type() == EntryType.DIRECTORY) return shown + " is a directory";
        if (e.type() != EntryType.FILE) return shown + " is not a regular file";
        if ((e.mode() & 0111) == 0) return shown + " is not executable (mode " + String.format("%04o", e.mode()) + ")";
        return null;
    }

    private static String normalize(String path) {
        StringBuilder b = new StringBuilder();
        for (String s : path.split("/")) if (!s.isEmpty() && !s.equals(".")) b.append('/').append(s);
        return b.length() == 0 ? "/" : b.toString();
    }
}
