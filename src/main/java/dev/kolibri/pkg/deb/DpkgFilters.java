package dev.kolibri.pkg.deb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The image's trimming said in dpkg's own language: {@code /etc/dpkg/dpkg.cfg.d/kolibri-trim}, {@code path-exclude=}
 * for each {@code trim:} glob and {@code path-include=} for each {@code keep:} glob (dpkg lets the last matching line
 * decide, so the includes come last and a keep wins, as in Kolibri).
 *
 * <p>dpkg matches with {@code fnmatch(3)} without {@code FNM_PATHNAME}: its {@code *} also matches {@code /}. A
 * segment {@code **} becomes {@code *} (and, where it may stand for no segment at all, a second line without it); a
 * {@code *} that must stay within a segment is written as {@code *} followed by the line that undoes what crosses a
 * {@code /} (the same pattern with that {@code *} as {@code *}{@code /*}, with the opposite verdict). Where that
 * translation still disagrees with Kolibri on a file the image's packages ship (two globs overlapping), a line naming
 * exactly that file follows, so that dpkg decides every file of these packages as the build did.
 */
public final class DpkgFilters {
    public static final String PATH = "etc/dpkg/dpkg.cfg.d/kolibri-trim";

    private DpkgFilters() {}

    /** One line of the file: {@code path-exclude=PATTERN} or {@code path-include=PATTERN}. */
    public record Line(boolean include, String pattern) {
        @Override
        public String toString() {
            return (include ? "path-include=" : "path-exclude=") + pattern;
        }
    }

    /**
     * The file's text for these globs, with exact lines for every file of {@code trimmed} (absolute paths the build
     * left out) and {@code kept} (absolute paths it installed) that the globs' translation would decide otherwise.
     */
    public static String config(List<String> trim, List<String> keep, Collection<String> trimmed, Collection<String> kept) {
        List<Line> lines = new ArrayList<>();
        for (String g : trim) lines.addAll(translate(g, false));
        for (String g : keep) lines.addAll(translate(g, true));
        List<Pattern> compiled = lines.stream().map(l -> fnmatch(l.pattern())).toList();
        List<Line> exact = new ArrayList<>();
        for (String p : new java.util.TreeSet<>(trimmed)) if (included(lines, compiled, p)) exact.add(new Line(false, escape(p)));
        for (String p : new java.util.TreeSet<>(kept)) if (!included(lines, compiled, p)) exact.add(new Line(true, escape(p)));
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by Kolibri: the paths this image's build left out of its packages (trim:) and kept\n")
          .append("# nonetheless (keep:), as dpkg would leave them out. The last matching line decides.\n");
        for (String g : trim) sb.append("#   trim: ").append(g).append('\n');
        for (String g : keep) sb.append("#   keep: ").append(g).append('\n');
        for (Line l : lines) sb.append(l).append('\n');
        if (!exact.isEmpty()) sb.append("# files the lines above would decide otherwise\n");
        for (Line l : exact) sb.append(l).append('\n');
        return sb.toString();
    }

    /** dpkg's verdict for the absolute path {@code path} under these lines: included unless the last match excludes. */
    public static boolean included(List<Line> lines, String path) {
        return included(lines, lines.stream().map(l -> fnmatch(l.pattern())).toList(), path);
    }

    /** The lines of a config text (comments and other options skipped). */
    public static List<Line> parse(String config) {
        List<Line> out = new ArrayList<>();
        for (String l : config.split("\n")) {
            if (l.startsWith("path-exclude=")) out.add(new Line(false, l.substring("path-exclude=".length())));
            else if (l.startsWith("path-include=")) out.add(new Line(true, l.substring("path-include=".length())));
        }
        return out;
    }

    private static boolean included(List<Line> lines, List<Pattern> compiled, String path) {
        boolean in = true;
        for (int i = 0; i < lines.size(); i++) if (compiled.get(i).matcher(path).matches()) in = lines.get(i).include();
        return in;
    }

    /** The lines for one glob: its fnmatch forms, each followed by the corrections of its single-segment stars. */
    static List<Line> translate(String glob, boolean include) {
        List<Line> out = new ArrayList<>();
        for (List<String> tokens : forms(glob)) {
            out.add(new Line(include, join(tokens)));
            for (int i = 0; i < tokens.size(); i++) {
                if (!tokens.get(i).equals(STAR)) continue;
                List<String> wider = new ArrayList<>(tokens);
                wider.set(i, "*/*");
                out.add(new Line(!include, join(wider)));
            }
        }
        return out;
    }

    /** A single-segment star while translating, told apart from the {@code *} that a {@code **} becomes. */
    private static final String STAR = "\0*";

    /** The glob as fnmatch token lists: one per choice of "no segment" for each non-final {@code **} segment. */
    private static List<List<String>> forms(String glob) {
        String[] segs = glob.substring(1).split("/", -1);
        List<List<String>> forms = new ArrayList<>();
        forms.add(new ArrayList<>());
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            boolean last = i == segs.length - 1;
            List<List<String>> next = new ArrayList<>();
            for (List<String> f : forms) {
                List<String> with = new ArrayList<>(f);
                with.add("/");
                if (s.equals("**")) {
                    with.add("*");
                    next.add(with);
                    if (!last) next.add(new ArrayList<>(f)); // the ** stands for no segment: /a/**/b is also /a/b
                    continue;
                }
                for (int c = 0; c < s.length(); c++) {
                    char ch = s.charAt(c);
                    if (ch == '*' && c + 1 < s.length() && s.charAt(c + 1) == '*') {
                        with.add("*");
                        c++;
                    } else if (ch == '*') {
                        with.add(STAR);
                    } else {
                        with.add(escape(String.valueOf(ch)));
                    }
                }
                next.add(with);
            }
            forms = next;
        }
        return forms;
    }

    private static String join(List<String> tokens) {
        return String.join("", tokens).replace(STAR, "*");
    }

    /** fnmatch's special characters as literals. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    /** {@code fnmatch(pattern, path, 0)} as a regex: {@code *} any string, {@code ?} any character, {@code \c} c. */
    static Pattern fnmatch(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            else if (c == '*') re.append("(?s:.*)");
            else if (c == '?') re.append("(?s:.)");
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }
}
