package dev.kolibri.fs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** Symlink resolution inside a {@link FileTree}, chrooted at the tree's root. */
final class Resolver {
    private static final int MAX_HOPS = 40;

    private Resolver() {}

    static Optional<String> resolve(FileTree tree, String path, boolean followLast) {
        Deque<String> todo = new ArrayDeque<>(split(path));
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (!done.isEmpty()) done.remove(done.size() - 1);
                continue;
            }
            done.add(part);
            String here = String.join("/", done);
            FileEntry e = tree.get(here).orElse(null);
            boolean last = todo.isEmpty();
            if (e != null && e.type() == EntryType.SYMLINK && (followLast || !last)) {
                if (++hops > MAX_HOPS) return Optional.empty();
                done.remove(done.size() - 1);
                String target = e.linkTarget();
                if (target.startsWith("/")) done.clear();
                List<String> t = split(target);
                for (int i = t.size() - 1; i >= 0; i--) todo.addFirst(t.get(i));
            }
        }
        return Optional.of(String.join("/", done));
    }

    private static List<String> split(String p) {
        List<String> out = new ArrayList<>();
        for (String s : p.split("/")) if (!s.isEmpty()) out.add(s);
        return out;
    }
}
