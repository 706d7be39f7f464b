package dev.kolibri.fs;

import java.util.function.Consumer;

/**
 * A package payload that hands its members over one at a time, in archive order (a {@code .deb}'s data.tar, an
 * RPM's cpio). A list is one too: {@code list::forEach}. Read errors surface as the source's own unchecked
 * exception and abort the install that is consuming it.
 */
@FunctionalInterface
public interface PayloadSource {
    void forEachEntry(Consumer<? super PayloadEntry> sink);
}
