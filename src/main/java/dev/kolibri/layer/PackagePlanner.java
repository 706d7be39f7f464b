package dev.kolibri.layer;

import java.util.List;

/**
 * One layer per package ({@code package:NAME}); when there are more packages than the budget allows, the biggest
 * keep their own layers and the rest are packed together by a stable hash of the package name. The image's own
 * files go to the last layer, {@code image}.
 */
public final class PackagePlanner implements LayerPlanner {
    private final int budget;

    /** @param budget the most layers the plan may have (1 to 127) */
    public PackagePlanner(int budget) {
        this.budget = budget;
    }

    @Override
    public LayerPlan plan(List<LayerInput> inputs) {
        return Packing.plan(inputs, budget, "package:", LayerInput::owner);
    }
}
