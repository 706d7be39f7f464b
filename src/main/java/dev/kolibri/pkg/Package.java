package dev.kolibri.pkg;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A binary package as a repository index describes it, in ecosystem-neutral terms.
 *
 * @param name        binary package name
 * @param version     full version ({@code epoch:upstream-revision} for Debian, {@code epoch:version-release} for RPM,
 *                    the epoch omitted when 0)
 * @param arch        the package's architecture in its ecosystem's spelling ({@code amd64}, {@code all},
 *                    {@code x86_64}, {@code noarch})
 * @param sourceName  the source package it was built from (Debian {@code Source}, RPM source RPM name); never null
 * @param sourceVersion the source package's version; never null
 * @param provides    capabilities besides the package's own name (virtual names, files, {@code foo:any})
 * @param depends     hard requirements (Debian Pre-Depends + Depends, RPM Requires)
 * @param recommends  weak requirements, used only when asked (Debian Recommends, RPM Recommends)
 * @param conflicts   packages that must not be installed with it (Debian Conflicts + Breaks, RPM Conflicts)
 * @param obsoletes   RPM Obsoletes (empty for Debian)
 * @param repository  id of the repository it came from (its base URL)
 * @param location    absolute URL of the package file
 * @param size        size of the package file in bytes
 * @param sha256      lowercase hex sha256 of the package file
 * @param fields      other metadata, sorted by key (Maintainer, Description, Multi-Arch, Priority, Essential,
 *                    Homepage, Section, Installed-Size, License, ...)
 */
public record Package(
        String name,
        String version,
        String arch,
        String sourceName,
        String sourceVersion,
        List<Capability> provides,
        List<Requirement> depends,
        List<Requirement> recommends,
        List<Constraint> conflicts,
        List<Constraint> obsoletes,
        String repository,
        String location,
        long size,
        String sha256,
        Map<String, String> fields) {

    public Package {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(arch, "arch");
        sourceName = sourceName == null ? name : sourceName;
        sourceVersion = sourceVersion == null ? version : sourceVersion;
        provides = List.copyOf(provides);
        depends = List.copyOf(depends);
        recommends = List.copyOf(recommends);
        conflicts = List.copyOf(conflicts);
        obsoletes = List.copyOf(obsoletes);
        fields = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(fields));
    }

    /** The metadata, sorted by key. */
    public SortedMap<String, String> sortedFields() {
        return (SortedMap<String, String>) fields;
    }

    /** {@code name=version/arch}: unique within one resolution. */
    public String id() {
        return name + "=" + version + "/" + arch;
    }

    public String field(String key) {
        return fields.get(key);
    }

    public static Map<String, String> noFields() {
        return Map.of();
    }

    @Override
    public String toString() {
        return name + " " + version + " (" + arch + ")";
    }
}
