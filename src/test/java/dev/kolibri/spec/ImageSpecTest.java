package dev.kolibri.spec;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageSpecTest {
    static final Path FILE = Path.of("images/python.yaml");

    static final String BASE = """
            name: python
            version: "3.11"
            repositories:
              - type: deb
                url: system
                suite: bookworm
                components: [main]
                keyring: /usr/share/keyrings/debian-archive-keyring.gpg
            packages: [python3.11-minimal, libpython3.11-stdlib, ca-certificates, tzdata]
            archs: [amd64, arm64]
            entrypoint: [/usr/bin/python3.11]
            env: {LANG: C.UTF-8, TZ: UTC}
            layering: {strategy: origin, budget: 32}
            variants:
              builder: {add: [bash, coreutils], user: 0, allow-shell: true, env: {TZ: Europe/Berlin, PIP: "1"}}
            """;

    /** The same definition: keys in another order, flow and block style swapped, comments, other quoting, aliases. */
    static final String REORDERED = """
            # reformatted
            layering:
              budget: 32
              strategy: "origin"
            variants:
              builder:
                user: 0
                allow-shell: yes
                add:
                  - bash
                  - coreutils
                env: {PIP: "1", TZ: Europe/Berlin}
            env:
              TZ: 'UTC'
              LANG: C.UTF-8
            entrypoint: ["/usr/bin/python3.11"]
            archs: [x86_64, aarch64]
            packages:
              - tzdata
              - ca-certificates
              - libpython3.11-stdlib
              - python3.11-minimal
            repositories:
              - keyring: /usr/share/keyrings/debian-archive-keyring.gpg
                suite: bookworm
                url: system
                type: deb
            version: '3.11'
            name: python
            """;

    static ImageSpec parse(String yaml) {
        return SpecLoader.parse(yaml, FILE);
    }

    @Test
    void digest_reorderedAndReformatted_unchanged() {
        ImageSpec a = parse(BASE);
        ImageSpec b = parse(REORDERED);
        assertThat(b.canonicalJson()).isEqualTo(a.canonicalJson());
        assertThat(b.digest()).isEqualTo(a.digest());
        assertThat(parse(REORDERED).withVariant("builder").digest()).isEqualTo(a.withVariant("builder").digest());
    }

    @Test
    void digest_notAffectedBySourcePathOrVariants() {
        ImageSpec a = parse(BASE);
        ImageSpec elsewhere = SpecLoader.parse(BASE, Path.of("/somewhere/else/python.yaml"));
        ImageSpec noVariants = parse(BASE.substring(0, BASE.indexOf("variants:")));
        assertThat(elsewhere.digest()).isEqualTo(a.digest());
        assertThat(noVariants.digest()).isEqualTo(a.digest());
    }

    @Test
    void digest_packageChanged_changes() {
        ImageSpec a = parse(BASE);
        assertThat(parse(BASE.replace("tzdata", "tzdata-legacy")).digest()).isNotEqualTo(a.digest());
        assertThat(parse(BASE.replace("ca-certificates, ", "")).digest()).isNotEqualTo(a.digest());
        assertThat(parse(BASE.replace("bookworm", "trixie")).digest()).isNotEqualTo(a.digest());
        assertThat(parse(BASE.replace("archs: [amd64, arm64]", "archs: [amd64]")).digest()).isNotEqualTo(a.digest());
        assertThat(parse(BASE.replace("archs: [amd64, arm64]", "archs: [arm64, amd64]")).digest())
                .as("arch order is kept: the first arch's versions are preferred for the next").isNotEqualTo(a.digest());
        assertThat(a.withVariant("builder").digest()).isNotEqualTo(a.digest());
    }

    @Test
    void digest_isSha256OfCanonicalJson() {
        ImageSpec a = parse(BASE);
        assertThat(a.digest().toString()).matches("sha256:[0-9a-f]{64}");
        assertThat(a.canonicalJson()).isEqualTo("{\"allow-shell\":false,\"archs\":[\"amd64\",\"arm64\"],\"cmd\":[],"
                + "\"entrypoint\":[\"/usr/bin/python3.11\"],\"env\":{\"LANG\":\"C.UTF-8\",\"TZ\":\"UTC\"},"
                + "\"install-weak-deps\":false,\"labels\":{},\"layering\":{\"budget\":32,\"strategy\":\"origin\"},"
                + "\"name\":\"python\",\"packages\":[\"ca-certificates\",\"libpython3.11-stdlib\",\"python3.11-minimal\",\"tzdata\"],"
                + "\"repositories\":[{\"components\":[\"main\"],\"keyring\":\"/usr/share/keyrings/debian-archive-keyring.gpg\","
                + "\"suite\":\"bookworm\",\"type\":\"deb\",\"url\":\"system\"}],\"user\":65532,\"version\":\"3.11\","
                + "\"workdir\":\"/home/nonroot\"}");
    }

    @Test
    void withVariant_appliesAddUserShellAndMergesEnv() {
        ImageSpec base = parse(BASE);
        ImageSpec builder = base.withVariant("builder");

        assertThat(builder.name()).isEqualTo("python");
        assertThat(builder.variant()).isEqualTo("builder");
        assertThat(builder.packages()).containsExactly("python3.11-minimal", "libpython3.11-stdlib", "ca-certificates",
                "tzdata", "bash", "coreutils");
        assertThat(builder.user()).isZero();
        assertThat(builder.allowShell()).isTrue();
        assertThat(builder.env()).containsExactly(Map.entry("LANG", "C.UTF-8"), Map.entry("PIP", "1"), Map.entry("TZ", "Europe/Berlin"));
        assertThat(builder.workdir()).as("base workdir not written: the default for root").isEqualTo("/");
        assertThat(builder.entrypoint()).isEqualTo(base.entrypoint());
        assertThat(builder.variants()).isEmpty();
        assertThat(builder.variantNames()).isEmpty();
        assertThat(base.variantNames()).containsExactly("builder");
    }

    @Test
    void withVariant_writtenBaseWorkdir_kept() {
        ImageSpec builder = parse(BASE.replace("archs:", "workdir: /srv\narchs:")).withVariant("builder");
        assertThat(builder.workdir()).isEqualTo("/srv");
    }

    @Test
    void withVariant_removeAndOverrides() {
        ImageSpec spec = parse("""
                name: app
                repositories: [{type: rpm, url: system}]
                packages: [glibc, tzdata, app]
                entrypoint: [/app]
                cmd: [serve]
                variants:
                  slim: {remove: [tzdata], entrypoint: [/app, --slim], cmd: [], workdir: /data, allow-shell: false}
                """);
        ImageSpec slim = spec.withVariant("slim");
        assertThat(slim.packages()).containsExactly("glibc", "app");
        assertThat(slim.entrypoint()).containsExactly("/app", "--slim");
        assertThat(slim.cmd()).isEmpty();
        assertThat(slim.workdir()).isEqualTo("/data");
        assertThat(slim.user()).isEqualTo(65532);
    }

    @Test
    void withVariant_removeThenAddSamePackage_allowed() {
        ImageSpec spec = parse("""
                name: app
                repositories: [{type: rpm, url: system}]
                packages: [glibc, openssl]
                variants:
                  fips: {remove: [openssl], add: [openssl]}
                """);
        assertThat(spec.withVariant("fips").packages()).containsExactly("glibc", "openssl");
    }

    @Test
    void withVariant_unknownName_listsKnownOnes() {
        ImageSpec base = parse(BASE);
        assertThatThrownBy(() -> base.withVariant("fips"))
                .isInstanceOf(SpecException.class)
                .hasMessage("images/python.yaml: unknown variant `fips` (known: builder)");
        ImageSpec none = parse(BASE.substring(0, BASE.indexOf("variants:")));
        assertThatThrownBy(() -> none.withVariant("fips"))
                .hasMessage("images/python.yaml: unknown variant `fips` (this definition has no variants)");
    }

    @Test
    void withVariant_onAVariant_refused() {
        ImageSpec builder = parse(BASE).withVariant("builder");
        assertThatThrownBy(() -> builder.withVariant("builder"))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("`python-builder` is already a variant");
    }

    @Test
    void withVariant_builtByHandRemovingUnknownPackage_refusedNamingIt() {
        ImageSpec base = parse(BASE);
        Variant bad = new Variant("bad", List.of(), List.of("perl"), null, null, null, null, Map.of(), null, 40);
        ImageSpec spec = new ImageSpec(base.source(), base.name(), base.version(), null, base.repositories(),
                base.packages(), base.archs(), base.user(), base.workdir(), base.entrypoint(), base.cmd(), base.env(),
                base.labels(), base.layering(), Map.of("bad", bad), false, false);
        assertThatThrownBy(() -> spec.withVariant("bad"))
                .isInstanceOf(SpecException.class)
                .hasMessage("images/python.yaml:40: variant `bad` removes `perl`, which is not in `packages`");
    }

    @Test
    void hints_damerauDistance() {
        assertThat(Hints.distance("pakages", "packages")).isEqualTo(1);
        assertThat(Hints.distance("pacakges", "packages")).isEqualTo(1);
        assertThat(Hints.distance("", "abc")).isEqualTo(3);
        assertThat(Hints.nearest("foo", SpecLoader.TOP_KEYS)).isNull();
        assertThat(Hints.nearest("entrypiont", SpecLoader.TOP_KEYS)).isEqualTo("entrypoint");
    }
}
