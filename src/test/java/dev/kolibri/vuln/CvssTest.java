package dev.kolibri.vuln;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CvssTest {

    /** Published NVD base scores. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "CVE-2021-44228, CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H, 10.0, CRITICAL",
            "CVE-2014-6271,  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8, CRITICAL",
            "CVE-2024-5535,  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H, 9.1, CRITICAL",
            "CVE-2014-0160,  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N, 7.5, HIGH",
            "CVE-2022-0778,  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H, 7.5, HIGH",
            "CVE-2021-3156,  CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H, 7.8, HIGH",
            "CVE-2023-0286,  CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H, 7.4, HIGH",
            "CVE-2022-22965, CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8, CRITICAL",
            "CVE-2016-5195,  CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H, 7.8, HIGH",
            "CVE-2023-4863,  CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H, 8.8, HIGH",
            "CVE-2018-0732,  CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H, 7.5, HIGH",
            "XSS-like,       CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N, 6.1, MEDIUM",
            "CVE-2023-5678,  CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L, 5.3, MEDIUM",
            "low,            CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N, 3.1, LOW",
            "physical,       CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N, 1.6, LOW",
            "no impact,      CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N, 0.0, NONE",
            "scope changed high PR, CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H, 9.1, CRITICAL",
    })
    void v3_matchesPublishedScores(String cve, String vector, double score, Severity severity) {
        Cvss.Score s = Cvss.score(vector);
        assertThat(s.score()).as(cve).isEqualTo(score);
        assertThat(s.severity()).isEqualTo(severity);
        assertThat(s.version()).isEqualTo(vector.substring(5, 8));
    }

    @Test
    void v3_temporalAndEnvironmentalMetricsDoNotChangeTheBaseScore() {
        assertThat(Cvss.score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C/CR:L").score()).isEqualTo(9.8);
    }

    @Test
    void roundup_v31IsRobustToFloatingPointNoise() {
        assertThat(Cvss.roundup31(4.000000000000001)).isEqualTo(4.0);
        assertThat(Cvss.roundup30(4.000000000000001)).isEqualTo(4.1);
        assertThat(Cvss.roundup31(4.02)).isEqualTo(4.1);
        assertThat(Cvss.roundup31(4.0)).isEqualTo(4.0);
    }

    @Test
    void v4_isValidatedButNotScored() {
        Cvss.Score s = Cvss.score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
        assertThat(s.version()).isEqualTo("4.0");
        assertThat(s.score()).isNull();
        assertThat(s.severity()).isEqualTo(Severity.UNKNOWN);
        assertThatThrownBy(() -> Cvss.score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"))
                .hasMessageContaining("base metric SA is missing");
    }

    @Test
    void badVectors_areNamedWithTheProblem() {
        assertThatThrownBy(() -> Cvss.score("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
                .isInstanceOf(VulnException.class).hasMessageContaining("expected a CVSS:3.0, CVSS:3.1 or CVSS:4.0 prefix");
        assertThatThrownBy(() -> Cvss.score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"))
                .hasMessage("invalid CVSS vector 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H': base metric A is missing");
        assertThatThrownBy(() -> Cvss.score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).hasMessageContaining("metric AV has invalid value 'X'");
        assertThatThrownBy(() -> Cvss.score("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> Cvss.score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1")).hasMessageContaining("unknown metric ZZ");
        assertThatThrownBy(() -> Cvss.score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/")).hasMessageContaining("is not METRIC:VALUE");
    }

    @Test
    void severityBands() {
        assertThat(Severity.ofScore(0.0)).isEqualTo(Severity.NONE);
        assertThat(Severity.ofScore(0.1)).isEqualTo(Severity.LOW);
        assertThat(Severity.ofScore(3.9)).isEqualTo(Severity.LOW);
        assertThat(Severity.ofScore(4.0)).isEqualTo(Severity.MEDIUM);
        assertThat(Severity.ofScore(6.9)).isEqualTo(Severity.MEDIUM);
        assertThat(Severity.ofScore(7.0)).isEqualTo(Severity.HIGH);
        assertThat(Severity.ofScore(8.9)).isEqualTo(Severity.HIGH);
        assertThat(Severity.ofScore(9.0)).isEqualTo(Severity.CRITICAL);
        assertThat(Severity.ofLabel("Important")).isEqualTo(Severity.HIGH);
        assertThat(Severity.ofLabel("Moderate")).isEqualTo(Severity.MEDIUM);
        assertThat(Severity.ofLabel("unimportant")).isEqualTo(Severity.LOW);
        assertThat(Severity.ofLabel("not yet assigned")).isEqualTo(Severity.UNKNOWN);
        assertThatThrownBy(() -> Severity.parseLevel("severe")).hasMessageContaining("use low, medium, high or critical");
    }
}
