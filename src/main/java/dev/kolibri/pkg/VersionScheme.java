package dev.kolibri.pkg;

import java.util.Comparator;

/** An ecosystem's version order (dpkg's, rpm's), and how a provided capability meets a wanted one. */
public interface VersionScheme extends Comparator<String> {

    /** Compares two full version strings ({@code [epoch:]upstream[-revision]} or {@code [epoch:]version-release}). */
    @Override
    int compare(String a, String b);

    /**
     * Whether {@code provided} satisfies {@code wanted} (same name assumed). Debian semantics by default: an
     * unversioned provide satisfies only an unversioned dependency. RPM overrides this.
     */
    default boolean satisfies(Capability provided, Constraint wanted) {
        if (!provided.name().equals(wanted.name())) return false;
        if (wanted.op() == Op.ANY) return true;
        if (provided.version() == null) return false;
        return wanted.op().accepts(compare(provided.version(), wanted.version()));
    }
}
