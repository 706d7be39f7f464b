package dev.kolibri.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes real .deb files with {@code dpkg-deb --build --root-owner-group}: a control file plus files, symlinks and
 * modes. The reference tool writes the archive, never our code.
 */
public final class DebBuilder {
    private final String name;
    private final String version;
    private final String arch;
    private final Map<String, String> control = new LinkedHashMap<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, String> modes = new LinkedHashMap<>();
    private final Map<String, String> symlinks = new LinkedHashMap<>();
    private String compression = "xz";

    private DebBuilder(String name, String version, String arch) {
        this.name = name;
        this.version = version;
        this.arch = arch;
    }

    public static DebBuilder deb(String name, String version, String arch) {
        return new DebBuilder(name, version, arch);
    }

    /** Adds a control field (Depends, Provides, Source, Multi-Arch, ...); a Maintainer replaces the default one. */
    public DebBuilder field(String key, String value) {
        control.put(key, value);
        return this;
    }

    public DebBuilder file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), "644");
    }

    public DebBuilder file(String path, byte[] content, String octalMode) {
        files.put(path.replaceFirst("^/", ""), content);
        modes.put(path.replaceFirst("^/", ""), octalMode);
        return this;
    }

    public DebBuilder symlink(String path, String target) {
        symlinks.put(path.replaceFirst("^/", ""), target);
        return this;
    }

    /** gzip, xz, zstd or none. */
    public DebBuilder compression(String c) {
        this.compression = c;
        return this;
    }

    /** Builds {@code NAME_VERSION_ARCH.deb} into {@code outDir} (epoch colons dropped from the file name). */
    public Path build(Path outDir) throws IOException {
        Path work = Files.createTempDirectory("debbuild");
        Path root = work.resolve("root");
        Files.createDirectories(root.resolve("DEBIAN"));
        StringBuilder c = new StringBuilder();
        c.append("Package: ").append(name).append('\n');
        c.append("Version: ").append(version).append('\n');
        c.append("Architecture: ").append(arch).append('\n');
        if (!control.containsKey("Maintainer")) c.append("Maintainer: Kolibri Tests <tests@kolibri.invalid>\n");
        control.forEach((k, v) -> c.append(k).append(": ").append(v).append('\n'));
        c.append("Description: test package ").append(name).append('\n');
        Files.writeString(root.resolve("DEBIAN/control"), c.toString());
        for (var e : files.entrySet()) {
            Path p = root.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
            Tools.ok(null, "chmod", modes.get(e.getKey()), p.toString());
        }
        for (var e : symlinks.entrySet()) {
            Path p = root.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.createSymbolicLink(p, Path.of(e.getValue()));
        }
        Files.setPosixFilePermissions(root.resolve("DEBIAN"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(outDir);
        String fileVersion = version.contains(":") ? version.substring(version.indexOf(':') + 1) : version;
        Path out = outDir.resolve(name + "_" + fileVersion + "_" + arch + ".deb");
        Tools.ok(null, "dpkg-deb", "--root-owner-group", "-Z" + compression, "--build", root.toString(), out.toString());
        return out;
    }
}
