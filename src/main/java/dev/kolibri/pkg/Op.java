package dev.kolibri.pkg;

/** A version relation in a dependency: {@code foo (>= 1.2)}, {@code foo >= 1.2}. */
public enum Op {
    ANY(""), EQ("="), LT("<<"), LE("<="), GT(">>"), GE(">=");

    private final String debian;

    Op(String debian) {
        this.debian = debian;
    }

    /** True when a comparison result {@code cmp = compare(candidate, wanted)} satisfies this relation. */
    public boolean accepts(int cmp) {
        return switch (this) {
            case ANY -> true;
            case EQ -> cmp == 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
        };
    }

    /** The Debian spelling ({@code <<, <=, =, >=, >>}). */
    public String debian() {
        return debian;
    }

    /** Parses Debian ({@code << <= = >= >>}, and the obsolete {@code < >} as LE/GE) or RPM ({@code < <= = >= > EQ LT ...}) spellings. */
    public static Op parse(String s) {
        return switch (s.trim()) {
            case "" -> ANY;
            case "=", "==", "EQ" -> EQ;
            case "<<", "LT" -> LT;
            case "<=", "LE" -> LE;
            case ">>", "GT" -> GT;
            case ">=", "GE" -> GE;
            // dpkg: bare < and > are deprecated aliases for <= and >=
            case "<" -> LE;
            case ">" -> GE;
            default -> throw new IllegalArgumentException("unknown version relation '" + s + "'");
        };
    }
}
