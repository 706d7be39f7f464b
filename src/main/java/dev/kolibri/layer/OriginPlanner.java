package dev.kolibri.layer;

import java.util.List;

/**
 * Layers by origin: packages built from one source package share a layer ({@code origin:SOURCE}); when there are
 * more sources than the budget allows, the biggest keep their own layers and the rest are packed together by a
 * stable hash of the source name. The image's own files go to the last layer, {@code image}. A package's layer
 * thus changes only when a package of the same origin (or, for packed ones, of the same pack) changes.
 */
public final class OriginPlanner implements LayerPlanner {
    private final int budget;

    /** @param budget the most layers the plan may have (1 to 127) */
    public OriginPlanner(int budget) {
        this.budget = budget;
    }

    @Override
    public LayerPlan plan(List<LayerInput> inputs) {
        return Packing.plan(inputs, budget, "origin:", LayerInput::sourceName);
    }
}
