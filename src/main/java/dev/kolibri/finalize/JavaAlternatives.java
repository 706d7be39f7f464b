package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the postinst of Debian's JDK/JRE packages does with {@code update-alternatives}: for each command listed in
 * a {@code /usr/lib/jvm/.<alias>.jinfo} file ({@code hl}, {@code jre}, {@code jdk} and {@code jdkhl} lines) whose
 * target is in the tree, {@code /usr/bin/<name> -> /etc/alternatives/<name> -> <target>}, unless
 * {@code /usr/bin/<name>} already exists. With several JDKs, the highest {@code priority=} wins per command (ties:
 * the smaller {@code name=}). Man page slaves and the {@code jre_headless}/{@code java_sdk} links are not made.
 */
public final class JavaAlternatives implements Step {
    static final String JVM = "usr/lib/jvm";
    private static final Set<String> KINDS = Set.of("hl", "jre", "jdk", "jdkhl");
    private static final Pattern COMMAND = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    record Link(String kind, String command, String target) {}

    record Jinfo(String path, String name, long priority, List<Link> links) {}

    private record Candidate(Jinfo jinfo, Link link) {}

    @Override
    public String name() {
        return "java-alternatives";
    }

    @Override
    public void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        Map<String, List<Candidate>> byCommand = new TreeMap<>();
        for (Jinfo j : jinfos(tree, ctx)) {
            Set<String> kindsPresent = new HashSet<>();
            List<Link> missing = new ArrayList<>();
            for (Link l : j.links()) {
                if (exists(tree, l.target())) {
                    kindsPresent.add(l.kind());
                    byCommand.computeIfAbsent(l.command(), c -> new ArrayList<>()).add(new Candidate(j, l));
                } else {
                    missing.add(l);
                }
            }
            // A JRE's .jinfo also lists the JDK's commands: those are missing unless a JDK package is installed.
            for (Link l : missing) {
                if (kindsPresent.contains(l.kind())) {
                    ctx.report().warn(name(), "/" + j.path() + " lists " + l.target() + " for '" + l.command()
                            + "', but it is not in the image; no /usr/bin/" + l.command());
                }
            }
        }
        Comparator<Candidate> best = Comparator.comparingLong((Candidate c) -> -c.jinfo().priority())
                .thenComparing(c -> c.jinfo().name()).thenComparing(c -> c.jinfo().path());
        for (Map.Entry<String, List<Candidate>> e : byCommand.entrySet()) {
            String command = e.getKey();
            if (tree.resolveParent("usr/bin/" + command).flatMap(tree::get).isPresent()) continue;
            Candidate c = e.getValue().stream().min(best).orElseThrow();
            Trees.symlink(tree, "etc/alternatives/" + command, c.link().target(), ctx.epoch(), name());
            Trees.symlink(tree, "usr/bin/" + command, "/etc/alternatives/" + command, ctx.epoch(), name());
        }
    }

    private static boolean exists(FileTree tree, String target) {
        return tree.resolve(target.substring(1)).flatMap(tree::get).filter(t -> t.type() != EntryType.DIRECTORY).isPresent();
    }

    /** Every {@code usr/lib/jvm/.*.jinfo} regular file, in path order. */
    private List<Jinfo> jinfos(FileTree tree, FinalizeContext ctx) {
        Optional<String> jvm = tree.resolve(JVM);
        if (jvm.isEmpty() || !Trees.isDirectory(tree, JVM)) return List.of();
        List<Jinfo> out = new ArrayList<>();
        for (FileEntry e : List.copyOf(tree.under(jvm.get()))) {
            String n = e.path().substring(jvm.get().length() + 1);
            if (n.indexOf('/') >= 0 || !n.startsWith(".") || !n.endsWith(".jinfo")) continue;
            Optional<FileEntry> f = Trees.file(tree, e.path());
            if (f.isPresent()) out.add(parse(e.path(), new String(f.get().content(), StandardCharsets.UTF_8), ctx));
        }
        return out;
    }

    /** Reads a .jinfo: {@code key=value} headers and {@code <kind> <command> <absolute target>} lines. */
    Jinfo parse(String path, String text, FinalizeContext ctx) {
        String jname = path.substring(path.lastIndexOf('/') + 2, path.length() - ".jinfo".length());
        long priority = 0;
        boolean sawPriority = false;
        List<Link> links = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+");
            if (f.length == 1 && line.indexOf('=') > 0) {
                String key = line.substring(0, line.indexOf('='));
                String value = line.substring(line.indexOf('=') + 1);
                if (key.equals("name") && !value.isEmpty()) jname = value;
                if (key.equals("priority")) {
                    try {
                        priority = Long.parseLong(value);
                        sawPriority = true;
                    } catch (NumberFormatException ex) {
                        sawPriority = true;
                        ctx.report().warn(name(), "/" + path + " has priority '" + value + "', not a number; using 0");
                    }
                }
                continue;
            }
            if (f.length != 3 || !KINDS.contains(f[0])) continue; // other kinds (e.g. jre_headless) are not linked
            if (!COMMAND.matcher(f[1]).matches() || !f[2].startsWith("/") || f[2].length() < 2) {
                ctx.report().warn(name(), "/" + path + " has an unusable line '" + line + "'; skipped");
                continue;
            }
            links.add(new Link(f[0], f[1], f[2]));
        }
        if (!sawPriority && !links.isEmpty()) ctx.report().warn(name(), "/" + path + " has no priority=; using 0");
        return new Jinfo(path, jname, priority, List.copyOf(links));
    }
}
