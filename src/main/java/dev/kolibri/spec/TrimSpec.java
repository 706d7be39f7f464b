package dev.kolibri.spec;

import java.util.List;

/**
 * What a build leaves out of the packages it installs ({@code trim:}) and what it keeps nonetheless ({@code keep:}):
 * globs over absolute paths in the image ({@code /usr/share/man/**}, {@code /usr/share/doc/*}/copyright}; {@code *}
 * stays within one path segment, {@code **} crosses them). The distro file's defaults come first, then the
 * definition's own; a path matched by a {@code keep} glob is never trimmed.
 *
 * @param trim paths left out
 * @param keep paths kept even where a {@code trim} glob matches
 */
public record TrimSpec(List<String> trim, List<String> keep) {
    public static final TrimSpec NONE = new TrimSpec(List.of(), List.of());

    public TrimSpec {
        trim = List.copyOf(trim == null ? List.of() : trim);
        keep = List.copyOf(keep == null ? List.of() : keep);
    }

    public boolean isEmpty() {
        return trim.isEmpty();
    }

    /** These globs followed by {@code more}'s. */
    public TrimSpec then(TrimSpec more) {
        return new TrimSpec(concat(trim, more.trim), concat(keep, more.keep));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        java.util.List<String> out = new java.util.ArrayList<>(a);
        for (String s : b) if (!out.contains(s)) out.add(s);
        return List.copyOf(out);
    }
}
