package dev.kolibri.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A variant that makes no sense for an image is declared absent, with the reason, and refused by name. */
class AbsentVariantTest {
    static final String DEF = """
            name: openjdk
            repositories:
              - {type: deb, url: system, suite: trixie}
            packages: [openjdk-21-jre-headless]
            variants:
              builder: {add: [openjdk-21-jdk-headless], user: 0, allow-shell: true}
              fips: {absent: "Debian's OpenJDK has its own providers and no FIPS mode"}
            """;

    @Test
    void absentVariant_isRefusedWithItsReason_andTheVariantsThatExist(@TempDir Path dir) throws Exception {
        Path def = dir.resolve("openjdk.yaml");
        Files.writeString(def, DEF);
        ImageSpec spec = SpecLoader.load(def);
        assertThat(spec.variantNames()).containsExactly("builder");
        assertThat(spec.withVariant("builder").variant()).isEqualTo("builder");
        assertThatThrownBy(() -> spec.withVariant("fips")).isInstanceOf(SpecException.class)
                .hasMessage(def + ":7: variant `fips` of openjdk is declared absent: Debian's OpenJDK has its own "
                        + "providers and no FIPS mode (known: builder)");
        assertThatThrownBy(() -> spec.withVariant("slim")).hasMessageContaining("unknown variant `slim` (known: builder)");

        // the CLI: exit 1, one error line with the reason and the variants that exist, then the hint
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = dev.kolibri.cli.Main.run(new String[] {"build", def.toString(), "--variant", "fips", "-o",
                dir.resolve("out").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as(err.toString()).isEqualTo(1);
        var lines = err.toString().strip().lines().toList();
        assertThat(lines.get(0)).startsWith("error: ").contains("variant `fips` of openjdk is declared absent")
                .contains("(known: builder)");
        assertThat(lines.get(lines.size() - 1)).startsWith("hint: ");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void absentVariant_takesNoOtherKeys(@TempDir Path dir) throws Exception {
        Path def = dir.resolve("x.yaml");
        Files.writeString(def, DEF.replace("fips: {absent:", "fips: {add: [x], absent:"));
        assertThatThrownBy(() -> SpecLoader.load(def)).isInstanceOf(SpecException.class)
                .hasMessage(def + ":7: variant `fips` is declared absent, so it takes no other keys (it has add)");
    }
}
