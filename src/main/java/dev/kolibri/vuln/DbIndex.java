package dev.kolibri.vuln;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The compact vulnerability index that {@code kolibri db import SOURCES -o DIR} writes, and its reader.
 *
 * <p>Layout of DIR: {@value #MARKER} (a text marker: format version and counts), {@value #KEYS} (magic, key count,
 * a table of fixed 24-byte entries sorted by the unsigned bytes of {@code ecosystemKey NUL packageName}, then the key
 * bytes) and {@value #RECORDS} (per key, its records reduced to what matching needs, one after another). A lookup
 * is a binary search over the memory-mapped table and a decode of that key's records only; no JSON is parsed. The
 * same record is stored once per key it affects, carrying only that key's affected entries. Big-endian throughout.
 */
public final class DbIndex implements VulnDb {
    static final String MARKER = "KOLIBRI-VULNDB";
    static final String KEYS = "keys.bin";
    static final String RECORDS = "records.bin";
    private static final byte[] MAGIC = "KVIDX001".getBytes(StandardCharsets.US_ASCII);
    private static final int ENTRY = 24;
    private static final int HEADER = MAGIC.length + 4;

    private final Path dir;
    private final FileChannel keysChannel;
    private final FileChannel recordsChannel;
    private final MappedByteBuffer keys;
    private final MappedByteBuffer records; // null when records.bin exceeds one mapping; positional reads then
    private final int count;

    private DbIndex(Path dir, FileChannel keysChannel, FileChannel recordsChannel, MappedByteBuffer keys, MappedByteBuffer records, int count) {
        this.dir = dir;
        this.keysChannel = keysChannel;
        this.recordsChannel = recordsChannel;
        this.keys = keys;
        this.records = records;
        this.count = count;
    }

    /** True when {@code path} is a directory holding an index marker. */
    public static boolean isIndex(Path path) {
        return Files.isDirectory(path) && Files.isRegularFile(path.resolve(MARKER));
    }

    // ---------------------------------------------------------------- build

    /** What {@link #build} wrote. */
    public record Stats(int records, int withdrawn, int keys) {}

    /**
     * Imports OSV sources (directories, zips, JSON files) into an index at {@code outDir}, atomically: the index is
     * written beside it and renamed into place, replacing an earlier index; a failure leaves {@code outDir} as it was.
     * When one id appears in several sources, the record with the latest {@code modified} wins.
     */
    public static Stats build(List<Path> sources, Path outDir) {
        Map<String, Compact> byId = new HashMap<>();
        for (Path source : sources) {
            Osv.forEach(source, r -> {
                Compact c = Compact.of(r);
                byId.merge(r.id(), c, (old, neu) -> neu.modified.compareTo(old.modified) > 0 ? neu : old);
            });
        }
        TreeMap<byte[], List<Map.Entry<String, byte[]>>> byKey = new TreeMap<>(Arrays::compareUnsigned);
        int withdrawn = 0;
        for (Compact c : byId.values()) {
            if (c.withdrawn) withdrawn++;
            for (Map.Entry<String, byte[]> e : c.perKey.entrySet()) {
                byKey.computeIfAbsent(e.getKey().getBytes(StandardCharsets.UTF_8), k -> new ArrayList<>()).add(Map.entry(c.id, e.getValue()));
            }
        }
        Path parent = outDir.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            if (Files.exists(outDir) && !isIndex(outDir) && !isEmptyDir(outDir)) {
                throw new VulnException("refusing to replace " + outDir + ": it exists and is not a Kolibri vulnerability index; choose another -o");
            }
            Path tmp = Files.createTempDirectory(parent, outDir.getFileName() + ".tmp-");
            try {
                write(tmp, byKey, byId.size(), withdrawn);
                replace(tmp, outDir);
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new VulnException("cannot write vulnerability index " + outDir + ": " + e.getMessage(), e);
        }
        return new Stats(byId.size(), withdrawn, byKey.size());
    }

    private static void write(Path tmp, TreeMap<byte[], List<Map.Entry<String, byte[]>>> byKey, int records, int withdrawn) throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        ByteBuffer table = ByteBuffer.allocate(HEADER + byKey.size() * ENTRY).order(ByteOrder.BIG_ENDIAN);
        table.put(MAGIC).putInt(byKey.size());
        long recOffset = 0;
        try (OutputStream rec = new java.io.BufferedOutputStream(Files.newOutputStream(tmp.resolve(RECORDS)), 1 << 16)) {
            for (Map.Entry<byte[], List<Map.Entry<String, byte[]>>> k : byKey.entrySet()) {
                List<Map.Entry<String, byte[]>> group = new ArrayList<>(k.getValue());
                group.sort(Map.Entry.comparingByKey());
                int len = 0;
                for (Map.Entry<String, byte[]> e : group) {
                    rec.write(e.getValue());
                    len += e.getValue().length;
                }
                table.putInt(blob.size()).putInt(k.getKey().length).putLong(recOffset).putInt(len).putInt(group.size());
                blob.write(k.getKey());
                recOffset += len;
            }
        }
        try (OutputStream out = Files.newOutputStream(tmp.resolve(KEYS))) {
            out.write(table.array());
            blob.writeTo(out);
        }
        Files.writeString(tmp.resolve(MARKER), "kolibri vulnerability index\nformat 1\nrecords " + records
                + "\nwithdrawn " + withdrawn + "\nkeys " + byKey.size() + "\n");
    }

    private static void replace(Path tmp, Path outDir) throws IOException {
        Path old = null;
        if (Files.exists(outDir)) {
            old = Files.createTempDirectory(outDir.toAbsolutePath().getParent(), outDir.getFileName() + ".old-");
            Files.delete(old);
            Files.move(outDir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, outDir, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) deleteTree(old);
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) return false;
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }

    /** A record serialized once per lookup key, with only that key's affected entries. */
    private record Compact(String id, String modified, boolean withdrawn, Map<String, byte[]> perKey) {
        static Compact of(OsvRecord r) {
            Map<String, List<OsvRecord.Affected>> groups = new TreeMap<>();
            for (OsvRecord.Affected a : r.affected()) {
                if (a.ecosystem().isEmpty()) continue;
                groups.computeIfAbsent(OsvDb.lookupKey(Ecosystems.key(a.ecosystem()), a.name()), k -> new ArrayList<>()).add(a);
            }
            Map<String, byte[]> perKey = new TreeMap<>();
            for (Map.Entry<String, List<OsvRecord.Affected>> g : groups.entrySet()) perKey.put(g.getKey(), encode(r, g.getValue()));
            return new Compact(r.id(), r.modified() == null ? "" : r.modified(), r.isWithdrawn(), perKey);
        }
    }

    static byte[] encode(OsvRecord r, List<OsvRecord.Affected> affected) {
        Writer w = new Writer();
        w.str(r.id());
        w.strs(r.aliases());
        w.str(r.withdrawn());
        w.str(Matcher.summaryOf(r));
        List<OsvRecord.SeverityEntry> sev = r.severity().stream()
                .filter(s -> s.type().equals("CVSS_V3") || s.type().equals("CVSS_V4") || s.type().equals("Ubuntu")).toList();
        w.num(sev.size());
        for (OsvRecord.SeverityEntry s : sev) {
            w.str(s.type());
            w.str(s.score());
        }
        w.str(r.databaseSeverity());
        w.num(affected.size());
        for (OsvRecord.Affected a : affected) {
            w.str(a.ecosystem());
            w.str(a.name());
            w.str(a.purl());
            w.str(a.severity());
            List<OsvRecord.Range> ranges = a.ranges().stream().filter(x -> !x.type().equals("GIT")).toList();
            w.num(ranges.size());
            for (OsvRecord.Range x : ranges) {
                w.str(x.type());
                w.num(x.events().size());
                for (OsvRecord.Event e : x.events()) {
                    w.num(e.kind().ordinal());
                    w.str(e.version());
                }
            }
            w.strs(a.versions());
        }
        return w.out.toByteArray();
    }

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        void num(int n) {
            while ((n & ~0x7f) != 0) {
                out.write((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            out.write(n);
        }

        void str(String s) {
            if (s == null) {
                num(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            num(b.length + 1);
            out.writeBytes(b);
        }

        void strs(List<String> l) {
            num(l.size());
            for (String s : l) str(s);
        }
    }

    // ---------------------------------------------------------------- read

    /** Opens an index directory written by {@link #build}. */
    public static DbIndex open(Path dir) {
        if (!isIndex(dir)) throw new VulnException(dir + " is not a Kolibri vulnerability index (no " + MARKER + "): make one with kolibri db import");
        FileChannel kc = null;
        FileChannel rc = null;
        try {
            String marker = Files.readString(dir.resolve(MARKER));
            if (!marker.contains("\nformat 1\n")) {
                throw new VulnException("vulnerability index " + dir + " has an unknown format: rebuild it with this Kolibri's kolibri db import");
            }
            kc = FileChannel.open(dir.resolve(KEYS), StandardOpenOption.READ);
            rc = FileChannel.open(dir.resolve(RECORDS), StandardOpenOption.READ);
            if (kc.size() < HEADER || kc.size() > Integer.MAX_VALUE) throw corrupt(dir, KEYS + " has a bad size");
            MappedByteBuffer keys = kc.map(FileChannel.MapMode.READ_ONLY, 0, kc.size());
            byte[] magic = new byte[MAGIC.length];
            keys.get(0, magic);
            if (!Arrays.equals(magic, MAGIC)) throw corrupt(dir, KEYS + " does not start with the index magic");
            int count = keys.getInt(MAGIC.length);
            if (count < 0 || (long) HEADER + (long) count * ENTRY > kc.size()) throw corrupt(dir, KEYS + " is truncated");
            MappedByteBuffer records = rc.size() <= Integer.MAX_VALUE ? rc.map(FileChannel.MapMode.READ_ONLY, 0, rc.size()) : null;
            return new DbIndex(dir, kc, rc, keys, records, count);
        } catch (IOException e) {
            closeQuietly(kc);
            closeQuietly(rc);
            throw new VulnException("cannot open vulnerability index " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(kc);
            closeQuietly(rc);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public List<OsvRecord> forPackage(String ecosystem, String name) {
        byte[] key = OsvDb.lookupKey(Ecosystems.key(ecosystem), name).getBytes(StandardCharsets.UTF_8);
        int lo = 0, hi = count - 1;
        int blobBase = HEADER + count * ENTRY;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int e = HEADER + mid * ENTRY;
            int c = compareKey(blobBase + keys.getInt(e), keys.getInt(e + 4), key);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return decodeGroup(keys.getLong(e + 8), keys.getInt(e + 16), keys.getInt(e + 20));
        }
        return List.of();
    }

    private int compareKey(int off, int len, byte[] key) {
        if (off < 0 || len < 0 || (long) off + len > keys.limit()) throw corrupt(dir, KEYS + " has a key outside the file");
        int n = Math.min(len, key.length);
        for (int i = 0; i < n; i++) {
            int c = Byte.compareUnsigned(keys.get(off + i), key[i]);
            if (c != 0) return c;
        }
        return Integer.compare(len, key.length);
    }

    private List<OsvRecord> decodeGroup(long offset, int length, int n) {
        ByteBuffer buf;
        try {
            if (offset < 0 || length < 0 || offset + length > recordsChannel.size()) throw corrupt(dir, RECORDS + " is truncated");
            if (records != null) {
                buf = records.slice((int) offset, length);
            } else {
                buf = ByteBuffer.allocate(length);
                while (buf.hasRemaining()) {
                    if (recordsChannel.read(buf, offset + buf.position()) < 0) throw corrupt(dir, RECORDS + " is truncated");
                }
                buf.flip();
            }
        } catch (IOException e) {
            throw new VulnException("cannot read vulnerability index " + dir + ": " + e.getMessage(), e);
        }
        Reader r = new Reader(buf, dir);
        List<OsvRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(r.record());
        return out;
    }

    private static VulnException corrupt(Path dir, String why) {
        return new VulnException("vulnerability index " + dir + " is corrupt (" + why + "): rebuild it with kolibri db import");
    }

    private static final class Reader {
        private final ByteBuffer b;
        private final Path dir;

        Reader(ByteBuffer b, Path dir) {
            this.b = b;
            this.dir = dir;
        }

        OsvRecord record() {
            try {
                String id = str();
                List<String> aliases = strs();
                String withdrawn = str();
                String summary = str();
                int ns = num();
                List<OsvRecord.SeverityEntry> sev = new ArrayList<>(ns);
                for (int i = 0; i < ns; i++) sev.add(new OsvRecord.SeverityEntry(str(), str()));
                String dbSeverity = str();
                int na = num();
                List<OsvRecord.Affected> affected = new ArrayList<>(na);
                for (int i = 0; i < na; i++) {
                    String eco = str(), name = str(), purl = str(), severity = str();
                    int nr = num();
                    List<OsvRecord.Range> ranges = new ArrayList<>(nr);
                    for (int j = 0; j < nr; j++) {
                        String type = str();
                        int ne = num();
                        List<OsvRecord.Event> events = new ArrayList<>(ne);
                        for (int k = 0; k < ne; k++) events.add(new OsvRecord.Event(OsvRecord.EventKind.values()[num()], str()));
                        ranges.add(new OsvRecord.Range(type, events));
                    }
                    affected.add(new OsvRecord.Affected(eco, name, purl, ranges, strs(), severity));
                }
                return new OsvRecord(id, null, null, withdrawn, aliases, List.of(), summary, null, sev, affected, dbSeverity);
            } catch (RuntimeException e) {
                if (e instanceof VulnException v) throw v;
                throw corrupt(dir, RECORDS + " holds an undecodable record: " + e);
            }
        }

        int num() {
            int n = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                byte x = b.get();
                n |= (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    if (n < 0) throw corrupt(dir, RECORDS + " holds a negative length");
                    return n;
                }
            }
            throw corrupt(dir, RECORDS + " holds an overlong number");
        }

        String str() {
            int n = num();
            if (n == 0) return null;
            if (n - 1 > b.remaining()) throw corrupt(dir, RECORDS + " holds a string past its end");
            byte[] bytes = new byte[n - 1];
            b.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        List<String> strs() {
            int n = num();
            if (n > b.remaining()) throw corrupt(dir, RECORDS + " holds a list past its end");
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String s = str();
                out.add(s == null ? "" : s);
            }
            return out;
        }
    }

    @Override
    public void close() {
        closeQuietly(keysChannel);
        closeQuietly(recordsChannel);
    }
}
