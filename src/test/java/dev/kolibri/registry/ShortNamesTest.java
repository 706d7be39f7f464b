package dev.kolibri.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShortNamesTest {
    @TempDir
    Path tmp;

    @Test
    void load_readsSearchRegistriesAndAliases_dropInsOverride() throws Exception {
        Path conf = tmp.resolve("registries.conf");
        Files.writeString(conf, """
                # comment with = and [brackets]
                unqualified-search-registries = [
                  "first.example:5000",  # trailing comment
                  'second.example',
                ]
                short-name-mode = "enforcing"

                [[registry]]
                prefix = "first.example:5000"
                location = "mirror.example"
                unqualified-search-registries = ["not.top.level"]

                [aliases]
                "app" = "first.example:5000/team/app"
                tool = 'third.example/tool'
                """);
        Files.createDirectories(tmp.resolve("registries.conf.d"));
        Files.writeString(tmp.resolve("registries.conf.d/10-aliases.conf"), "[aliases]\n\"tool\" = \"fourth.example/tool\"\n");
        Files.writeString(tmp.resolve("registries.conf.d/20-search.conf"), "unqualified-search-registries = [\"override.example\"]\n");
        Files.writeString(tmp.resolve("registries.conf.d/ignored.txt"), "unqualified-search-registries = [\"nope.example\"]\n");

        ShortNames base = ShortNames.load(conf, false);
        assertThat(base.searchRegistries()).containsExactly("first.example:5000", "second.example");
        assertThat(base.aliases()).isEqualTo(Map.of("app", "first.example:5000/team/app", "tool", "third.example/tool"));

        ShortNames all = ShortNames.load(conf, true);
        assertThat(all.searchRegistries()).containsExactly("override.example");
        assertThat(all.aliases()).containsEntry("tool", "fourth.example/tool").containsEntry("app", "first.example:5000/team/app");
        assertThat(all.source()).endsWith("20-search.conf");
        assertThat(Reference.parse("tool:1", all).toString()).isEqualTo("fourth.example/tool:1");
        assertThat(Reference.parse("x/y", all).toString()).isEqualTo("override.example/x/y:latest");
    }

    @Test
    void load_missingFile_meansNothingConfigured_andShortNamesFailClearly() {
        ShortNames sn = ShortNames.load(tmp.resolve("absent.conf"), true);
        assertThat(sn.searchRegistries()).isEmpty();
        assertThatThrownBy(() -> Reference.parse("python:3.11", sn))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'python:3.11' names no registry host")
                .hasMessageContaining("absent.conf")
                .hasMessageContaining("set unqualified-search-registries");
    }

    @Test
    void load_badValue_namesFileAndLine() throws Exception {
        Path conf = tmp.resolve("bad.conf");
        Files.writeString(conf, "\n\nunqualified-search-registries = [ 42 ]\n");
        assertThatThrownBy(() -> ShortNames.load(conf, false)).hasMessageContaining("bad.conf:3").hasMessageContaining("other than strings");
        Files.writeString(conf, "unqualified-search-registries = \"one.example\"\n");
        assertThatThrownBy(() -> ShortNames.load(conf, false)).hasMessageContaining("not an array of strings");
    }

    @Test
    void none_isEmpty() {
        assertThat(ShortNames.none().searchRegistries()).isEqualTo(List.of());
    }
}
