package dev.kolibri.pkg;

import java.util.Objects;

/** Something a package provides: its own name and version, a virtual name, a file path. Version may be null. */
public record Capability(String name, String version) {
    public Capability {
        Objects.requireNonNull(name, "name");
    }

    public static Capability of(String name) {
        return new Capability(name, null);
    }

    @Override
    public String toString() {
        return version == null ? name : name + " (= " + version + ")";
    }
}
