package dev.kolibri.vuln;

import dev.kolibri.pkg.VersionScheme;

import java.io.BufferedOutputStream;
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
 * <p>Layout of DIR (format {@value #FORMAT}, big-endian throughout):
 * <ul>
 *   <li>{@value #MARKER}: a text marker with the format version and counts;</li>
 *   <li>{@value #KEYS}: magic, key count, a table of fixed {@value #ENTRY}-byte entries sorted by the unsigned bytes
 *       of {@code ecosystemKey NUL packageName} (key offset and length, group offset and length, entry count), then
 *       the key bytes;</li>
 *   <li>{@value #GROUPS}: per key, a group: three counts ({@code sorted}, {@code always}, {@code other}), a table of
 *       {@value #ROW}-byte rows (record offset and length in {@value #RECORDS}, blob offset and length in the group),
 *       then the blobs: the fix version, then the record's {@code affected} entries for this key (ecosystem when it
 *       differs from the key's, severity label, ranges without GIT, versions);</li>
 *   <li>{@value #RECORDS}: each record once, in id order: id, aliases, withdrawn, summary, severity, database
 *       severity.</li>
 * </ul>
 * Rows of a group come in three runs. <b>sorted</b>: records whose only entry for the key is one ECOSYSTEM range
 * {@code introduced 0, fixed X} with no versions list, sorted by X in the ecosystem's version order, so the records
 * that affect a version are one binary search away (exactly those with X above it); <b>always</b>: such records with
 * no fix (introduced 0 only), which affect every version; <b>other</b>: everything else (withdrawn, several entries,
 * other events, versions lists), evaluated one by one as for raw OSV. A scan therefore decodes only the records that
 * match, plus the few irregular ones. The same record is stored once; each key it affects has its own row and blob.
 */
public final class DbIndex implements VulnDb {
    static final String MARKER = "KOLIBRI-VULNDB";
    static final String KEYS = "keys.bin";
    static final String GROUPS = "groups.bin";
    static final String RECORDS = "records.bin";
    static final int FORMAT = 2;
    private static final byte[] MAGIC = "KVIDX002".getBytes(StandardCharsets.US_ASCII);
    private static final int ENTRY = 24;
    private static final int HEADER = MAGIC.length + 4;
    private static final int ROW = 20;
    private static final int GROUP_HEADER = 12;

    private final Path dir;
    private final List<FileChannel> channels;
    private final MappedByteBuffer keys;
    private final ByteBuffer groups;
    private final MappedByteBuffer records; // null when records.bin exceeds one mapping; positional reads then
    private final FileChannel recordsChannel;
    private final int count;
    private volatile EcoKey lastEco = new EcoKey("", "");

    private record EcoKey(String ecosystem, String key) {}

    private DbIndex(Path dir, List<FileChannel> channels, MappedByteBuffer keys, ByteBuffer groups, MappedByteBuffer records,
                    FileChannel recordsChannel, int count) {
        this.dir = dir;
        this.channels = channels;
        this.keys = keys;
        this.groups = groups;
        this.records = records;
        this.recordsChannel = recordsChannel;
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
        Map<String, VersionScheme> schemes = new HashMap<>();
        for (Path source : sources) {
            Osv.forEach(source, r -> {
                Compact c = Compact.of(r, schemes);
                byId.merge(r.id(), c, (old, neu) -> neu.modified.compareTo(old.modified) > 0 ? neu : old);
            });
        }
        Path parent = outDir.toAbsolutePath().getParent();
        Stats stats;
        try {
            Files.createDirectories(parent);
            if (Files.exists(outDir) && !isIndex(outDir) && !isEmptyDir(outDir)) {
                throw new VulnException("refusing to replace " + outDir + ": it exists and is not a Kolibri vulnerability index; choose another -o");
            }
            Path tmp = dev.kolibri.fs.OutputFiles.createTempDirectory(parent, outDir.getFileName() + ".tmp-");
            try {
                stats = write(tmp, byId, schemes);
                replace(tmp, outDir);
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new VulnException("cannot write vulnerability index " + outDir + ": " + e.getMessage(), e);
        }
        return stats;
    }

    /** One row of a key's group while building: the record's offset and length in records.bin and its entry. */
    private record Row(long recordOffset, int recordLength, KeyEntry entry) {}

    private static Stats write(Path tmp, Map<String, Compact> byId, Map<String, VersionScheme> schemes) throws IOException {
        List<Compact> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparing(Compact::id));
        Map<String, List<Row>> rowsByKey = new HashMap<>();
        int withdrawn = 0;
        long recOffset = 0;
        try (OutputStream rec = new BufferedOutputStream(Files.newOutputStream(tmp.resolve(RECORDS)), 1 << 16)) {
            for (Compact c : all) {
                if (c.withdrawn) withdrawn++;
                rec.write(c.header);
                for (KeyEntry e : c.entries) {
                    rowsByKey.computeIfAbsent(e.key, k -> new ArrayList<>()).add(new Row(recOffset, c.header.length, e));
                }
                recOffset += c.header.length;
            }
        }
        TreeMap<byte[], List<Row>> byKey = new TreeMap<>(Arrays::compareUnsigned);
        rowsByKey.forEach((k, rows) -> byKey.put(k.getBytes(StandardCharsets.UTF_8), rows));
        Map<VersionScheme, Map<String, Boolean>> comparable = new HashMap<>(); // per scheme: can it order this version
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        ByteBuffer table = ByteBuffer.allocate(HEADER + byKey.size() * ENTRY).order(ByteOrder.BIG_ENDIAN);
        table.put(MAGIC).putInt(byKey.size());
        long groupOffset = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp.resolve(GROUPS)), 1 << 16)) {
            for (Map.Entry<byte[], List<Row>> k : byKey.entrySet()) {
                String key = new String(k.getKey(), StandardCharsets.UTF_8);
                byte[] group = group(k.getValue(), schemes.get(key.substring(0, key.indexOf('\0'))), comparable);
                out.write(group);
                table.putInt(blob.size()).putInt(k.getKey().length).putLong(groupOffset).putInt(group.length).putInt(k.getValue().size());
                blob.write(k.getKey());
                groupOffset += group.length;
            }
        }
        try (OutputStream out = Files.newOutputStream(tmp.resolve(KEYS))) {
            out.write(table.array());
            blob.writeTo(out);
        }
        Files.writeString(tmp.resolve(MARKER), "kolibri vulnerability index\nformat " + FORMAT + "\nrecords " + all.size()
                + "\nwithdrawn " + withdrawn + "\nkeys " + byKey.size() + "\n");
        return new Stats(all.size(), withdrawn, byKey.size());
    }

    /** A key's group: rows (in record order) split into the sorted, always and other runs; see the class comment. */
    private static byte[] group(List<Row> rows, VersionScheme scheme, Map<VersionScheme, Map<String, Boolean>> comparable) {
        List<Row> sorted = new ArrayList<>();
        List<Row> always = new ArrayList<>();
        List<Row> other = new ArrayList<>();
        for (Row r : rows) {
            KeyEntry e = r.entry;
            if (scheme == null || e.kind == Kind.OTHER) other.add(r);
            else if (e.kind == Kind.ALWAYS) always.add(r);
            else if (comparable.computeIfAbsent(scheme, x -> new HashMap<>()).computeIfAbsent(e.fix, v -> comparable(scheme, v))) sorted.add(r);
            else other.add(r);
        }
        try {
            sorted.sort((a, b) -> scheme.compare(a.entry.fix, b.entry.fix)); // stable: ties stay in record order
        } catch (RuntimeException e) {
            other.addAll(sorted); // an order that is not one (should not happen): evaluate these one by one
            other.sort(Comparator.comparingLong(Row::recordOffset));
            sorted.clear();
        }
        ByteBuffer head = ByteBuffer.allocate(GROUP_HEADER + rows.size() * ROW).order(ByteOrder.BIG_ENDIAN);
        head.putInt(sorted.size()).putInt(always.size()).putInt(other.size());
        ByteArrayOutputStream blobs = new ByteArrayOutputStream();
        for (List<Row> run : List.of(sorted, always, other)) {
            for (Row r : run) {
                head.putLong(r.recordOffset).putInt(r.recordLength).putInt(head.capacity() + blobs.size()).putInt(r.entry.blob.length);
                blobs.writeBytes(r.entry.blob);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.capacity() + blobs.size());
        out.writeBytes(head.array());
        out.writeBytes(blobs.toByteArray());
        return out.toByteArray();
    }

    private static boolean comparable(VersionScheme scheme, String version) {
        try {
            scheme.compare(version, version);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
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

    private enum Kind { SORTED, ALWAYS, OTHER }

    /** A record's entries for one lookup key: its run, its fix version (SORTED only) and its encoded blob. */
    private record KeyEntry(String key, Kind kind, String fix, byte[] blob) {}

    /** A record reduced to its encoded header and one entry per lookup key it affects. */
    private record Compact(String id, String modified, boolean withdrawn, byte[] header, List<KeyEntry> entries) {
        static Compact of(OsvRecord r, Map<String, VersionScheme> schemes) {
            Map<String, List<OsvRecord.Affected>> groups = new TreeMap<>();
            for (OsvRecord.Affected a : r.affected()) {
                if (a.ecosystem().isEmpty()) continue;
                String eco = Ecosystems.key(a.ecosystem());
                schemes.computeIfAbsent(eco, DbIndex::schemeOf);
                groups.computeIfAbsent(OsvDb.lookupKey(eco, a.name()), k -> new ArrayList<>()).add(a);
            }
            List<KeyEntry> entries = new ArrayList<>(groups.size());
            for (Map.Entry<String, List<OsvRecord.Affected>> g : groups.entrySet()) {
                String key = g.getKey();
                List<OsvRecord.Affected> affected = g.getValue();
                String fix = null;
                Kind kind = Kind.OTHER;
                if (!r.isWithdrawn() && affected.size() == 1) {
                    List<OsvRecord.Event> events = simpleEvents(affected.getFirst());
                    if (events != null && events.size() == 1) kind = Kind.ALWAYS;
                    if (events != null && events.size() == 2) {
                        kind = Kind.SORTED;
                        fix = events.get(events.getFirst().kind() == OsvRecord.EventKind.FIXED ? 0 : 1).version();
                    }
                }
                entries.add(new KeyEntry(key, kind, fix, encodeEntries(key.substring(0, key.indexOf('\0')), fix, affected)));
            }
            return new Compact(r.id(), r.modified() == null ? "" : r.modified(), r.isWithdrawn(), encodeHeader(r), entries);
        }
    }

    private static VersionScheme schemeOf(String ecosystemKey) {
        try {
            return Ecosystems.parse(ecosystemKey).scheme();
        } catch (VulnException e) {
            return null; // not an OS ecosystem Kolibri scans: its records stay in the "other" run
        }
    }

    /**
     * The events of an entry that affects exactly the versions below one fix ({@code introduced 0, fixed X}, in
     * either order) or every version ({@code introduced 0}): one ECOSYSTEM range (other range types are not
     * evaluated), no versions list. Null for any other entry. See {@link Affects}: for such an entry a version is
     * affected exactly when it is below X, and X is then the fix reported.
     */
    static List<OsvRecord.Event> simpleEvents(OsvRecord.Affected a) {
        if (!a.versions().isEmpty()) return null;
        List<OsvRecord.Event> events = null;
        for (OsvRecord.Range r : a.ranges()) {
            if (!r.type().equals("ECOSYSTEM")) continue;
            if (events != null) return null;
            events = r.events();
        }
        if (events == null || events.isEmpty() || events.size() > 2) return null;
        int introducedZero = 0;
        int fixed = 0;
        for (OsvRecord.Event e : events) {
            if (e.kind() == OsvRecord.EventKind.INTRODUCED && e.version().equals("0")) introducedZero++;
            else if (e.kind() == OsvRecord.EventKind.FIXED && !e.version().equals("0") && !e.version().equals("*")) fixed++;
            else return null;
        }
        return introducedZero == 1 && fixed == events.size() - 1 ? events : null;
    }

    static byte[] encodeHeader(OsvRecord r) {
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
        return w.out.toByteArray();
    }

    /** A row's blob: the fix version (or null), then the entries (ecosystem null when it is the key's own). */
    static byte[] encodeEntries(String ecosystemKey, String fix, List<OsvRecord.Affected> affected) {
        Writer w = new Writer();
        w.str(fix);
        w.num(affected.size());
        for (OsvRecord.Affected a : affected) {
            w.str(a.ecosystem().equals(ecosystemKey) ? null : a.ecosystem());
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
        final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

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
        List<FileChannel> channels = new ArrayList<>();
        try {
            String marker = Files.readString(dir.resolve(MARKER));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^format (\\d+)$").matcher(marker);
            if (!marker.startsWith("kolibri vulnerability index\n") || !m.find()) {
                throw new VulnException("vulnerability index " + dir + " has an unreadable " + MARKER + " marker: re-run kolibri db import to rebuild it");
            }
            if (!m.group(1).equals(Integer.toString(FORMAT))) {
                throw new VulnException("vulnerability index " + dir + " has format " + m.group(1) + ", this Kolibri reads format " + FORMAT
                        + ": re-run kolibri db import to rebuild it");
            }
            FileChannel kc = open(dir, KEYS, channels);
            FileChannel gc = open(dir, GROUPS, channels);
            FileChannel rc = open(dir, RECORDS, channels);
            if (kc.size() < HEADER || kc.size() > Integer.MAX_VALUE) throw corrupt(dir, KEYS + " has a bad size");
            if (gc.size() > Integer.MAX_VALUE) throw corrupt(dir, GROUPS + " is larger than 2 GiB");
            MappedByteBuffer keys = kc.map(FileChannel.MapMode.READ_ONLY, 0, kc.size());
            byte[] magic = new byte[MAGIC.length];
            keys.get(0, magic);
            if (!Arrays.equals(magic, MAGIC)) throw corrupt(dir, KEYS + " does not start with the index magic");
            int count = keys.getInt(MAGIC.length);
            if (count < 0 || (long) HEADER + (long) count * ENTRY > kc.size()) throw corrupt(dir, KEYS + " is truncated");
            ByteBuffer groups = gc.map(FileChannel.MapMode.READ_ONLY, 0, gc.size());
            MappedByteBuffer records = rc.size() <= Integer.MAX_VALUE ? rc.map(FileChannel.MapMode.READ_ONLY, 0, rc.size()) : null;
            return new DbIndex(dir, List.copyOf(channels), keys, groups, records, rc, count);
        } catch (IOException e) {
            channels.forEach(DbIndex::closeQuietly);
            throw new VulnException("cannot open vulnerability index " + dir + ": " + e.getMessage() + " (re-run kolibri db import to rebuild it)", e);
        } catch (RuntimeException e) {
            channels.forEach(DbIndex::closeQuietly);
            throw e;
        }
    }

    private static FileChannel open(Path dir, String file, List<FileChannel> channels) throws IOException {
        if (!Files.isRegularFile(dir.resolve(file))) throw corrupt(dir, file + " is missing");
        FileChannel c = FileChannel.open(dir.resolve(file), StandardOpenOption.READ);
        channels.add(c);
        return c;
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    /** The group of a lookup key: its offset in groups.bin, or -1 when the index has no such key. */
    private int find(String ecosystemKey, String name) {
        byte[] key = OsvDb.lookupKey(ecosystemKey, name).getBytes(StandardCharsets.UTF_8);
        int lo = 0, hi = count - 1;
        int blobBase = HEADER + count * ENTRY;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int e = HEADER + mid * ENTRY;
            int c = compareKey(blobBase + keys.getInt(e), keys.getInt(e + 4), key);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return -1;
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

    /** A key's group, bounds-checked. */
    private Group group(int index, String name) {
        int e = HEADER + index * ENTRY;
        long offset = keys.getLong(e + 8);
        int length = keys.getInt(e + 16);
        if (offset < 0 || length < GROUP_HEADER || offset + length > groups.limit()) throw corrupt(dir, GROUPS + " is truncated");
        ByteBuffer g = groups.slice((int) offset, length).order(ByteOrder.BIG_ENDIAN);
        int sorted = g.getInt(0), always = g.getInt(4), other = g.getInt(8);
        if (sorted < 0 || always < 0 || other < 0 || GROUP_HEADER + ((long) sorted + always + other) * ROW > length) {
            throw corrupt(dir, GROUPS + " has a group with bad counts");
        }
        return new Group(g, sorted, always, other, name);
    }

    /** One key's rows; see the class comment. */
    private final class Group {
        final ByteBuffer b;
        final int sorted, always, other;
        final String name;

        Group(ByteBuffer b, int sorted, int always, int other, String name) {
            this.b = b;
            this.sorted = sorted;
            this.always = always;
            this.other = other;
            this.name = name;
        }

        int rows() {
            return sorted + always + other;
        }

        long recordOffset(int row) {
            return b.getLong(GROUP_HEADER + row * ROW);
        }

        /** The fix version of a sorted row (first string of its blob). */
        String fix(int row) {
            return reader(blob(row)).str();
        }

        ByteBuffer blob(int row) {
            int r = GROUP_HEADER + row * ROW;
            int off = b.getInt(r + 12), len = b.getInt(r + 16);
            if (off < 0 || len < 0 || (long) off + len > b.limit()) throw corrupt(dir, GROUPS + " has a row outside its group");
            return b.slice(off, len);
        }

        /** The row's record with this key's entries. */
        OsvRecord record(int row, String ecosystemKey) {
            int r = GROUP_HEADER + row * ROW;
            Reader header = reader(recordBytes(b.getLong(r), b.getInt(r + 8)));
            Reader entries = reader(blob(row));
            try {
                String id = header.str();
                List<String> aliases = header.strs();
                String withdrawn = header.str();
                String summary = header.str();
                int ns = header.count();
                List<OsvRecord.SeverityEntry> sev = new ArrayList<>(ns);
                for (int i = 0; i < ns; i++) sev.add(new OsvRecord.SeverityEntry(header.str(), header.str()));
                String dbSeverity = header.str();
                entries.str(); // the fix version
                int na = entries.count();
                List<OsvRecord.Affected> affected = new ArrayList<>(na);
                for (int i = 0; i < na; i++) {
                    String eco = entries.str(), severity = entries.str();
                    int nr = entries.count();
                    List<OsvRecord.Range> ranges = new ArrayList<>(nr);
                    for (int j = 0; j < nr; j++) {
                        String type = entries.str();
                        int ne = entries.count();
                        List<OsvRecord.Event> events = new ArrayList<>(ne);
                        for (int k = 0; k < ne; k++) {
                            int kind = entries.num();
                            if (kind >= OsvRecord.EventKind.values().length) throw corrupt(dir, GROUPS + " holds an unknown event kind");
                            events.add(new OsvRecord.Event(OsvRecord.EventKind.values()[kind], entries.str()));
                        }
                        ranges.add(new OsvRecord.Range(type, events));
                    }
                    affected.add(new OsvRecord.Affected(eco == null ? ecosystemKey : eco, name, null, ranges, entries.strs(), severity));
                }
                return new OsvRecord(id, null, null, withdrawn, aliases, List.of(), summary, null, sev, affected, dbSeverity);
            } catch (VulnException e) {
                throw e;
            } catch (RuntimeException e) {
                throw corrupt(dir, "an undecodable record: " + e);
            }
        }
    }

    private ByteBuffer recordBytes(long offset, int length) {
        try {
            if (offset < 0 || length < 0 || offset + length > recordsChannel.size()) throw corrupt(dir, RECORDS + " is truncated");
            if (records != null) return records.slice((int) offset, length);
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining()) {
                if (recordsChannel.read(buf, offset + buf.position()) < 0) throw corrupt(dir, RECORDS + " is truncated");
            }
            return buf.flip();
        } catch (IOException e) {
            throw new VulnException("cannot read vulnerability index " + dir + ": " + e.getMessage(), e);
        }
    }

    private Reader reader(ByteBuffer b) {
        return new Reader(b, dir);
    }

    private String ecosystemKey(String ecosystem) {
        EcoKey k = lastEco;
        if (!k.ecosystem.equals(ecosystem)) {
            k = new EcoKey(ecosystem, Ecosystems.key(ecosystem));
            lastEco = k;
        }
        return k.key;
    }

    @Override
    public List<OsvRecord> forPackage(String ecosystem, String name) {
        String eco = ecosystemKey(ecosystem);
        int index = find(eco, name);
        if (index < 0) return List.of();
        Group g = group(index, name);
        Integer[] rows = new Integer[g.rows()];
        for (int i = 0; i < rows.length; i++) rows[i] = i;
        Arrays.sort(rows, Comparator.comparingLong(g::recordOffset));
        List<OsvRecord> out = new ArrayList<>(rows.length);
        for (int row : rows) out.add(g.record(row, eco));
        return out;
    }

    /**
     * The records affecting {@code version}: one binary search in the sorted run, the always run, and the other run
     * evaluated one by one; only matching records are decoded. When the installed version cannot be compared (the
     * scheme throws), every row is evaluated one by one as for raw OSV, which skips what cannot be ordered.
     */
    @Override
    public List<Hit> affecting(Ecosystems.OsEcosystem os, String name, String version) {
        String eco = ecosystemKey(os.key());
        int index = find(eco, name);
        if (index < 0) return List.of();
        Group g = group(index, name);
        VersionScheme scheme = os.scheme();
        int first;
        try {
            first = eco.equals(os.key()) ? firstAbove(g, version, scheme) : -1;
        } catch (RuntimeException e) {
            if (e instanceof VulnException v) throw v;
            first = -1;
        }
        List<long[]> picked = new ArrayList<>(); // {record offset, row, 1 when the row surely matches}
        if (first >= 0) {
            for (int row = first; row < g.sorted + g.always; row++) picked.add(new long[] {g.recordOffset(row), row, 1});
            for (int row = g.sorted + g.always; row < g.rows(); row++) picked.add(new long[] {g.recordOffset(row), row, 0});
        } else {
            for (int row = 0; row < g.rows(); row++) picked.add(new long[] {g.recordOffset(row), row, 0});
        }
        picked.sort(Comparator.comparingLong(p -> p[0]));
        List<Hit> out = new ArrayList<>();
        for (long[] p : picked) {
            int row = (int) p[1];
            OsvRecord r = g.record(row, eco);
            if (p[2] == 1) {
                out.add(new Hit(r, r.affected().getFirst(), row < g.sorted ? g.fix(row) : null));
            } else {
                Hit h = VulnDb.evaluate(r, name, os, version);
                if (h != null) out.add(h);
            }
        }
        return out;
    }

    /** The first sorted row whose fix is above {@code version} (every row from there on affects it). */
    private static int firstAbove(Group g, String version, VersionScheme scheme) {
        int lo = 0, hi = g.sorted;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (scheme.compare(version, g.fix(mid)) < 0) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    static VulnException corrupt(Path dir, String why) {
        return new VulnException("vulnerability index " + dir + " is corrupt (" + why + "): rebuild it with kolibri db import");
    }

    private static final class Reader {
        private final ByteBuffer b;
        private final Path dir;

        Reader(ByteBuffer b, Path dir) {
            this.b = b;
            this.dir = dir;
        }

        int num() {
            int n = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (!b.hasRemaining()) throw corrupt(dir, "a value runs past its end");
                byte x = b.get();
                n |= (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    if (n < 0) throw corrupt(dir, "a negative length");
                    return n;
                }
            }
            throw corrupt(dir, "an overlong number");
        }

        /** A count of items that take at least one byte each. */
        int count() {
            int n = num();
            if (n > b.remaining()) throw corrupt(dir, "a list runs past its end");
            return n;
        }

        String str() {
            int n = num();
            if (n == 0) return null;
            if (n - 1 > b.remaining()) throw corrupt(dir, "a string runs past its end");
            byte[] bytes = new byte[n - 1];
            b.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        List<String> strs() {
            int n = count();
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
        channels.forEach(DbIndex::closeQuietly);
    }
}
