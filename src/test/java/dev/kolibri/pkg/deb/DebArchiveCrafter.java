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
    private final Map<String, String> controlMembers = new LinkedHashMap<>();
    private boolean corruptData;
    private boolean omitData;
    private String dataNameOverride;

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

    /** Adds a member to control.tar beside control (md5sums, conffiles, postinst, ...). */
    DebArchiveCrafter controlMember(String name, String content) {
        controlMembers.put(name, content);
        return this;
    }

    /** Overwrites bytes in the middle of the compressed data member. */
    DebArchiveCrafter corruptData() {
        corruptData = true;
        return this;
    }

    DebArchiveCrafter omitData() {
        omitData = true;
        return this;
    }

    /** Renames the data member (e.g. to an unknown compression suffix). */
    DebArchiveCrafter dataName(String name) {
        dataNameOverride = name;
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
        if (corruptData) {
            byte[] b = Files.readAllBytes(work.resolve(dataName));
            for (int i = b.length / 2; i < Math.min(b.length - 1, b.length / 2 + 16); i++) b[i] ^= 0x5a;
            Files.write(work.resolve(dataName), b);
        }
        if (dataNameOverride != null) {
            Files.move(work.resolve(dataName), work.resolve(dataNameOverride));
            dataName = dataNameOverride;
        }
        Files.createDirectories(work.resolve("ctl"));
        Files.writeString(work.resolve("ctl/control"), control);
        List<String> tarCmd = new ArrayList<>(List.of("tar", "--owner=0", "--group=0", "-czf", "control.tar.gz", "-C", "ctl", "./control"));
        for (var e : controlMembers.entrySet()) {
            Files.writeString(work.resolve("ctl").resolve(e.getKey()), e.getValue());
            tarCmd.add("./" + e.getKey());
        }
        Tools.ok(work, tarCmd.toArray(String[]::new));
        Files.writeString(work.resolve("debian-binary"), debianBinary);
        Path out = dir.resolve(fileName);
        if (omitData) Tools.ok(work, "ar", "rc", out.toString(), "debian-binary", "control.tar.gz");
        else Tools.ok(work, "ar", "rc", out.toString(), "debian-binary", "control.tar.gz", dataName);
        return out;
    }
}
