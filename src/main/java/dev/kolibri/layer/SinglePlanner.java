package dev.kolibri.layer;

import java.util.List;
import java.util.TreeSet;

/** Everything in one layer, named {@code rootfs}. */
public final class SinglePlanner implements LayerPlanner {
    public static final String LAYER_NAME = "rootfs";

    @Override
    public LayerPlan plan(List<LayerInput> inputs) {
        TreeSet<String> owners = new TreeSet<>();
        for (LayerInput i : inputs) owners.add(i.owner());
        return new LayerPlan(List.of(new PlannedLayer(LAYER_NAME, List.copyOf(owners))));
    }
}
