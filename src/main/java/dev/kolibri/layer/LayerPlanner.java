package dev.kolibri.layer;

import java.util.List;

/**
 * Decides which owners' files share a layer. Implementations: {@link SinglePlanner}; {@code package} and
 * {@code origin} strategies follow. A planner must be deterministic: the same inputs give the same plan.
 */
public interface LayerPlanner {
    LayerPlan plan(List<LayerInput> inputs);
}
