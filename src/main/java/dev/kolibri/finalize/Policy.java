package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The distroless rules, run last. Errors (the build fails): a shell or a package manager at any of
 * {@code /bin}, {@code /sbin}, {@code /usr/bin}, {@code /usr/sbin} (symlinked directories followed), unless the
 * context allows a shell. Warnings: setuid and setgid files, world-writable entries (sticky directories such as
 * {@code /tmp} excepted), running as root.
 */
public final class Policy implements Step {
    static final List<String> DIRS = List.of("bin", "sbin", "usr/bin", "usr/sbin");
    static final List<String> SHELLS = List.of("sh", "bash", "dash", "busybox", "ash", "zsh", "ksh", "csh", "tcsh",
            "mksh", "rbash");
    static final List<String> PACKAGE_MANAGERS = List.of("dpkg", "dpkg-deb", "apt", "apt-get", "rpm", "dnf",
            "dnf5", "dnf-3", "microdnf", "yum", "apk");

    @Override
    public String name() {
        return "policy";
    }

    @Override
    public void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        List<PolicyFinding> findings = check(tree, ctx);
        List<PolicyFinding> errors = findings.stream().filter(PolicyFinding::isError).toList();
        findings.stream().filter(f -> !f.isError()).forEach(ctx.report()::finding);
        if (errors.isEmpty()) return;
        List<String> parts = new ArrayList<>();
        String shells = describe(errors, "shell");
        String managers = describe(errors, "package-manager");
        if (!shells.isEmpty()) parts.add("a shell: " + shells);
        if (!managers.isEmpty()) parts.add("a package manager: " + managers);
        throw new FinalizeException(name(), "the runtime image would contain " + String.join("; and ", parts)
                + "; remove the package, or set allow-shell in a builder variant");
    }

    private static String describe(List<PolicyFinding> fs, String rule) {
        return fs.stream().filter(f -> f.rule().equals(rule)).map(PolicyFinding::describe).collect(Collectors.joining(", "));
    }

    /** All findings for any tree: errors first (by path), then warnings (by path). Does not change the tree. */
    public static List<PolicyFinding> check(FileTree tree, FinalizeContext ctx) {
        List<PolicyFinding> out = new ArrayList<>();
        if (!ctx.allowShell()) {
            out.addAll(present(tree, SHELLS, "shell"));
            out.addAll(present(tree, PACKAGE_MANAGERS, "package-manager"));
        }
        for (FileEntry e : tree.entries()) {
            if (e.type() == EntryType.SYMLINK) continue;
            boolean file = e.type() == EntryType.FILE || e.type() == EntryType.HARDLINK;
            if (file && (e.mode() & 04000) != 0) out.add(warning("setuid", e));
            if (file && (e.mode() & 02000) != 0) out.add(warning("setgid", e));
            boolean stickyDir = e.type() == EntryType.DIRECTORY && (e.mode() & 01000) != 0;
            if ((e.mode() & 0002) != 0 && !stickyDir) out.add(warning("world-writable", e));
        }
        if (ctx.runAsUser() == 0 && !ctx.allowShell()) {
            out.add(new PolicyFinding("runs-as-root", "", "", PolicyFinding.WARNING));
        }
        return List.copyOf(out);
    }

    /** Entries (not directories) found at NAME in any of {@link #DIRS}, each real path once, in path order. */
    private static List<PolicyFinding> present(FileTree tree, List<String> names, String rule) {
        Map<String, PolicyFinding> found = new TreeMap<>();
        for (String dir : DIRS) {
            for (String n : names) {
                tree.resolveParent(dir + "/" + n).flatMap(tree::get)
                        .filter(e -> e.type() != EntryType.DIRECTORY)
                        .ifPresent(e -> found.putIfAbsent(e.path(),
                                new PolicyFinding(rule, "/" + e.path(), e.owner(), PolicyFinding.ERROR)));
            }
        }
        return List.copyOf(found.values());
    }

    private static PolicyFinding warning(String rule, FileEntry e) {
        return new PolicyFinding(rule, "/" + e.path(), e.owner(), PolicyFinding.WARNING);
    }
}
