package dev.kolibri.pkg.deb;

import dev.kolibri.pkg.Capability;
import dev.kolibri.pkg.Constraint;
import dev.kolibri.pkg.Op;
import dev.kolibri.pkg.Requirement;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DebRelationsTest {

    private static Requirement atom(String name, Op op, String v) {
        return new Requirement.Atom(new Constraint(name, op, v));
    }

    @Test
    void depends_versionsAndAlternatives() {
        List<Requirement> r = DebRelations.requirements(
                "libc6 (>= 2.34), debconf (>= 0.5) | debconf-2.0, zlib1g(<<1:2), a (= 1.0-1), b (<= 2), c (>> 3), d (< 4), e (> 5)", "amd64");
        assertThat(r).containsExactly(
                atom("libc6", Op.GE, "2.34"),
                new Requirement.AnyOf(List.of(atom("debconf", Op.GE, "0.5"), atom("debconf-2.0", Op.ANY, null))),
                atom("zlib1g", Op.LT, "1:2"),
                atom("a", Op.EQ, "1.0-1"),
                atom("b", Op.LE, "2"),
                atom("c", Op.GT, "3"),
                atom("d", Op.LE, "4"),
                atom("e", Op.GE, "5"));
    }

    @Test
    void depends_multilineAndTrailingComma() {
        assertThat(DebRelations.requirements("a,\n b ,\n", "amd64"))
                .containsExactly(atom("a", Op.ANY, null), atom("b", Op.ANY, null));
        assertThat(DebRelations.requirements(null, "amd64")).isEmpty();
        assertThat(DebRelations.requirements("  ", "amd64")).isEmpty();
    }

    @Test
    void archQualifiers() {
        List<Requirement> r = DebRelations.requirements(
                "python3:any (>= 3.11), perl:native, libc6:amd64, libx:arm64 | liby, libz:arm64", "amd64");
        assertThat(r).containsExactly(
                atom("python3:any", Op.GE, "3.11"),
                atom("perl", Op.ANY, null),
                atom("libc6", Op.ANY, null),
                atom("liby", Op.ANY, null),
                atom("libz:arm64", Op.ANY, null));
    }

    @Test
    void archRestrictionsAndProfiles() {
        List<Requirement> r = DebRelations.requirements(
                "a [amd64 arm64], b [!amd64], c [!amd64] | d, e [linux-any] <!nocheck>, f [any-arm64], g <!stage1> <cross>", "amd64");
        assertThat(r).containsExactly(
                atom("a", Op.ANY, null),
                atom("d", Op.ANY, null),
                atom("e", Op.ANY, null),
                atom("g", Op.ANY, null));
        assertThat(DebRelations.requirements("f [any-arm64]", "arm64")).containsExactly(atom("f", Op.ANY, null));
        assertThat(DebRelations.requirements("h [any-arm]", "armhf")).containsExactly(atom("h", Op.ANY, null));
    }

    @Test
    void conflicts_dropOtherArchsAndStripAny() {
        assertThat(DebRelations.constraints("a (<< 2), b:any, c:arm64, d:amd64 [amd64]", "amd64")).containsExactly(
                new Constraint("a", Op.LT, "2"), Constraint.any("b"), Constraint.any("d"));
        assertThatThrownBy(() -> DebRelations.constraints("a | b", "amd64"))
                .isInstanceOf(DebMetadataException.class).hasMessageContaining("alternatives");
    }

    @Test
    void provides_versionedAndPlain() {
        assertThat(DebRelations.capabilities("mail-transport-agent, libfoo-abi-2 (= 2.1-1)", "amd64"))
                .containsExactly(Capability.of("mail-transport-agent"), new Capability("libfoo-abi-2", "2.1-1"));
        assertThatThrownBy(() -> DebRelations.capabilities("x (>= 1)", "amd64")).hasMessageContaining("'=' version");
    }

    @Test
    void malformed_quotesTheRelation() {
        assertThatThrownBy(() -> DebRelations.requirements("libc6 (>= 2.34", "amd64"))
                .isInstanceOf(DebMetadataException.class)
                .hasMessageStartingWith("bad relation 'libc6 (>= 2.34'");
        assertThatThrownBy(() -> DebRelations.requirements("a | , b", "amd64")).hasMessageContaining("empty alternative");
        assertThatThrownBy(() -> DebRelations.requirements("a [amd64 !arm64]", "amd64")).hasMessageContaining("mixes");
        assertThatThrownBy(() -> DebRelations.requirements("a (~ 1)", "amd64")).hasMessageContaining("bad relation");
    }
}
