package dev.kolibri.catalog;

import dev.kolibri.build.DerivedLabels;
import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TagsTest {
    static ImageSpec spec(String version, boolean latest) {
        return SpecLoader.parse("""
                name: python
                version: "%s"
                repositories: [{type: deb, url: system, suite: trixie}]
                packages: [python3-minimal]
                main: python3-minimal
                latest: %s
                variants:
                  builder: {add: [bash], user: 0, allow-shell: true}
                  fpm: {add: [x]}
                """.formatted(version, latest), Path.of("images/python-" + version + ".yaml"));
    }

    @Test
    void upstreamVersion_isTheLeadingNumericPart() {
        assertThat(DerivedLabels.upstreamVersion("3.13.5-2")).contains("3.13.5");
        assertThat(DerivedLabels.upstreamVersion("21.0.8+9-1~deb13u1")).contains("21.0.8");
        assertThat(DerivedLabels.upstreamVersion("1:1.26.3-3+deb13u1")).contains("1.26.3");
        assertThat(DerivedLabels.upstreamVersion("20.19.2+dfsg-1")).contains("20.19.2");
        assertThat(DerivedLabels.upstreamVersion("17.6-0+deb13u1")).contains("17.6");
        assertThat(DerivedLabels.upstreamVersion("git20250101")).isEmpty();
    }

    @Test
    void tags_fullMinorMajorLatest_withTheFlavoursSuffix_andSharedMajorsLeftOut() {
        ImageSpec py313 = spec("3.13", true);
        ImageSpec py311 = spec("3.11", false);
        Map<ImageSpec, String> versions = new LinkedHashMap<>();
        versions.put(py313, "3.13.5-2");
        versions.put(py311, "3.11.2-6+deb12u6");
        Set<String> shared = Tags.sharedMajors(versions);
        assertThat(shared).containsExactly("3");
        assertThat(Tags.of(new Flavour(py313, null), "3.13.5-2", shared)).containsExactly("3.13", "3.13.5", "latest");
        assertThat(Tags.of(new Flavour(py313, "fpm-builder"), "3.13.5-2", shared))
                .containsExactly("3.13-fpm-builder", "3.13.5-fpm-builder", "latest-fpm-builder");
        assertThat(Tags.of(new Flavour(py311, "builder"), "3.11.2-6+deb12u6", shared))
                .containsExactly("3.11-builder", "3.11.2-builder");
        assertThat(Tags.of(new Flavour(py311, null), "3.11.2-6", Set.of())).containsExactly("3.11", "3.11.2", "3");
        ImageSpec jdk = spec("21", false);
        assertThat(Tags.of(new Flavour(jdk, null), "21.0.8+9-1", Set.of())).containsExactly("21", "21.0.8", "21.0");
    }

    @Test
    void aVersionThatIsNotAPrefixOfTheMainPackages_isRefused() {
        assertThatThrownBy(() -> Tags.of(new Flavour(spec("3.13", false), null), "3.12.1-1", Set.of()))
                .isInstanceOf(CatalogException.class)
                .hasMessage("images/python-3.13.yaml: `version: 3.13` but the main package python3-minimal is 3.12.1-1; "
                        + "make `version:` the stream of 3.12.1 (such as 3.12)");
        assertThatThrownBy(() -> Tags.of(new Flavour(spec("3.1", false), null), "3.13.5-2", Set.of()))
                .as("3.1 is not a prefix of 3.13 in version terms").isInstanceOf(CatalogException.class);
    }
}
