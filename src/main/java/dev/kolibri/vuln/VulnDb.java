package dev.kolibri.vuln;

import java.nio.file.Path;
import java.util.List;

/** Advisories by ecosystem and package name. Implementations: raw OSV ({@link OsvDb}) and the index ({@link DbIndex}). */
public interface VulnDb extends AutoCloseable {

    /**
     * Records with an {@code affected} entry for {@code name} in {@code ecosystem} (compared by {@link Ecosystems#key}),
     * sorted by id. Records may be reduced to what matching needs.
     */
    List<OsvRecord> forPackage(String ecosystem, String name);

    /** Opens an index made by {@link DbIndex#build}, or else a directory, zip or file of raw OSV records. */
    static VulnDb open(Path path) {
        return DbIndex.isIndex(path) ? DbIndex.open(path) : OsvDb.load(path);
    }

    @Override
    default void close() {}
}
