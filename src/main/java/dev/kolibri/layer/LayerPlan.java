package dev.kolibri.layer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An ordered list of layers (bottom first), each naming the owners whose files it holds. */
public record LayerPlan(List<PlannedLayer> layers) {
    /**
     * Annotation on each layer descriptor of a built manifest: the layer's packages, comma-separated and sorted
     * (see {@link PlannedLayer#packagesAnnotation()}). Written by the image assembler.
     */
    public static final String PACKAGES_ANNOTATION = "dev.kolibri.layer.packages";

    public LayerPlan {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) throw new IllegalArgumentException("a layer plan needs at least one layer");
        Map<String, String> seen = new HashMap<>();
        for (PlannedLayer l : layers) {
            for (String p : l.packages()) {
                String other = seen.put(p, l.name());
                if (other != null) {
                    throw new IllegalArgumentException("package '" + p + "' is planned into two layers: " + other + " and " + l.name());
                }
            }
        }
    }

    /** The index of the layer holding {@code owner}'s files: its planned layer, else the last one. */
    public int layerOf(String owner) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).packages().contains(owner)) return i;
        }
        return layers.size() - 1;
    }
}
