package dev.kolibri.pkg;

import java.util.Objects;

/**
 * One wanted capability: a name and, optionally, a version relation. {@code version} is null exactly when
 * {@code op} is {@link Op#ANY}.
 */
public record Constraint(String name, Op op, String version) {
    public Constraint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        if (name.isEmpty()) throw new IllegalArgumentException("empty dependency name");
        if ((op == Op.ANY) != (version == null)) {
            throw new IllegalArgumentException("constraint " + name + ": op " + op + " with version " + version);
        }
    }

    public static Constraint any(String name) {
        return new Constraint(name, Op.ANY, null);
    }

    @Override
    public String toString() {
        return op == Op.ANY ? name : name + " (" + op.debian() + " " + version + ")";
    }
}
