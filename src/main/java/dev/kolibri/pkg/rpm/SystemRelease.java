package dev.kolibri.pkg.rpm;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution an rpmdb belongs to, told by the package that provides {@code system-release} (Fedora's
 * {@code fedora-release-*}, RHEL's {@code redhat-release}, {@code almalinux-release}, {@code rocky-release}): the
 * os-release {@code ID} is the package name before {@code -release} ({@code redhat} is {@code rhel},
 * {@code centos-stream} {@code centos}, {@code oraclelinux} {@code ol}); {@code VERSION_ID} is {@code N} of a
 * {@code system-release(N)} provide, else the version of {@code system-release(releasever) = V}, else of
 * {@code system-release = V-R}, else the package's own version (without release).
 *
 * @param id        os-release {@code ID} ({@code fedora})
 * @param versionId os-release {@code VERSION_ID} ({@code 43})
 * @param evidence  what told it ({@code fedora-release-common provides system-release(43)})
 */
public record SystemRelease(String id, String versionId, String evidence) {
    /** The capability every distribution's release package provides. */
    public static final String CAPABILITY = "system-release";

    private static final Pattern NUMBERED = Pattern.compile("system-release\\((\\d[0-9.]*)\\)");
    private static final Pattern VERSIONED = Pattern.compile("(system-release(?:\\(releasever\\))?)\\s*=\\s*(?:\\d+:)?([^\\s-]+)(?:-\\S*)?");
    private static final Map<String, String> IDS = Map.of("redhat", "rhel", "centos-stream", "centos", "oraclelinux", "ol");

    /**
     * The release a package tells, or empty when it does not provide {@code system-release} (or a
     * {@code system-release(...)}) or its name does not
     * end in {@code -release} (or {@code -release-SOMETHING}).
     *
     * @param name     the package name
     * @param version  its {@code [E:]V-R}
     * @param provides its provides as {@code rpm -q --provides} prints them ({@code name}, {@code name = evr})
     */
    public static Optional<SystemRelease> of(String name, String version, List<String> provides) {
        boolean provider = provides.stream().map(String::strip)
                .anyMatch(p -> p.equals(CAPABILITY) || p.startsWith(CAPABILITY + " ") || p.startsWith(CAPABILITY + "=")
                        || p.startsWith(CAPABILITY + "("));
        if (!provider) return Optional.empty();
        int cut = name.indexOf("-release");
        // Amazon Linux's package is called system-release itself: its name tells no distribution
        if (cut <= 0 || name.equals(CAPABILITY)) return Optional.empty();
        String id = name.substring(0, cut).toLowerCase(Locale.ROOT);
        id = IDS.getOrDefault(id, id);
        String numbered = null, releasever = null, plain = null;
        for (String p : provides) {
            String s = p.strip();
            Matcher m = NUMBERED.matcher(s);
            if (m.matches() && numbered == null) numbered = m.group(1);
            m = VERSIONED.matcher(s);
            if (m.matches()) {
                if (m.group(1).endsWith("(releasever)")) releasever = releasever == null ? m.group(2) : releasever;
                else plain = plain == null ? m.group(2) : plain;
            }
        }
        if (numbered != null) return Optional.of(new SystemRelease(id, numbered, name + " provides system-release(" + numbered + ")"));
        if (releasever != null) return Optional.of(new SystemRelease(id, releasever, name + " provides system-release(releasever) = " + releasever));
        if (plain != null) return Optional.of(new SystemRelease(id, plain, name + " provides system-release = " + plain));
        String v = version.contains(":") ? version.substring(version.indexOf(':') + 1) : version;
        int dash = v.lastIndexOf('-');
        if (dash > 0) v = v.substring(0, dash);
        return v.isEmpty() ? Optional.empty() : Optional.of(new SystemRelease(id, v, name + " " + version + " provides system-release"));
    }

    /** Provides as {@code rpm -q --provides} prints them, from the header's name, flags and version tags. */
    public static List<String> provides(RpmHeader h) {
        List<String> names = h.strings(RpmTags.PROVIDENAME);
        List<String> versions = h.strings(RpmTags.PROVIDEVERSION);
        long[] flags = h.numbers(RpmTags.PROVIDEFLAGS);
        List<String> out = new java.util.ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            String v = i < versions.size() ? versions.get(i) : "";
            long f = i < flags.length ? flags[i] : 0;
            String op = ((f & 2) != 0 ? "<" : "") + ((f & 4) != 0 ? ">" : "") + ((f & 8) != 0 ? "=" : "");
            out.add(v.isEmpty() || op.isEmpty() ? names.get(i) : names.get(i) + " " + op + " " + v);
        }
        return List.copyOf(out);
    }
}
