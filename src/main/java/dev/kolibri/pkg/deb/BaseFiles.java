package dev.kolibri.pkg.deb;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Debian release a dpkg database belongs to, told by the version of Debian's {@code base-files} package: its
 * upstream version is the release, {@code 12.4+deb12u5} is Debian 12, {@code 13.8} Debian 13. Other versions
 * (Ubuntu's {@code 12ubuntu4.6}, a derivative's) tell nothing.
 */
public final class BaseFiles {
    /** The package whose version tells the release. */
    public static final String PACKAGE = "base-files";
    public static final String OS_ID = "debian";

    private static final Pattern DEBIAN = Pattern.compile("(\\d+)(?:\\.\\d+)*(?:\\+deb(\\d+)u\\d+)?");

    private BaseFiles() {}

    /** Debian's major release ({@code 12}) of a base-files version, or empty when it is not a Debian one. */
    public static Optional<String> debianRelease(String version) {
        if (version == null) return Optional.empty();
        Matcher m = DEBIAN.matcher(version.strip());
        if (!m.matches()) return Optional.empty();
        if (m.group(2) != null && !m.group(2).equals(m.group(1))) return Optional.empty();
        return Optional.of(m.group(1));
    }
}
