package dev.kolibri.pkg;

import dev.kolibri.pkg.deb.Debian;
import dev.kolibri.pkg.rpm.Rpm;

import java.util.List;

/** The ecosystems Kolibri knows, by the id a definition's {@code type:} and a lock's repositories name them. */
public final class KnownEcosystems {
    private static final List<Ecosystem> ALL = List.of(Debian.INSTANCE, Rpm.INSTANCE);

    private KnownEcosystems() {}

    /** The ecosystem of {@code id} ({@code deb}, {@code rpm}); IllegalArgumentException for another. */
    public static Ecosystem of(String id) {
        for (Ecosystem e : ALL) if (e.id().equals(id)) return e;
        throw new IllegalArgumentException("unknown package ecosystem '" + id + "' (known: deb, rpm)");
    }
}
