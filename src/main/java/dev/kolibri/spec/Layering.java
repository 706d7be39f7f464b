package dev.kolibri.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * How the root filesystem is cut into layers: {@code layering: {strategy: origin, budget: 32}}.
 *
 * @param strategy how files are grouped into layers
 * @param budget   the most layers the image may have, 1 to {@value #MAX_BUDGET}
 */
public record Layering(Strategy strategy, int budget) {
    public static final int DEFAULT_BUDGET = 32;
    public static final int MAX_BUDGET = 127;
    public static final Layering DEFAULT = new Layering(Strategy.ORIGIN, DEFAULT_BUDGET);

    public Layering {
        Objects.requireNonNull(strategy, "strategy");
        if (budget < 1 || budget > MAX_BUDGET) {
            throw new IllegalArgumentException("layer budget must be between 1 and " + MAX_BUDGET + ", not " + budget);
        }
    }

    /** The layering strategies, spelled in YAML as their lower-case names. */
    public enum Strategy {
        /** one layer with every file */
        SINGLE,
        /** one layer per package, folded into the budget */
        PACKAGE,
        /** layers by origin (source package), chunked and stable across updates */
        ORIGIN;

        /** {@code single}, {@code package} or {@code origin}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The strategy spelled {@code id}, or null when there is none. */
        static Strategy ofId(String id) {
            return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst().orElse(null);
        }
    }
}
