package dev.kolibri.pkg.deb;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kolibri.testing.Tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes .deb files that dpkg-deb refuses to build (hostile member names, devices, links out of the tree): python's
 * tarfile writes the tar, the real {@code gzip}/{@code xz}/{@code zstd} compress it and the real {@code ar} wraps it.
 */
final class DebArchiveCrafter {
    private final List<Map<String, Object>> members = new ArrayList<>();
    private String compression = "xz";
    private String control = "Package: evil\nVersion: 1.0\nArchitecture: all\nMaintainer: T <t@kolibri.invalid>\nDescription: crafted\n";
    private String debianBinary = "2.0\n";
    private String format = "gnu";

    static DebArchiveCrafter deb() {
        return new DebArchiveCrafter();
    }

    DebArchiveCrafter member(String name, String type, int mode, String data, String link) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", type);
        m.put("mode", mode);
        if (data != null) m.put("data", data);
        if (link != null) m.put("link", link);
        members.add(m);
        return this;
    }

    DebArchiveCrafter dir(String name) {
        return member(name, "dir", 0755, null, null);
    }

    DebArchiveCrafter file(String name, String data) {
        return member(name, "file", 0644, data, null);
    }

    DebArchiveCrafter file(String name, int mode, String data) {
        return member(name, "file", mode, data, null);
    }

    DebArchiveCrafter symlink(String name, String target) {
        return member(name, "symlink", 0777, null, target);
    }

    DebArchiveCrafter hardlink(String name, String target) {
        return member(name, "hardlink", 0644, null, target);
    }

    /** gzip, xz, zstd or none. */
    DebArchiveCrafter compression(String c) {
        compression = c;
        return this;
    }

    DebArchiveCrafter format(String f) {
        format = f;
        return this;
    }

    DebArchiveCrafter debianBinary(String v) {
        debianBinary = v;
        return this;
    }

    Path build(Path dir, String fileName) throws IOException {
        Tools.require("python3", "ar", "tar", "gzip", "xz", "zstd");
        Path work = Files.createTempDirectory(dir, "craft");
        Path script = work.resolve("craft_tar.py");
        try (InputStream in = DebArchiveCrafter.class.getResourceAsStream("craft_tar.py")) {
            Files.copy(in, script);
        }
        Path spec = work.resolve("spec.json");
        new ObjectMapper().writeValue(spec.toFile(), Map.of("members", members, "format", format));
        Tools.ok(work, "python3", script.toString(), spec.toString(), "data.tar");
        String dataName = switch (compression) {
            case "gzip" -> { Tools.ok(work, "gzip", "-n", "data.tar"); yield "data.tar.gz"; }
            case "xz" -> { Tools.ok(work, "xz", "data.tar"); yield "data.tar.xz"; }
            case "zstd" -> { Tools.ok(work, "zstd", "-q", "--rm", "data.tar"); yield "data.tar.zst"; }
            case "none" -> "data.tar";
            default -> throw new IllegalArgumentException(compression);
        };
        Files.createDirectories(work.resolve("ctl"));
        Files.writeString(work.resolve("ctl/control"), control);
        Tools.ok(work, "tar", "--owner=0", "--group=0", "-czf", "control.tar.gz", "-C", "ctl", "./control");
        Files.writeString(work.resolve("debian-binary"), debianBinary);
        Path out = dir.resolve(fileName);
        Tools.ok(work, "ar", "rc", out.toString(), "debian-binary", "control.tar.gz", dataName);
        return out;
    }
}
