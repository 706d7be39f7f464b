package dev.kolibri.pkg;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A dependency expression. Debian's {@code a | b (>= 2)} is an {@link AnyOf} of {@link Atom}s; RPM rich
 * dependencies ({@code (a and b)}, {@code (a or b)}, {@code (a if b else c)}) use the other forms.
 */
public sealed interface Requirement {

    /** A single capability. */
    record Atom(Constraint constraint) implements Requirement {
        @Override public String toString() { return constraint.toString(); }
    }

    /** Satisfied when any one of the alternatives is (Debian {@code |}, RPM {@code or}). Order is preference order. */
    record AnyOf(List<Requirement> alternatives) implements Requirement {
        public AnyOf { alternatives = List.copyOf(alternatives); }
        @Override public String toString() {
            return alternatives.stream().map(Object::toString).collect(Collectors.joining(" | "));
        }
    }

    /** Satisfied when all are (RPM {@code and}). */
    record AllOf(List<Requirement> all) implements Requirement {
        public AllOf { all = List.copyOf(all); }
        @Override public String toString() {
            return all.stream().map(Object::toString).collect(Collectors.joining(" and ", "(", ")"));
        }
    }

    /**
     * RPM {@code (then if cond else otherwise)}: when {@code cond} is installed, {@code then} is required, else
     * {@code otherwise} (null: nothing). {@code (a unless b)} is {@code IfThen(b, nothing, a)} spelled with
     * {@code then == null}.
     */
    record IfThen(Requirement cond, Requirement then, Requirement otherwise) implements Requirement {
        @Override public String toString() {
            return "(" + then + " if " + cond + (otherwise == null ? "" : " else " + otherwise) + ")";
        }
    }

    static Requirement of(Constraint c) {
        return new Atom(c);
    }

    static Requirement of(String name) {
        return new Atom(Constraint.any(name));
    }
}
