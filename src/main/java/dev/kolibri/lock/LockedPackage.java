package dev.kolibri.lock;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.regex.Pattern;

/**
 * One package file pinned by a lock.
 *
 * @param name          binary package name
 * @param version       full version (epoch included when not 0)
 * @param arch          the package's own architecture, in its ecosystem's spelling ({@code amd64}, {@code all},
 *                      {@code x86_64}, {@code noarch})
 * @param source        the source package it was built from
 * @param sourceVersion the source package's version
 * @param path          where the file is inside its repository ({@code pool/main/p/python3.11/...deb}, rpm: the
 *                      {@code location href}), resolved against the repository's base on the machine that builds;
 *                      in a lock of format 1, an absolute URL
 * @param size          size of the file in bytes, more than 0
 * @param sha256        lower-case hex sha256 of the file
 * @param repository    id of the {@link LockedRepository} it came from
 */
@JsonPropertyOrder({"name", "version", "arch", "source", "sourceVersion", "path", "size", "sha256", "repository"})
public record LockedPackage(
        String name,
        String version,
        String arch,
        String source,
        String sourceVersion,
        @JsonAlias("url") String path,
        @JsonProperty(required = true) long size,
        String sha256,
        String repository) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public LockedPackage {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("a package has no `name`");
        String what = "package `" + name + "`";
        require(version, what, "version");
        require(arch, what, "arch");
        require(source, what, "source");
        require(sourceVersion, what, "sourceVersion");
        require(path, what, "path");
        require(repository, what, "repository");
        if (size <= 0) throw new IllegalArgumentException(what + ": `size` must be more than 0, not " + size);
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException(what + ": `sha256` must be 64 lower-case hex digits, not " + (sha256 == null ? "missing" : "`" + sha256 + "`"));
        }
    }

    private static void require(String value, String what, String field) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException(what + " has no `" + field + "`");
    }
}
