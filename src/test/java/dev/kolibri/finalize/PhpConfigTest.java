package dev.kolibri.finalize;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import org.junit.jupiter.api.Test;

import static dev.kolibri.finalize.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class PhpConfigTest {
    private final PhpConfig step = new PhpConfig();

    /** The shape of php8.4-common, -opcache, -cli and -fpm (trixie), shortened. */
    private static FileTree php() {
        FileTree t = new FileTree();
        file(t, "usr/share/php8.4-common/common/ctype.ini", "; configuration for php common module\n; priority=20\nextension=ctype.so\n", "php8.4-common");
        file(t, "usr/share/php8.4-opcache/opcache/opcache.ini", "; priority=10\nzend_extension=opcache.so\n", "php8.4-opcache");
        file(t, "usr/share/php8.4-common/common/noprio.ini", "extension=noprio.so\n", "php8.4-common");
        file(t, "usr/lib/php/8.4/php.ini-production", "; production\n", "php8.4-common");
        file(t, "usr/lib/php/8.4/php.ini-production.cli", "; production for the cli\n", "php8.4-cli");
        file(t, "usr/lib/php/8.4/sapi/cli", "", "php8.4-cli");
        file(t, "usr/lib/php/8.4/sapi/fpm", "", "php8.4-fpm");
        dir(t, "etc/php/8.4/cli/conf.d", 0755, "php8.4-cli");
        dir(t, "etc/php/8.4/mods-available", 0755, "php8.4-common");
        file(t, "usr/bin/php8.4", new byte[] {1}, 0755, "php8.4-cli");
        file(t, "usr/bin/php8.3", new byte[] {1}, 0755, "php8.3-cli");
        file(t, "usr/bin/php8.10", new byte[] {1}, 0755, "php8.10-cli");
        file(t, "usr/bin/phar8.4", new byte[] {1}, 0755, "php8.4-cli");
        return t;
    }

    private static String target(FileTree t, String path) {
        FileEntry e = t.get(path).orElseThrow(() -> new AssertionError("no " + path));
        assertThat(e.type()).isEqualTo(EntryType.SYMLINK);
        return e.linkTarget();
    }

    @Test
    void modulesAndPhpIni_asTheMaintainerScriptsMakeThem() throws Exception {
        FileTree t = php();
        FinalizeContext ctx = deb();
        step.apply(t, ctx);
        assertThat(text(t, "etc/php/8.4/mods-available/ctype.ini")).contains("extension=ctype.so");
        assertThat(target(t, "etc/php/8.4/cli/conf.d/20-ctype.ini")).isEqualTo("/etc/php/8.4/mods-available/ctype.ini");
        assertThat(target(t, "etc/php/8.4/cli/conf.d/10-opcache.ini")).isEqualTo("/etc/php/8.4/mods-available/opcache.ini");
        assertThat(target(t, "etc/php/8.4/fpm/conf.d/20-noprio.ini")).as("no priority line: 20").isEqualTo("/etc/php/8.4/mods-available/noprio.ini");
        assertThat(text(t, "etc/php/8.4/cli/php.ini")).isEqualTo("; production for the cli\n");
        assertThat(text(t, "etc/php/8.4/fpm/php.ini")).as("no SAPI-specific copy: the general one").isEqualTo("; production\n");
        assertThat(t.get("etc/php/8.4/fpm/php.ini").orElseThrow().mode()).isEqualTo(0644);
        assertThat(t.get("etc/php/8.4/fpm/php.ini").orElseThrow().mtime()).isEqualTo(EPOCH);
        assertThat(ctx.report().toResult().warnings()).isEmpty();
        assertThat(target(t, "usr/bin/php")).isEqualTo("/etc/alternatives/php");
        assertThat(target(t, "etc/alternatives/php")).as("the highest version, compared as numbers").isEqualTo("/usr/bin/php8.10");
        assertThat(target(t, "etc/alternatives/phar")).isEqualTo("/usr/bin/phar8.4");
        assertThat(t.contains("usr/bin/phar.phar")).isFalse();
    }

    @Test
    void whatIsThere_isKept_andTwiceIsOnce() throws Exception {
        FileTree t = php();
        file(t, "etc/php/8.4/cli/php.ini", "; mine\n", "");
        file(t, "etc/php/8.4/mods-available/ctype.ini", "; priority=30\nextension=ctype.so\n", "");
        link(t, "etc/php/8.4/cli/conf.d/99-opcache.ini", "/etc/php/8.4/mods-available/opcache.ini", "");
        step.apply(t, deb());
        assertThat(text(t, "etc/php/8.4/cli/php.ini")).isEqualTo("; mine\n");
        assertThat(target(t, "etc/php/8.4/cli/conf.d/30-ctype.ini")).as("the priority of the ini that is there").endsWith("/ctype.ini");
        assertThat(t.contains("etc/php/8.4/cli/conf.d/10-opcache.ini")).as("already enabled under another priority").isFalse();
        int size = t.size();
        step.apply(t, deb());
        assertThat(t.size()).isEqualTo(size);
    }

    @Test
    void noPhp_isANoOp_andAMissingIniIsAWarning() throws Exception {
        FileTree empty = new FileTree();
        dir(empty, "etc", 0755, "base-files");
        step.apply(empty, deb());
        assertThat(empty.size()).isEqualTo(1);

        FileTree t = php();
        t.remove("usr/lib/php/8.4/php.ini-production");
        FinalizeContext ctx = deb();
        step.apply(t, ctx);
        assertThat(t.contains("etc/php/8.4/fpm/php.ini")).isFalse();
        assertThat(ctx.report().toResult().warnings()).containsExactly(
                "php-config: PHP 8.4 registers the fpm SAPI but /usr/lib/php/8.4/php.ini-production is not in the image; no /etc/php/8.4/fpm/php.ini");
    }
}
