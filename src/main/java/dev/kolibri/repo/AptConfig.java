package dev.kolibri.repo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The few apt configuration values Kolibri follows, read from {@code apt.conf} and {@code apt.conf.d/*} like apt
 * (files in name order, later values win): {@code Acquire::Check-Valid-Until}. Understands {@code A::B "v";},
 * scopes {@code A { B "v"; };}, and {@code //}, {@code #} and {@code /* *\/} comments.
 */
record AptConfig(Map<String, String> values) {

    static AptConfig load(Path aptDir) throws RepositoryException {
        Map<String, String> values = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        Path main = aptDir.resolve("apt.conf");
        if (Files.isRegularFile(main)) files.add(main);
        Path parts = aptDir.resolve("apt.conf.d");
        if (Files.isDirectory(parts)) {
            try (Stream<Path> s = Files.list(parts)) {
                s.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().matches("[A-Za-z0-9_.-]+"))
                        .filter(p -> !p.getFileName().toString().contains(".") || p.getFileName().toString().endsWith(".conf"))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                throw new RepositoryException("cannot read " + parts + ": " + e.getMessage(), e);
            }
        }
        for (Path f : files) {
            try {
                parse(Files.readString(f), values);
            } catch (IOException e) {
                throw new RepositoryException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        return new AptConfig(Map.copyOf(values));
    }

    static void parse(String text, Map<String, String> out) {
        String t = text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)(^|\\s)(//|#).*$", " ");
        Deque<String> scope = new ArrayDeque<>();
        int i = 0;
        int n = t.length();
        String pendingKey = null;
        while (i < n) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c) || c == ';') {
                if (c == ';') pendingKey = null;
                i++;
            } else if (c == '{') {
                if (pendingKey != null) scope.push(pendingKey);
                pendingKey = null;
                i++;
            } else if (c == '}') {
                if (!scope.isEmpty()) scope.pop();
                i++;
            } else if (c == '"') {
                int end = t.indexOf('"', i + 1);
                if (end < 0) return;
                if (pendingKey != null) {
                    String prefix = scope.isEmpty() ? "" : String.join("::", scope.reversed()) + "::";
                    out.put((prefix + pendingKey).toLowerCase(Locale.ROOT), t.substring(i + 1, end));
                }
                i = end + 1;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(t.charAt(i)) && "{};\"".indexOf(t.charAt(i)) < 0) i++;
                pendingKey = t.substring(start, i);
            }
        }
    }

    /** apt's {@code Acquire::Check-Valid-Until} (default true). */
    boolean checkValidUntil() {
        String v = values.get("acquire::check-valid-until");
        return v == null || isTrue(v);
    }

    static boolean isTrue(String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "false", "no", "0", "off", "without", "disable" -> false;
            default -> true;
        };
    }
}
