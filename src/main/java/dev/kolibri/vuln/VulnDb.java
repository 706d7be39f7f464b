package dev.kolibri.vuln;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Advisories by ecosystem and package name. Implementations: raw OSV ({@link OsvDb}) and the index ({@link DbIndex}). */
public interface VulnDb extends AutoCloseable {

    /**
     * Records with an {@code affected} entry for {@code name} in {@code ecosystem} (compared by {@link Ecosystems#key}),
     * sorted by id. Records may be reduced to what matching needs.
     */
    List<OsvRecord> forPackage(String ecosystem, String name);

    /**
     * A record that affects an installed version: the record (possibly reduced to what matching needs), its first
     * {@code affected} entry that does, and the first fixed version above the installed one (null when none is known).
     */
    record Hit(OsvRecord record, OsvRecord.Affected affected, String fixed) {}

    /**
     * The records of {@code name} in {@code os} that affect {@code version}, sorted by id: not withdrawn, with an
     * entry for this name and release (per {@link Affects}; an entry whose versions cannot be ordered is skipped).
     * The index answers this without decoding records that do not match.
     */
    default List<Hit> affecting(Ecosystems.OsEcosystem os, String name, String version) {
        List<Hit> out = new ArrayList<>();
        for (OsvRecord r : forPackage(os.key(), name)) {
            Hit h = evaluate(r, name, os, version);
            if (h != null) out.add(h);
        }
        return out;
    }

    /** The hit of one record for an installed {@code version} of {@code name}, or null when it does not affect it. */
    static Hit evaluate(OsvRecord r, String name, Ecosystems.OsEcosystem os, String version) {
        if (r.isWithdrawn()) return null;
        for (OsvRecord.Affected a : r.affected()) {
            if (!a.name().equals(name) || a.ecosystem().isEmpty() || !os.accepts(a.ecosystem())) continue;
            Affects.Verdict v;
            try {
                v = Affects.evaluate(a, version, os.scheme());
            } catch (RuntimeException e) {
                continue; // an advisory version this ecosystem cannot order is skipped, not fatal
            }
            if (v != null) return new Hit(r, a, v.fixed());
        }
        return null;
    }

    /** Opens an index made by {@link DbIndex#build}, or else a directory, zip or file of raw OSV records. */
    static VulnDb open(Path path) {
        return DbIndex.isIndex(path) ? DbIndex.open(path) : OsvDb.load(path);
    }

    @Override
    default void close() {}
}
