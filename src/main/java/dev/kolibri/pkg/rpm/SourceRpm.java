package dev.kolibri.pkg.rpm;

import java.util.Optional;

/**
 * A source RPM file name as the {@code SOURCERPM} tag holds it: {@code openssl-3.0.7-27.el9.src.rpm} is
 * {@code (openssl, 3.0.7, 27.el9)}.
 */
public record SourceRpm(String name, String version, String release) {

    /** The parts of {@code NAME-VERSION-RELEASE.src.rpm} (or {@code .nosrc.rpm}); empty for anything else. */
    public static Optional<SourceRpm> parse(String fileName) {
        if (fileName == null) return Optional.empty();
        String s = fileName.strip();
        String nvr;
        if (s.endsWith(".nosrc.rpm")) nvr = s.substring(0, s.length() - ".nosrc.rpm".length());
        else if (s.endsWith(".src.rpm")) nvr = s.substring(0, s.length() - ".src.rpm".length());
        else return Optional.empty();
        int r = nvr.lastIndexOf('-');
        int v = r > 0 ? nvr.lastIndexOf('-', r - 1) : -1;
        if (v <= 0) return Optional.empty();
        return Optional.of(new SourceRpm(nvr.substring(0, v), nvr.substring(v + 1, r), nvr.substring(r + 1)));
    }
}
