package dev.kolibri.vuln;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Raw OSV records held in memory, keyed by (ecosystem key, package name). */
public final class OsvDb implements VulnDb {
    private final Map<String, List<OsvRecord>> byKey;

    private OsvDb(Map<String, List<OsvRecord>> byKey) {
        this.byKey = byKey;
    }

    /** Loads a directory, zip or file of OSV records. */
    public static OsvDb load(Path source) {
        return of(Osv.load(source));
    }

    /** Indexes records; when one id appears twice, the one with the latest {@code modified} wins. */
    public static OsvDb of(Collection<OsvRecord> records) {
        Map<String, List<OsvRecord>> byKey = new HashMap<>();
        for (OsvRecord r : latest(records).values()) {
            for (String key : keys(r)) byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        return new OsvDb(byKey);
    }

    /** Records by id (sorted), the latest {@code modified} winning, the first seen on a tie. */
    static TreeMap<String, OsvRecord> latest(Collection<OsvRecord> records) {
        TreeMap<String, OsvRecord> byId = new TreeMap<>();
        for (OsvRecord r : records) byId.merge(r.id(), r, (old, neu) -> newer(neu, old) ? neu : old);
        return byId;
    }

    static boolean newer(OsvRecord a, OsvRecord b) {
        String ma = a.modified() == null ? "" : a.modified();
        String mb = b.modified() == null ? "" : b.modified();
        return ma.compareTo(mb) > 0;
    }

    /** The distinct (ecosystem key, name) lookup keys of a record's affected entries. */
    static List<String> keys(OsvRecord r) {
        List<String> keys = new ArrayList<>();
        for (OsvRecord.Affected a : r.affected()) {
            if (a.ecosystem().isEmpty()) continue;
            String k = lookupKey(Ecosystems.key(a.ecosystem()), a.name());
            if (!keys.contains(k)) keys.add(k);
        }
        return keys;
    }

    static String lookupKey(String ecosystemKey, String name) {
        return ecosystemKey + '\0' + name;
    }

    @Override
    public List<OsvRecord> forPackage(String ecosystem, String name) {
        return byKey.getOrDefault(lookupKey(Ecosystems.key(ecosystem), name), List.of());
    }
}
