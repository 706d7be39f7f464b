package dev.kolibri.layer;

import java.util.ArrayList;
import java.util.List;

/**
 * The layers of {@code contents:} (local files): one per entry, owned by {@code contents:<to>} (with {@code #N} for
 * a repeated destination), placed after the package layers and before the image's own last layer ({@code image});
 * in a plan without one ({@code single}, or budget 1) they come last, and the former last layer keeps the image's
 * own files. They are always planned afresh: {@link #strip} takes them out of a previous plan.
 */
public final class ContentLayers {
    /** The owner (and layer name) prefix of files added by {@code contents:}. */
    public static final String PREFIX = "contents:";

    private ContentLayers() {}

    /** Whether {@code owner} is a {@code contents:} entry's. */
    public static boolean isContents(String owner) {
        return owner.startsWith(PREFIX);
    }

    /** {@code plan} with one layer per owner in {@code owners} (in order), each holding that owner's files. */
    public static LayerPlan add(LayerPlan plan, List<String> owners) {
        if (owners.isEmpty()) return plan;
        List<PlannedLayer> layers = new ArrayList<>(plan.layers());
        List<PlannedLayer> contents = owners.stream().map(o -> new PlannedLayer(o, List.of(o))).toList();
        PlannedLayer last = layers.get(layers.size() - 1);
        if (last.name().equals(Packing.IMAGE_LAYER) && layers.size() > 1) {
            layers.addAll(layers.size() - 1, contents);
        } else {
            List<String> withImage = new ArrayList<>(last.packages());
            withImage.add("");
            layers.set(layers.size() - 1, new PlannedLayer(last.name(), withImage));
            layers.addAll(contents);
        }
        return new LayerPlan(layers);
    }

    /** {@code plan} without its {@code contents:} layers (a previous build's, before it is kept). */
    public static LayerPlan strip(LayerPlan plan) {
        List<PlannedLayer> kept = plan.layers().stream().filter(l -> !isContents(l.name())).toList();
        return kept.isEmpty() ? plan : new LayerPlan(kept);
    }
}
