package dev.kolibri.pkg.rpm;

import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Op;
import dev.kolibri.pkg.Requirement;

import java.util.ArrayList;
import java.util.List;

/**
 * RPM dependencies as {@link Requirement}s: simple ones ({@code foo}, {@code foo >= 1.0}) and rich (boolean) ones
 * as rpm 4.14 parses them ({@code rpmrichParse}):
 * <ul>
 *   <li>{@code (a and b and ...)} is {@link Requirement.AllOf}; {@code (a or b or ...)} is {@link Requirement.AnyOf};</li>
 *   <li>{@code (a if b)} is {@code IfThen(b, a, null)}, {@code (a if b else c)} is {@code IfThen(b, a, c)};</li>
 *   <li>{@code (a unless b)} is {@code IfThen(b, null, a)}, {@code (a unless b else c)} is {@code IfThen(b, c, a)};</li>
 *   <li>{@code (a with b)} means one package that meets both; it is approximated as {@code AllOf(a, b)} (possibly
 *       met by two packages);</li>
 *   <li>{@code (a without b)} means one package that meets {@code a} but not {@code b}; it is approximated as
 *       {@code a} alone (the solver may pick a package that also meets {@code b}).</li>
 * </ul>
 * As in rpm, different operators cannot be chained without parentheses ({@code (a and b or c)} is an error), only
 * {@code and}, {@code or} and {@code with} chain, and {@code else} only follows {@code if}/{@code unless}. Names
 * may hold balanced parentheses ({@code perl(Foo::Bar)}). Versions use rpm's operators: {@code = < <= > >=}
 * (strict {@code <} and {@code >}, unlike Debian's obsolete spellings).
 */
public final class RpmDeps {
    private RpmDeps() {}

    /** Parses a dependency as written in a spec or in primary.xml's {@code name} attribute with its version. */
    public static Requirement parse(String dep) {
        String s = dep == null ? "" : dep.strip();
        if (s.isEmpty()) throw new RpmMetadataException("empty RPM dependency");
        Parser p = new Parser(s);
        Requirement r = s.charAt(0) == '(' ? p.rich() : p.simple();
        p.skipWhite();
        if (p.pos < s.length()) throw p.error("unexpected text '" + s.substring(p.pos) + "' after the dependency");
        return r;
    }

    /** Whether {@code name} is a rich dependency (starts with {@code (}). */
    public static boolean isRich(String name) {
        return name.startsWith("(");
    }

    /**
     * rpm's relation spelling ({@code = < <= > >=}, also {@code ==}, {@code =<}, {@code =>}) or primary.xml's
     * flags ({@code EQ LT LE GT GE}); null or empty is {@link Op#ANY}.
     */
    public static Op op(String s) {
        if (s == null) return Op.ANY;
        return switch (s.strip()) {
            case "" -> Op.ANY;
            case "=", "==", "EQ" -> Op.EQ;
            case "<", "LT" -> Op.LT;
            case "<=", "=<", "LE" -> Op.LE;
            case ">", "GT" -> Op.GT;
            case ">=", "=>", "GE" -> Op.GE;
            default -> throw new RpmMetadataException("unknown RPM version relation '" + s + "' (expected = < <= > >= or EQ LT LE GT GE)");
        };
    }

    /** {@code [epoch:]version[-release]} with the epoch dropped when it is absent or 0. */
    public static String evr(String epoch, String version, String release) {
        if (version == null || version.isEmpty()) throw new RpmMetadataException("RPM version missing (epoch " + epoch + ", release " + release + ")");
        StringBuilder b = new StringBuilder();
        if (epoch != null && !epoch.isEmpty() && !epoch.equals("0")) b.append(epoch).append(':');
        b.append(version);
        if (release != null && !release.isEmpty()) b.append('-').append(release);
        return b.toString();
    }

    private enum Kind { AND, OR, IF, ELSE, UNLESS, WITH, WITHOUT }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        RpmMetadataException error(String why) {
            return new RpmMetadataException("malformed RPM dependency '" + s + "' at offset " + pos + ": " + why);
        }

        void skipWhite() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        /** A token that ends at white space or at a ')' that closes nothing opened inside it. */
        String word() {
            int start = pos;
            int depth = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (Character.isWhitespace(c)) break;
                if (c == '(') depth++;
                if (c == ')') {
                    if (depth == 0) break;
                    depth--;
                }
                pos++;
            }
            return s.substring(start, pos);
        }

        /** {@code name [op evr]} up to the end or a closing parenthesis. */
        Requirement simple() {
            skipWhite();
            String name = word();
            if (name.isEmpty()) throw error("a package name is missing");
            if (name.startsWith("(")) throw error("'(' inside a name");
            int save = pos;
            skipWhite();
            int opStart = pos;
            String maybeOp = word();
            if (isRelation(maybeOp)) {
                skipWhite();
                String evr = word();
                if (evr.isEmpty()) throw error("version missing after '" + maybeOp + "'");
                if (isRelation(evr) || keyword(evr) != null) throw error("version missing after '" + maybeOp + "'");
                return new Requirement.Atom(new Constraint(name, op(maybeOp), evr));
            }
            if (!maybeOp.isEmpty() && maybeOp.chars().allMatch(c -> "<>=!".indexOf(c) >= 0)) {
                pos = opStart;
                throw error("unknown version relation '" + maybeOp + "'");
            }
            pos = save;
            return new Requirement.Atom(Constraint.any(name));
        }

        static boolean isRelation(String w) {
            return switch (w) {
                case "=", "==", "<", "<=", "=<", ">", ">=", "=>" -> true;
                default -> false;
            };
        }

        static Kind keyword(String w) {
            return switch (w) {
                case "and" -> Kind.AND;
                case "or" -> Kind.OR;
                case "if" -> Kind.IF;
                case "else" -> Kind.ELSE;
                case "unless" -> Kind.UNLESS;
                case "with" -> Kind.WITH;
                case "without" -> Kind.WITHOUT;
                default -> null;
            };
        }

        Requirement term() {
            skipWhite();
            if (pos >= s.length()) throw error("a dependency is missing before the end");
            if (s.charAt(pos) == '(') return rich();
            if (s.charAt(pos) == ')') throw error("a dependency is missing before ')'");
            int start = pos;
            String w = word();
            if (keyword(w) != null) {
                pos = start;
                throw error("a dependency is missing before '" + w + "'");
            }
            pos = start;
            return simple();
        }

        /** {@code ( term (op term)* )}. */
        Requirement rich() {
            skipWhite();
            if (pos >= s.length() || s.charAt(pos) != '(') throw error("'(' expected");
            int open = pos;
            pos++;
            List<Requirement> terms = new ArrayList<>();
            List<Kind> ops = new ArrayList<>();
            terms.add(term());
            while (true) {
                skipWhite();
                if (pos >= s.length()) {
                    pos = open;
                    throw error("the '(' here is never closed");
                }
                if (s.charAt(pos) == ')') {
                    pos++;
                    break;
                }
                int at = pos;
                String w = word();
                Kind k = keyword(w);
                if (k == null) {
                    pos = at;
                    throw error("'" + w + "' is not an operator (and, or, if, else, unless, with, without)");
                }
                ops.add(k);
                terms.add(term());
            }
            return combine(terms, ops);
        }

        Requirement combine(List<Requirement> terms, List<Kind> ops) {
            if (ops.isEmpty()) return terms.get(0);
            Kind first = ops.get(0);
            switch (first) {
                case AND, OR, WITH -> {
                    for (Kind k : ops) {
                        if (k != first) throw error("'" + name(first) + "' and '" + name(k) + "' cannot be mixed without parentheses");
                    }
                    return first == Kind.OR ? new Requirement.AnyOf(terms) : new Requirement.AllOf(terms);
                }
                case IF, UNLESS -> {
                    if (ops.size() > 2 || (ops.size() == 2 && ops.get(1) != Kind.ELSE)) {
                        throw error("'" + name(first) + "' takes one condition and an optional 'else' branch");
                    }
                    Requirement a = terms.get(0);
                    Requirement b = terms.get(1);
                    Requirement c = ops.size() == 2 ? terms.get(2) : null;
                    return first == Kind.IF ? new Requirement.IfThen(b, a, c) : new Requirement.IfThen(b, c, a);
                }
                case WITHOUT -> {
                    if (ops.size() > 1) throw error("'without' cannot be chained");
                    return terms.get(0);
                }
                case ELSE -> throw error("'else' without 'if' or 'unless'");
                default -> throw new IllegalStateException(first.toString());
            }
        }

        static String name(Kind k) {
            return k.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
