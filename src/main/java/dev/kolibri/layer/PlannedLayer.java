package dev.kolibri.layer;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One layer of a plan.
 *
 * @param name     a stable name for the layer (shown by {@code inspect}, kept by {@code --previous})
 * @param packages the owners whose files go in this layer, sorted and distinct; {@code ""} is the image's own files
 */
public record PlannedLayer(String name, List<String> packages) {
    public PlannedLayer {
        Objects.requireNonNull(name, "name");
        packages = List.copyOf(new TreeSet<>(packages));
    }

    /** The value of the {@link LayerPlan#PACKAGES_ANNOTATION} annotation: the packages, comma-separated. */
    public String packagesAnnotation() {
        return String.join(",", packages);
    }
}
