package dev.kolibri.layer;

import java.util.Objects;

/**
 * What a planner knows about one owner of files.
 *
 * @param owner      the owning package name, or {@code ""} for the image's own files
 * @param sourceName the source package (or origin) it was built from; equal to {@code owner} when unknown
 * @param size       bytes the owner contributes to the tree
 */
public record LayerInput(String owner, String sourceName, long size) {
    public LayerInput {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(sourceName, "sourceName");
        if (size < 0) throw new IllegalArgumentException("negative size for " + owner);
    }
}
