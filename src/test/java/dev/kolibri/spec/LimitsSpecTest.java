package dev.kolibri.spec;

import dev.kolibri.fs.Limits;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code limits:}: sizes with units, the defaults, refusals with {@code file:line}, and no effect on the digest. */
class LimitsSpecTest {
    static final Path FILE = Path.of("images/big.yaml");
    static final String HEAD = """
            name: big
            repositories: [{type: deb, url: system, suite: bookworm}]
            packages: [bash]
            """;

    @Test
    void limits_areReadWithUnits_andDefaultWhereAbsent() {
        ImageSpec s = SpecLoader.parse(HEAD + "limits: {file: 512MiB, package: 3 GiB, image: 1.5GiB, ratio: 50}\n", FILE);
        assertThat(s.limits()).isEqualTo(new Limits(512L << 20, 3L << 30, 3L << 29, 50));
        assertThat(SpecLoader.parse(HEAD + "limits: {file: 1048576}\n", FILE).limits())
                .isEqualTo(Limits.DEFAULT.withFile(1 << 20));
        assertThat(SpecLoader.parse(HEAD, FILE).limits()).isEqualTo(Limits.DEFAULT)
                .isEqualTo(new Limits(2L << 30, 4L << 30, 16L << 30, 1000));
    }

    @Test
    void limits_changeNoDigest_andVariantsKeepThem() {
        ImageSpec plain = SpecLoader.parse(HEAD + "variants: {b: {add: [dash]}}\n", FILE);
        ImageSpec limited = SpecLoader.parse(HEAD + "variants: {b: {add: [dash]}}\nlimits: {image: 1GiB}\n", FILE);
        assertThat(limited.digest()).isEqualTo(plain.digest());
        assertThat(limited.withVariant("b").limits().image()).isEqualTo(1L << 30);
    }

    @Test
    void badLimits_areRefusedWithFileLine() {
        assertThatThrownBy(() -> SpecLoader.parse(HEAD + "limits: {file: 2 gigabytes}\n", FILE))
                .isInstanceOf(SpecException.class)
                .hasMessage("images/big.yaml:4: `limits.file` must be a size in bytes or with a unit (KiB, MiB, GiB, "
                        + "TiB), such as `512MiB`, not `2 gigabytes`");
        assertThatThrownBy(() -> SpecLoader.parse(HEAD + "limits: {ratio: 0}\n", FILE))
                .hasMessage("images/big.yaml:4: `limits.ratio` must be at least 1, not 0");
        assertThatThrownBy(() -> SpecLoader.parse(HEAD + "limits: {image: 0}\n", FILE))
                .hasMessage("images/big.yaml:4: `limits.image` must be more than 0");
        assertThatThrownBy(() -> SpecLoader.parse(HEAD + "limits: {files: 1MiB}\n", FILE))
                .hasMessageStartingWith("images/big.yaml:4: unknown key `files` in `limits` (did you mean `file`?)");
    }
}
