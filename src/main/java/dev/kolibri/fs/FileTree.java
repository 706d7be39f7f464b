package dev.kolibri.fs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A root file system under construction: entries by normalized path, always walked in sorted order. Not
 * thread-safe; one tree belongs to one build of one arch. Safety rules (path traversal, conflicts between
 * packages) are enforced by the code that adds package payloads, not here.
 */
public final class FileTree {
    private final NavigableMap<String, FileEntry> entries = new TreeMap<>();

    /** Adds or replaces the entry at its path. */
    public void put(FileEntry entry) {
        entries.put(entry.path(), entry);
    }

    public Optional<FileEntry> get(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    public boolean contains(String path) {
        return entries.containsKey(path);
    }

    /** Removes the entry at {@code path} (and nothing below it); returns it if there was one. */
    public Optional<FileEntry> remove(String path) {
        return Optional.ofNullable(entries.remove(path));
    }

    /** Removes every entry matching the predicate; returns them in path order. */
    public List<FileEntry> removeIf(Predicate<FileEntry> p) {
        List<FileEntry> gone = new ArrayList<>();
        entries.values().removeIf(e -> {
            if (p.test(e)) {
                gone.add(e);
                return true;
            }
            return false;
        });
        return gone;
    }

    /** All entries, sorted by path (unmodifiable live view). */
    public Collection<FileEntry> entries() {
        return Collections.unmodifiableCollection(entries.values());
    }

    /** Entries strictly below directory {@code dir} ("" for the whole tree), sorted. */
    public Collection<FileEntry> under(String dir) {
        if (dir.isEmpty()) return entries();
        return Collections.unmodifiableCollection(entries.subMap(dir + "/", true, dir + "0", false).values());
    }

    public int size() {
        return entries.size();
    }

    /**
     * Follows symlinks in {@code path}'s parents and itself inside this tree, as the kernel would with this tree
     * as root, and returns the normalized path it designates (which may not exist). Absolute targets resolve from
     * the root; {@code ..} never climbs above the root. Empty after 40 hops (a loop).
     */
    public Optional<String> resolve(String path) {
        return Resolver.resolve(this, path, true);
    }

    /** Like {@link #resolve} but does not follow a symlink in the last component. */
    public Optional<String> resolveParent(String path) {
        return Resolver.resolve(this, path, false);
    }
}
