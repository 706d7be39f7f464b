package dev.kolibri.pkg.rpm;

import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Op;
import dev.kolibri.pkg.Requirement;
import dev.kolibri.pkg.Requirement.AllOf;
import dev.kolibri.pkg.Requirement.AnyOf;
import dev.kolibri.pkg.Requirement.Atom;
import dev.kolibri.pkg.Requirement.IfThen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpmDepsTest {
    static Atom a(String n) {
        return new Atom(Constraint.any(n));
    }

    static Atom a(String n, Op op, String v) {
        return new Atom(new Constraint(n, op, v));
    }

    @Test
    void simple_withAndWithoutVersion() {
        assertThat(RpmDeps.parse("foo")).isEqualTo(a("foo"));
        assertThat(RpmDeps.parse(" foo >= 1:2.0-3 ")).isEqualTo(a("foo", Op.GE, "1:2.0-3"));
        assertThat(RpmDeps.parse("perl(Foo::Bar) = 1.0")).isEqualTo(a("perl(Foo::Bar)", Op.EQ, "1.0"));
        assertThat(RpmDeps.parse("/usr/bin/sh")).isEqualTo(a("/usr/bin/sh"));
    }

    @ParameterizedTest
    @CsvSource({"=,EQ", "==,EQ", "<,LT", "<=,LE", "=<,LE", ">,GT", ">=,GE", "=>,GE", "EQ,EQ", "LT,LT", "LE,LE", "GT,GT", "GE,GE"})
    void operators_areStrict(String spelled, Op op) {
        assertThat(RpmDeps.op(spelled)).isEqualTo(op);
        if (!Character.isLetter(spelled.charAt(0))) assertThat(RpmDeps.parse("x " + spelled + " 1")).isEqualTo(a("x", op, "1"));
    }

    @Test
    void andOr_chain() {
        assertThat(RpmDeps.parse("(a and b and c >= 2)")).isEqualTo(new AllOf(List.of(a("a"), a("b"), a("c", Op.GE, "2"))));
        assertThat(RpmDeps.parse("(foo >= 1.0 or bar)")).isEqualTo(new AnyOf(List.of(a("foo", Op.GE, "1.0"), a("bar"))));
    }

    @Test
    void ifUnlessElse() {
        assertThat(RpmDeps.parse("(a if b)")).isEqualTo(new IfThen(a("b"), a("a"), null));
        assertThat(RpmDeps.parse("(a if b else c)")).isEqualTo(new IfThen(a("b"), a("a"), a("c")));
        assertThat(RpmDeps.parse("(a unless b)")).isEqualTo(new IfThen(a("b"), null, a("a")));
        assertThat(RpmDeps.parse("(a unless b else c)")).isEqualTo(new IfThen(a("b"), a("c"), a("a")));
    }

    @Test
    void withWithout_approximated() {
        assertThat(RpmDeps.parse("(a with b)")).isEqualTo(new AllOf(List.of(a("a"), a("b"))));
        assertThat(RpmDeps.parse("(a without b)")).isEqualTo(a("a"));
    }

    @Test
    void nested_andNamesWithParentheses() {
        Requirement r = RpmDeps.parse("((pkgconfig(glib-2.0) >= 2.0 or b) and (c if (d or e) else f))");
        assertThat(r).isEqualTo(new AllOf(List.of(
                new AnyOf(List.of(a("pkgconfig(glib-2.0)", Op.GE, "2.0"), a("b"))),
                new IfThen(new AnyOf(List.of(a("d"), a("e"))), a("c"), a("f")))));
        assertThat(RpmDeps.parse("(font(:lang=en))")).isEqualTo(a("font(:lang=en)"));
        assertThat(RpmDeps.parse("(a>=1)")).isEqualTo(a("a>=1"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "(a and b or c)|cannot be mixed",
            "(a if b if c)|one condition",
            "(a else b)|'else' without",
            "(a and b|never closed",
            "(a and )|missing before ')'",
            "(and b)|missing before 'and'",
            "(a xor b)|not an operator",
            "(a without b without c)|cannot be chained",
            "(a >= )|version missing",
            "(a) b|unexpected text",
            "a >> 1|unknown version relation",
            "()|missing before ')'",
            "a >=|version missing",
    })
    void malformed_clearError(String dep, String why) {
        assertThatThrownBy(() -> RpmDeps.parse(dep))
                .isInstanceOf(RpmMetadataException.class)
                .hasMessageContaining("malformed RPM dependency '" + dep.strip() + "'")
                .hasMessageContaining(why);
    }

    @Test
    void evr_dropsZeroEpoch() {
        assertThat(RpmDeps.evr("0", "1.0", "1")).isEqualTo("1.0-1");
        assertThat(RpmDeps.evr("2", "1.0~rc1", "1")).isEqualTo("2:1.0~rc1-1");
        assertThat(RpmDeps.evr(null, "1.0", null)).isEqualTo("1.0");
        assertThatThrownBy(() -> RpmDeps.evr("1", "", "1")).isInstanceOf(RpmMetadataException.class);
    }
}
