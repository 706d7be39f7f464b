package dev.kolibri.inspect;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One package as an image's package database records it.
 *
 * @param ecosystem     the database it was read from: {@code deb} (dpkg), {@code rpm} (rpmdb)
 * @param name          binary package name
 * @param version       full version as the database writes it ({@code 1:2.3-4})
 * @param arch          package architecture ({@code amd64}, {@code all})
 * @param sourceName    source package name (the binary name when the database names none)
 * @param sourceVersion source package version (the binary version when the database names none)
 * @param maintainer    the {@code Maintainer} field, or null
 * @param fields        every field of the record, looked up case-insensitively ({@code Depends}, {@code Provides}, ...)
 */
public record PackageRecord(String ecosystem, String name, String version, String arch, String sourceName,
                            String sourceVersion, String maintainer, Map<String, String> fields) {
    public PackageRecord {
        Objects.requireNonNull(ecosystem, "ecosystem");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(arch, "arch");
        if (sourceName == null || sourceName.isBlank()) sourceName = name;
        if (sourceVersion == null || sourceVersion.isBlank()) sourceVersion = version;
        TreeMap<String, String> f = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (fields != null) fields.forEach(f::putIfAbsent);
        fields = Collections.unmodifiableSortedMap(f);
    }

    /** {@code name:arch}, unique within one image (the key SBOMs use). */
    public String key() {
        return name + ":" + arch;
    }

    /** A field's value, or null. Case-insensitive. */
    public String field(String fieldName) {
        return fields.get(fieldName);
    }
}
