package dev.kolibri.finalize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A colon-separated account database ({@code passwd}: 7 fields, {@code group}: 4 fields), kept line by line so that
 * lines are never reordered or rewritten: new accounts are appended.
 */
final class AccountFile {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]*\\$?");

    /** One account line: {@code fields.get(0)} is the name, {@code fields.get(idIndex)} the numeric id. */
    record Line(List<String> fields) {
        String name() {
            return fields.get(0);
        }
    }

    private final String file;
    private final int fieldCount;
    private final int idIndex;
    private final List<Line> lines = new ArrayList<>();

    private AccountFile(String file, int fieldCount, int idIndex) {
        this.file = file;
        this.fieldCount = fieldCount;
        this.idIndex = idIndex;
    }

    static AccountFile passwd() {
        return new AccountFile("etc/passwd", 7, 2);
    }

    static AccountFile group() {
        return new AccountFile("etc/group", 4, 2);
    }

    /**
     * Parses {@code text}; every line must have the right number of fields, a valid name and a numeric id, and no
     * name may appear twice. Duplicate ids are legal (an alias account) and returned as warnings.
     */
    static AccountFile parse(AccountFile empty, byte[] text, String step, List<String> warnings) throws FinalizeException {
        String s = new String(text, StandardCharsets.UTF_8);
        String[] raw = s.split("\n", -1);
        int n = raw.length;
        if (n > 0 && raw[n - 1].isEmpty()) n--;
        for (int i = 0; i < n; i++) {
            String where = "/" + empty.file + " line " + (i + 1);
            List<String> f = List.of(raw[i].split(":", -1));
            if (f.size() != empty.fieldCount) {
                throw new FinalizeException(step, where + " has " + f.size() + " fields, not " + empty.fieldCount + ": '" + raw[i] + "'");
            }
            empty.add(new Line(f), step, where, warnings);
        }
        return empty;
    }

    void add(Line line, String step, String where, List<String> warnings) throws FinalizeException {
        String name = line.name();
        if (!NAME.matcher(name).matches() || name.chars().allMatch(Character::isDigit)) {
            throw new FinalizeException(step, where + ": '" + name + "' is not a valid account name");
        }
        long id = id(line, step, where);
        if (byName(name).isPresent()) throw new FinalizeException(step, where + ": account '" + name + "' is defined twice");
        Optional<Line> same = byId(id);
        if (same.isPresent()) warnings.add(where + ": '" + name + "' shares id " + id + " with '" + same.get().name() + "'");
        lines.add(line);
    }

    private long id(Line line, String step, String where) throws FinalizeException {
        String v = line.fields().get(idIndex);
        try {
            long id = Long.parseLong(v);
            if (id < 0 || id > 0xFFFFFFFEL || !v.equals(Long.toString(id))) throw new NumberFormatException();
            if (file.endsWith("passwd")) {
                String gid = line.fields().get(3);
                long g = Long.parseLong(gid);
                if (g < 0 || g > 0xFFFFFFFEL || !gid.equals(Long.toString(g))) throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new FinalizeException(step, where + ": '" + line.name() + "' has a non-numeric or out-of-range id");
        }
    }

    long id(Line line) {
        return Long.parseLong(line.fields().get(idIndex));
    }

    Optional<Line> byName(String name) {
        return lines.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    Optional<Line> byId(long id) {
        return lines.stream().filter(l -> id(l) == id).findFirst();
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    String file() {
        return file;
    }

    byte[] bytes() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) sb.append(String.join(":", l.fields())).append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
