package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileTree;

import java.util.List;

/**
 * What the postinst of Debian's {@code gcc} and {@code g++} packages does with {@code update-alternatives}:
 * {@code /usr/bin/cc -> /etc/alternatives/cc -> /usr/bin/gcc}, and likewise {@code c++} (g++), {@code c89}
 * ({@code c89-gcc}) and {@code c99} ({@code c99-gcc}), where the target is in the tree and the link is not.
 * Linkers and build scripts call {@code cc} (cargo, Go's cgo, Python's setuptools). Man page slaves are not made.
 */
public final class CompilerAlternatives implements Step {
    /** The alternative's name (= its link in /usr/bin) and the program gcc's or g++'s postinst points it at. */
    record Alternative(String name, String target) {}

    static final List<Alternative> ALTERNATIVES = List.of(
            new Alternative("cc", "/usr/bin/gcc"),
            new Alternative("c++", "/usr/bin/g++"),
            new Alternative("c89", "/usr/bin/c89-gcc"),
            new Alternative("c99", "/usr/bin/c99-gcc"));

    @Override
    public String name() {
        return "compiler-alternatives";
    }

    @Override
    public void apply(FileTree tree, FinalizeContext ctx) throws FinalizeException {
        for (Alternative a : ALTERNATIVES) {
            boolean present = tree.resolve(a.target().substring(1)).flatMap(tree::get)
                    .filter(e -> e.type() != EntryType.DIRECTORY).isPresent();
            if (!present) continue;
            String link = "usr/bin/" + a.name();
            if (tree.resolveParent(link).flatMap(tree::get).isPresent()) continue;
            Trees.symlink(tree, "etc/alternatives/" + a.name(), a.target(), ctx.epoch(), name());
            Trees.symlink(tree, link, "/etc/alternatives/" + a.name(), ctx.epoch(), name());
        }
    }
}
