package dev.kolibri.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Lexical normalization of archive member names into {@link FileEntry} paths. */
final class PayloadPaths {
    private PayloadPaths() {}

    /**
     * Strips {@code ./} and leading {@code /}, collapses {@code //} and {@code .}, and applies {@code ..}
     * lexically. Empty when a {@code ..} would climb above the root; {@code ""} for the root itself.
     */
    static Optional<String> normalize(String raw) {
        List<String> out = new ArrayList<>();
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (out.isEmpty()) return Optional.empty();
                out.remove(out.size() - 1);
                continue;
            }
            out.add(part);
        }
        return Optional.of(String.join("/", out));
    }

    /** The parent of a normalized path, {@code ""} for a top-level one. */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** Proper ancestors of a normalized path, outermost first ({@code a}, {@code a/b} for {@code a/b/c}). */
    static List<String> ancestors(String path) {
        List<String> out = new ArrayList<>();
        int i = path.indexOf('/');
        while (i >= 0) {
            out.add(path.substring(0, i));
            i = path.indexOf('/', i + 1);
        }
        return out;
    }
}
