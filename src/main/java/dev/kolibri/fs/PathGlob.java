package dev.kolibri.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An absolute path glob of {@code trim:}/{@code keep:}: {@code *} matches within one path segment, a segment
 * {@code **} any number of segments ({@code /usr/share/doc/**} is everything below {@code /usr/share/doc}, not the
 * directory itself; {@code /a/**}{@code /b} is {@code /a/b}, {@code /a/x/b}, ...), {@code **} inside a segment any
 * characters including {@code /}. Every other character stands for itself.
 *
 * @param glob  the glob as written ({@code /usr/share/man/**})
 * @param regex what it matches, over tree paths (relative, no leading {@code /})
 */
public record PathGlob(String glob, Pattern regex) {

    public static PathGlob of(String glob) {
        if (!glob.startsWith("/")) throw new IllegalArgumentException("not an absolute glob: '" + glob + "'");
        String[] segs = glob.substring(1).split("/", -1);
        StringBuilder re = new StringBuilder();
        boolean sep = false;
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            boolean last = i == segs.length - 1;
            if (s.equals("**")) {
                if (last) re.append(sep ? "/.+" : ".+");
                else re.append(sep ? "/(?:[^/]+/)*" : "(?:[^/]+/)*");
                sep = false;
                continue;
            }
            if (sep) re.append('/');
            re.append(segment(s));
            sep = true;
        }
        return new PathGlob(glob, Pattern.compile(re.toString()));
    }

    /** Whether the tree path {@code path} (relative, as {@link FileTree} keys it) matches. */
    public boolean matches(String path) {
        return regex.matcher(path).matches();
    }

    /** Globs compiled in order. */
    public static List<PathGlob> all(List<String> globs) {
        List<PathGlob> out = new ArrayList<>();
        for (String g : globs) out.add(of(g));
        return List.copyOf(out);
    }

    private static String segment(String s) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
