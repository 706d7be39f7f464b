package dev.kolibri.catalog;

import dev.kolibri.spec.ImageSpec;

import java.util.Objects;

/**
 * One image the catalog builds: a stream (one definition file) plain or with a variant.
 *
 * @param stream  the definition as written (no variant applied)
 * @param variant the variant ({@code builder}, {@code fpm-builder}), or null for the base
 */
public record Flavour(ImageSpec stream, String variant) {
    public Flavour {
        Objects.requireNonNull(stream, "stream");
        if (stream.variant() != null) throw new IllegalArgumentException("a stream is a definition with no variant applied");
    }

    /** The effective definition this flavour builds. */
    public ImageSpec effective() {
        return variant == null ? stream : stream.withVariant(variant);
    }

    /** {@code -VARIANT}, or empty for the base. */
    public String suffix() {
        return variant == null ? "" : "-" + variant;
    }

    /** {@code python:3.13-builder}, for messages and tables. */
    public String label() {
        return stream.name() + ":" + (stream.version() == null ? "latest" : stream.version()) + suffix();
    }

    /** The flavour of the same stream without a variant. */
    public Flavour base() {
        return new Flavour(stream, null);
    }
}
