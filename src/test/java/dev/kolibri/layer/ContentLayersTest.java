package dev.kolibri.layer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the {@code contents:} layers go in a plan, and that a previous plan loses them before it is kept. */
class ContentLayersTest {
    static List<String> names(LayerPlan p) {
        return p.layers().stream().map(PlannedLayer::name).toList();
    }

    @Test
    void betweenThePackageLayersAndImage() {
        LayerPlan plan = new OriginPlanner(32).plan(List.of(new LayerInput("a", "a", 10), new LayerInput("b", "b", 10)));
        LayerPlan with = ContentLayers.add(plan, List.of("contents:/app", "contents:/etc/x"));
        assertThat(names(with)).containsExactly("origin:a", "origin:b", "contents:/app", "contents:/etc/x", "image");
        assertThat(with.layerOf("contents:/app")).isEqualTo(2);
        assertThat(with.layerOf("")).isEqualTo(4);
        assertThat(ContentLayers.add(plan, List.of())).isEqualTo(plan);
    }

    @Test
    void single_contentsComeLast_andTheImagesFilesStayInRootfs() {
        LayerPlan plan = new SinglePlanner().plan(List.of(new LayerInput("a", "a", 10)));
        LayerPlan with = ContentLayers.add(plan, List.of("contents:/app"));
        assertThat(names(with)).containsExactly("rootfs", "contents:/app");
        assertThat(with.layerOf("")).isZero();
        assertThat(with.layerOf("a")).isZero();
        assertThat(LayerPlan.annotations(with.layers().get(0)).get(LayerPlan.PACKAGES_ANNOTATION)).isEqualTo(",a");
        LayerPlan budgetOne = ContentLayers.add(new PackagePlanner(1).plan(List.of(new LayerInput("a", "a", 1))), List.of("contents:/x"));
        assertThat(names(budgetOne)).containsExactly("image", "contents:/x");
        assertThat(budgetOne.layerOf("")).isZero();
    }

    @Test
    void previousPlan_losesItsContentsLayers_andKeepsItsPackages() {
        LayerPlan built = ContentLayers.add(new OriginPlanner(32).plan(List.of(new LayerInput("a", "a", 1))), List.of("contents:/app"));
        LayerPlan read = LayerPlan.fromAnnotations(built.layers().stream().map(LayerPlan::annotations).toList());
        LayerPlan kept = new PreviousPlanner(ContentLayers.strip(read), 32).plan(List.of(new LayerInput("a", "a", 1)));
        assertThat(names(ContentLayers.add(kept, List.of("contents:/app")))).isEqualTo(names(built));
        LayerPlan single = LayerPlan.fromAnnotations(ContentLayers.add(new SinglePlanner().plan(List.of(new LayerInput("a", "a", 1))),
                List.of("contents:/app")).layers().stream().map(LayerPlan::annotations).toList());
        assertThat(names(new PreviousPlanner(ContentLayers.strip(single), 32).plan(List.of(new LayerInput("a", "a", 1)))))
                .containsExactly("rootfs");
    }
}
