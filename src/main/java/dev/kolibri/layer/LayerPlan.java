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

    /** Annotation on each layer descriptor of a built manifest: the layer's {@link PlannedLayer#name()}. */
    public static final String NAME_ANNOTATION = "dev.kolibri.layer.name";

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

    /** The annotations a layer descriptor of this plan carries: its name and packages. */
    public static Map<String, String> annotations(PlannedLayer layer) {
        return Map.of(NAME_ANNOTATION, layer.name(), PACKAGES_ANNOTATION, layer.packagesAnnotation());
    }

    /**
     * The plan recorded in a built manifest's layer annotations (one map per layer, bottom first).
     *
     * @throws IllegalArgumentException when a layer lacks the name annotation (not a Kolibri build with a plan)
     */
    public static LayerPlan fromAnnotations(List<Map<String, String>> layers) {
        List<PlannedLayer> out = new java.util.ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            String name = layers.get(i).get(NAME_ANNOTATION);
            if (name == null) {
                throw new IllegalArgumentException("layer " + (i + 1) + " has no " + NAME_ANNOTATION
                        + " annotation (the image was not built by Kolibri with a layer plan)");
            }
            String pk = layers.get(i).getOrDefault(PACKAGES_ANNOTATION, "");
            List<String> pkgs = java.util.Arrays.stream(pk.split(",")).filter(x -> !x.isEmpty()).toList();
            out.add(new PlannedLayer(name, pkgs));
        }
        return new LayerPlan(out);
    }

    /** The index of the layer holding {@code owner}'s files: its planned layer, else the last one. */
    public int layerOf(String owner) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).packages().contains(owner)) return i;
        }
        return layers.size() - 1;
    }
}
