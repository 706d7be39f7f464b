package dev.kolibri.spec;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Typed reads of SnakeYAML nodes of one file; every failure is a {@link SpecException} with the node's line. */
final class NodeReader {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9][0-9]*)");

    private final Path file;

    NodeReader(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    static int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    SpecException error(Node at, String message) {
        return new SpecException(file, at == null ? 0 : line(at), message);
    }

    /** What a node is, in words, for "must be X, not Y". */
    static String kind(Node n) {
        if (n instanceof MappingNode) return "a mapping";
        if (n instanceof SequenceNode) return "a list";
        Tag t = n.getTag();
        if (t.equals(Tag.NULL)) return "empty";
        if (t.equals(Tag.BOOL)) return "a boolean";
        if (t.equals(Tag.INT) || t.equals(Tag.FLOAT)) return "a number";
        return "a string";
    }

    /** A scalar's text as written (so {@code 3.10} stays {@code 3.10}); any non-null scalar qualifies. */
    String string(Node n, String what) {
        if (n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) return s.getValue();
        throw error(n, "`" + what + "` must be a string, not " + kind(n));
    }

    int integer(Node n, String what) {
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.INT) && DECIMAL.matcher(s.getValue()).matches()) {
            try {
                return Integer.parseInt(s.getValue());
            } catch (NumberFormatException e) {
                throw error(n, "`" + what + "` is too large: " + s.getValue());
            }
        }
        throw error(n, "`" + what + "` must be a whole number in decimal, not " + kind(n));
    }

    boolean bool(Node n, String what) {
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            return switch (s.getValue().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on", "y" -> true;
                default -> false;
            };
        }
        throw error(n, "`" + what + "` must be true or false, not " + kind(n));
    }

    /** A list of non-empty strings. */
    List<String> strings(Node n, String what) {
        if (!(n instanceof SequenceNode seq)) throw error(n, "`" + what + "` must be a list of strings, not " + kind(n));
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
                throw error(item, "`" + what + "` must be a list of strings; this item is " + kind(item));
            }
            out.add(s.getValue());
        }
        return out;
    }

    /** A mapping of strings to strings, keys kept in the order written. */
    Map<String, String> stringMap(Node n, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> e : entries(n, what).entrySet()) {
            Node v = e.getValue().getValueNode();
            if (!(v instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
                throw error(v, "`" + what + "." + e.getKey() + "` must be a string, not " + kind(v));
            }
            out.put(e.getKey(), s.getValue());
        }
        return out;
    }

    /**
     * The entries of a mapping by key, in the order written, with YAML merge keys ({@code <<: *base}) applied
     * (keys written in the mapping win over merged ones). Refuses non-string keys and duplicated keys.
     */
    Map<String, NodeTuple> entries(Node n, String what) {
        if (!(n instanceof MappingNode m)) {
            throw error(n, "`" + what + "` must be a mapping, not " + kind(n));
        }
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        collect(m, what, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collect(MappingNode m, String what, Map<String, NodeTuple> out, Set<Node> seen) {
        if (!seen.add(m)) throw error(m, "`" + what + "` merges itself (a recursive `<<` alias)");
        List<Node> merges = new ArrayList<>();
        Map<String, NodeTuple> own = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (k.getTag().equals(Tag.MERGE)) {
                Node v = t.getValueNode();
                if (v instanceof SequenceNode s) merges.addAll(s.getValue());
                else merges.add(v);
                continue;
            }
            if (!(k instanceof ScalarNode ks) || ks.getTag().equals(Tag.NULL)) {
                throw error(k, "keys of `" + what + "` must be strings, not " + kind(k));
            }
            NodeTuple first = own.putIfAbsent(ks.getValue(), t);
            if (first != null) {
                throw error(k, "duplicate key `" + ks.getValue() + "` (first at line " + line(first.getKeyNode()) + ")");
            }
        }
        own.forEach(out::putIfAbsent);
        for (Node merged : merges) {
            if (!(merged instanceof MappingNode mm)) throw error(merged, "`<<` in `" + what + "` must merge a mapping, not " + kind(merged));
            collect(mm, what, out, seen);
        }
        seen.remove(m);
    }
}
