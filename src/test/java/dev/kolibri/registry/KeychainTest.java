package dev.kolibri.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeychainTest {
    @TempDir
    Path tmp;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String rel, String json) throws Exception {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, json);
        return p;
    }

    @Test
    void files_areSearchedInOrder_firstMatchWins() throws Exception {
        Path home = tmp.resolve("home");
        Path authFile = write("auth-file.json", "{\"auths\":{\"reg.example:5000\":{\"auth\":\"" + b64("first:1") + "\"}}}");
        write("run/containers/auth.json", "{\"auths\":{\"reg.example:5000\":{\"auth\":\"" + b64("second:2") + "\"},"
                + "\"other.example\":{\"username\":\"xdg\",\"password\":\"p\"}}}");
        write("home/.config/containers/auth.json", "{\"auths\":{\"third.example\":{\"auth\":\"" + b64("third:3") + "\"}}}");
        write("home/.docker/config.json", "{\"auths\":{\"https://hub.example/v1/\":{\"auth\":\"" + b64("hub:4") + "\"},"
                + "\"http://third.example/v2/\":{\"auth\":\"" + b64("docker:5") + "\"}}}");
        Keychain k = new Keychain(Map.of("REGISTRY_AUTH_FILE", authFile.toString(), "XDG_RUNTIME_DIR", tmp.resolve("run").toString()), home);

        assertThat(k.files()).containsExactly(authFile, tmp.resolve("run/containers/auth.json"),
                home.resolve(".config/containers/auth.json"), home.resolve(".docker/config.json"));
        assertThat(k.find("reg.example:5000")).contains(new Credentials("first", "1"));
        assertThat(k.find("other.example")).contains(new Credentials("xdg", "p"));
        assertThat(k.find("third.example")).contains(new Credentials("third", "3"));
        assertThat(k.find("HUB.example")).contains(new Credentials("hub", "4"));
        assertThat(k.find("nowhere.example")).isEmpty();
        assertThat(k.find("reg.example")).as("port matters").isEmpty();
    }

    @Test
    void namespacedEntries_matchTheLongestRepositoryPrefix() throws Exception {
        Path f = write("a.json", "{\"auths\":{\"reg.example\":{\"auth\":\"" + b64("host:h") + "\"},"
                + "\"reg.example/team\":{\"auth\":\"" + b64("team:t") + "\"}}}");
        Keychain k = new Keychain(Map.of("REGISTRY_AUTH_FILE", f.toString()), null);
        assertThat(k.find("reg.example", "team/app")).contains(new Credentials("team", "t"));
        assertThat(k.find("reg.example", "teammate/app")).contains(new Credentials("host", "h"));
        assertThat(k.find("reg.example")).contains(new Credentials("host", "h"));
    }

    @Test
    void credentialHelpers_getTheServerUrlOnStdin() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path helper = bin.resolve("docker-credential-fake");
        Files.writeString(helper, "#!/bin/sh\n[ \"$1\" = get ] || exit 3\nread url\n"
                + "case \"$url\" in\n  reg.example) echo '{\"ServerURL\":\"reg.example\",\"Username\":\"helped\",\"Secret\":\"s\"}';;\n"
                + "  *) echo 'credentials not found in native keychain'; exit 1;;\nesac\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cfg = write("docker/config.json", "{\"credHelpers\":{\"reg.example\":\"fake\"},\"credsStore\":\"fake\","
                + "\"auths\":{\"other.example\":{}}}");
        Keychain k = new Keychain(Map.of("DOCKER_CONFIG", cfg.getParent().toString(), "PATH", bin + ":/usr/bin:/bin"), tmp.resolve("nohome"));
        assertThat(k.find("reg.example")).contains(new Credentials("helped", "s"));
        assertThat(k.find("other.example")).as("store says not found").isEmpty();

        Keychain noHelper = new Keychain(Map.of("DOCKER_CONFIG", cfg.getParent().toString(), "PATH", tmp.resolve("empty").toString()), null);
        assertThatThrownBy(() -> noHelper.find("reg.example")).isInstanceOf(RegistryException.class)
                .hasMessageContaining("docker-credential-fake is not on PATH");
    }

    @Test
    void malformedFiles_areNamed() throws Exception {
        Path bad = write("bad.json", "{\"auths\": {");
        assertThatThrownBy(() -> new Keychain(Map.of("REGISTRY_AUTH_FILE", bad.toString()), null).find("x.example"))
                .isInstanceOf(RegistryException.class).hasMessageStartingWith("credentials: " + bad + " is not valid JSON");
        Path badAuth = write("bad2.json", "{\"auths\":{\"x.example\":{\"auth\":\"%%%\"}}}");
        assertThatThrownBy(() -> new Keychain(Map.of("REGISTRY_AUTH_FILE", badAuth.toString()), null).find("x.example"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("not valid base64")
                .satisfies(e -> assertThat(((RegistryException) e).code()).isEqualTo("CREDENTIALS"));
    }

    @Test
    void credentials_hideThePassword() {
        assertThat(new Credentials("u", "secret").toString()).doesNotContain("secret");
    }
}
