package dev.kolibri.layer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps a previous build's plan: every package stays in the layer it was in (so a layer's bytes change only when
 * one of its packages changed), packages that are gone drop out (a layer left with none disappears), and packages
 * the previous build did not have go to a layer named {@code new} just below the last one (or into the last one
 * when the budget has no room for it). The last layer stays last.
 */
public final class PreviousPlanner implements LayerPlanner {
    private final LayerPlan previous;
    private final int budget;

    public PreviousPlanner(LayerPlan previous, int budget) {
        this.previous = previous;
        this.budget = budget;
    }

    @Override
    public LayerPlan plan(List<LayerInput> inputs) {
        Set<String> now = new TreeSet<>();
        for (LayerInput i : inputs) if (!i.owner().isEmpty()) now.add(i.owner());
        Set<String> placed = new TreeSet<>();
        List<PlannedLayer> prev = previous.layers();
        Map<String, List<String>> kept = new LinkedHashMap<>();
        for (int i = 0; i < prev.size() - 1; i++) {
            List<String> pk = new ArrayList<>(prev.get(i).packages().stream().filter(now::contains).toList());
            placed.addAll(pk);
            if (!pk.isEmpty()) kept.merge(prev.get(i).name(), pk, (a, b) -> { a.addAll(b); return a; });
        }
        PlannedLayer last = prev.get(prev.size() - 1);
        List<String> lastPk = new ArrayList<>(last.packages().stream().filter(now::contains).toList());
        placed.addAll(lastPk);
        List<String> added = now.stream().filter(p -> !placed.contains(p)).toList();
        if (!added.isEmpty()) {
            if (kept.containsKey(Packing.NEW_LAYER) || kept.size() + 2 <= budget) {
                kept.computeIfAbsent(Packing.NEW_LAYER, x -> new ArrayList<>()).addAll(added);
            } else {
                lastPk.addAll(added);
            }
        }
        // a previous plan over the budget (a smaller budget now): fold the upper layers into the last one
        List<PlannedLayer> layers = new ArrayList<>();
        for (var e : kept.entrySet()) {
            if (layers.size() < budget - 1) layers.add(new PlannedLayer(e.getKey(), e.getValue()));
            else lastPk.addAll(e.getValue());
        }
        layers.add(new PlannedLayer(last.name(), lastPk));
        return new LayerPlan(layers);
    }
}
