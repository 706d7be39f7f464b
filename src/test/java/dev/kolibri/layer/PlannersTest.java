package dev.kolibri.layer;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlannersTest {
    private static List<LayerInput> inputs(int n) {
        List<LayerInput> in = new ArrayList<>();
        for (int i = 0; i < n; i++) in.add(new LayerInput("pkg" + i, "src" + (i / 2), 1000L * (n - i)));
        return in;
    }

    private static Map<String, String> layerOf(LayerPlan p) {
        Map<String, String> m = new HashMap<>();
        for (PlannedLayer l : p.layers()) for (String pk : l.packages()) m.put(pk, l.name());
        return m;
    }

    @Test
    void origin_groupsBySource_andKeepsTheImageLayerLast() {
        LayerPlan p = new OriginPlanner(32).plan(List.of(new LayerInput("libc6", "glibc", 10),
                new LayerInput("libc-bin", "glibc", 5), new LayerInput("zlib1g", "zlib", 1), new LayerInput("", "", 3)));
        assertThat(p.layers()).containsExactly(new PlannedLayer("origin:glibc", List.of("libc-bin", "libc6")),
                new PlannedLayer("origin:zlib", List.of("zlib1g")), new PlannedLayer("image", List.of()));
        assertThat(p.layerOf("")).isEqualTo(2);
    }

    @Test
    void origin_manyGroups_fitTheBudget_everyPackageOnce() {
        for (int budget : new int[] {1, 2, 3, 5, 8, 32, 127}) {
            List<LayerInput> in = inputs(300);
            LayerPlan p = new OriginPlanner(budget).plan(in);
            assertThat(p.layers().size()).as("budget %d", budget).isLessThanOrEqualTo(budget);
            assertThat(layerOf(p).keySet()).hasSize(300);
            assertThat(p.layers().get(p.layers().size() - 1).name()).isEqualTo("image");
        }
    }

    @Test
    void origin_isDeterministic_whateverTheInputOrder() {
        List<LayerInput> in = inputs(100);
        List<LayerInput> rev = new ArrayList<>(in);
        java.util.Collections.reverse(rev);
        assertThat(new OriginPlanner(16).plan(rev)).isEqualTo(new OriginPlanner(16).plan(in));
    }

    @Test
    void origin_addingOrRemovingASmallGroup_movesNoOtherPackage() {
        List<LayerInput> in = inputs(100);
        Map<String, String> before = layerOf(new OriginPlanner(16).plan(in));
        List<LayerInput> plus = new ArrayList<>(in);
        plus.add(new LayerInput("tiny", "tiny-src", 1));
        Map<String, String> after = layerOf(new OriginPlanner(16).plan(plus));
        for (LayerInput i : in) assertThat(after.get(i.owner())).as(i.owner()).isEqualTo(before.get(i.owner()));
        List<LayerInput> minus = new ArrayList<>(in.subList(0, in.size() - 2)); // the smallest source, src49
        Map<String, String> less = layerOf(new OriginPlanner(16).plan(minus));
        for (LayerInput i : minus) assertThat(less.get(i.owner())).as(i.owner()).isEqualTo(before.get(i.owner()));
    }

    @Test
    void origin_sizeChangesBelowTheBigOnes_moveNothing() {
        List<LayerInput> in = inputs(100);
        Map<String, String> before = layerOf(new OriginPlanner(16).plan(in));
        List<LayerInput> changed = new ArrayList<>(in);
        changed.set(60, new LayerInput("pkg60", "src30", 1234));
        assertThat(layerOf(new OriginPlanner(16).plan(changed))).isEqualTo(before);
    }

    @Test
    void package_oneLayerPerPackage_whenTheyFit() {
        LayerPlan p = new PackagePlanner(32).plan(List.of(new LayerInput("libc6", "glibc", 10),
                new LayerInput("libc-bin", "glibc", 5)));
        assertThat(p.layers()).extracting(PlannedLayer::name).containsExactly("package:libc-bin", "package:libc6", "image");
        assertThat(new PackagePlanner(10).plan(inputs(50)).layers()).hasSizeLessThanOrEqualTo(10);
    }

    @Test
    void budgetOne_isOneLayer() {
        LayerPlan p = new PackagePlanner(1).plan(inputs(3));
        assertThat(p.layers()).containsExactly(new PlannedLayer("image", List.of("pkg0", "pkg1", "pkg2")));
        assertThatThrownBy(() -> new OriginPlanner(0).plan(inputs(1))).hasMessageContaining("at least 1");
    }

    @Test
    void previous_keepsLayers_dropsEmptyOnes_putsNewPackagesInTheNewLayer() {
        LayerPlan prev = new LayerPlan(List.of(new PlannedLayer("origin:glibc", List.of("libc6", "libc-bin")),
                new PlannedLayer("origin:gone", List.of("old")), new PlannedLayer("pack-01", List.of("a", "b")),
                new PlannedLayer("image", List.of())));
        LayerPlan p = new PreviousPlanner(prev, 32).plan(List.of(new LayerInput("libc6", "glibc", 1),
                new LayerInput("libc-bin", "glibc", 1), new LayerInput("a", "a", 1), new LayerInput("b", "b", 1),
                new LayerInput("fresh", "fresh", 1)));
        assertThat(p.layers()).containsExactly(new PlannedLayer("origin:glibc", List.of("libc-bin", "libc6")),
                new PlannedLayer("pack-01", List.of("a", "b")), new PlannedLayer("new", List.of("fresh")),
                new PlannedLayer("image", List.of()));
        // no room for a new layer: into the last one
        LayerPlan tight = new PreviousPlanner(prev, 3).plan(List.of(new LayerInput("libc6", "glibc", 1),
                new LayerInput("a", "a", 1), new LayerInput("fresh", "fresh", 1)));
        assertThat(tight.layers()).containsExactly(new PlannedLayer("origin:glibc", List.of("libc6")),
                new PlannedLayer("pack-01", List.of("a")), new PlannedLayer("image", List.of("fresh")));
    }

    @Test
    void annotations_roundTrip_andAForeignImageIsRefused() {
        LayerPlan p = new OriginPlanner(8).plan(inputs(20));
        List<Map<String, String>> ann = p.layers().stream().map(LayerPlan::annotations).toList();
        assertThat(LayerPlan.fromAnnotations(ann)).isEqualTo(p);
        assertThatThrownBy(() -> LayerPlan.fromAnnotations(List.of(Map.of())))
                .hasMessageContaining("layer 1 has no dev.kolibri.layer.name annotation");
    }

    @Test
    void previousImage_registryReference_isNotSupportedYet() {
        assertThatThrownBy(() -> PreviousImage.open("ghcr.example/team/python:3.11"))
                .isInstanceOf(LayerPlanException.class).hasMessageContaining("reads only OCI layouts");
        assertThatThrownBy(() -> PreviousImage.open("/nonexistent/layout:tag"))
                .isInstanceOf(LayerPlanException.class).hasMessageContaining("no OCI layout directory /nonexistent/layout");
    }

    @Test
    void partitionShared_directoriesComeFromClaims_andTakeTheLayersOwnTime() {
        FileTree t = new FileTree();
        t.put(FileEntry.directory("usr", 0755, 0, 0, 50, "aaa"));
        t.put(FileEntry.directory("usr/lib", 0755, 0, 0, 60, "aaa"));
        t.put(FileEntry.directory("usr/lib/empty", 0700, 0, 0, 70, "aaa"));
        t.put(FileEntry.file("usr/lib/a.so", 0644, 0, 0, 40, new byte[] {1}, "aaa"));
        t.put(FileEntry.file("usr/lib/libc.so", 0644, 0, 0, 20, new byte[] {2}, "libc"));
        t.put(new FileEntry("usr/lib/libc2.so", EntryType.HARDLINK, 0644, 0, 0, 20, "usr/lib/libc.so", null, "libc"));
        t.put(FileEntry.file("etc/passwd", 0644, 0, 0, 99, new byte[] {3}, ""));
        LayerPlan plan = new LayerPlan(List.of(new PlannedLayer("aaa", List.of("aaa")),
                new PlannedLayer("libc", List.of("libc")), new PlannedLayer("image", List.of())));
        Map<String, List<String>> claims = Map.of("libc", List.of("usr", "usr/lib", "usr/lib/empty", "usr/lib/libc.so",
                "usr/lib/libc2.so"));
        List<List<FileEntry>> parts = Partition.partitionShared(t, plan, claims, 1000);
        assertThat(parts.get(1)).extracting(FileEntry::path).containsExactly("usr", "usr/lib", "usr/lib/empty",
                "usr/lib/libc.so", "usr/lib/libc2.so");
        assertThat(parts.get(1)).allSatisfy(e -> assertThat(e.mtime()).isEqualTo(20));
        assertThat(parts.get(1).get(2).mode()).isEqualTo(0700);
        assertThat(parts.get(0)).filteredOn(e -> e.type() == EntryType.DIRECTORY).allSatisfy(e -> assertThat(e.mtime()).isEqualTo(40));
        assertThat(parts.get(2)).extracting(FileEntry::path).containsExactly("etc/passwd");
        // clamped to the epoch
        assertThat(Partition.partitionShared(t, plan, claims, 10).get(1).get(0).mtime()).isEqualTo(10);
    }

    @Test
    void imageOwned_marksWhatFinalizeAddedOrChanged() {
        FileTree t = new FileTree();
        t.put(FileEntry.file("etc/os-release", 0644, 0, 0, 1, new byte[] {1}, "base-files"));
        t.put(FileEntry.file("usr/bin/x", 0755, 0, 0, 1, new byte[] {2}, "x"));
        Map<String, FileEntry> before = ImageOwned.snapshot(t);
        t.put(FileEntry.file("etc/os-release", 0644, 0, 0, 9, new byte[] {3}, "base-files"));
        t.put(FileEntry.file("etc/passwd", 0644, 0, 0, 9, new byte[] {4}, ""));
        FileTree marked = ImageOwned.mark(before, t);
        Set<String> own = new TreeSet<>();
        for (FileEntry e : marked.entries()) if (e.owner().isEmpty()) own.add(e.path());
        assertThat(own).containsExactly("etc/os-release", "etc/passwd");
        assertThat(marked.get("usr/bin/x").orElseThrow().owner()).isEqualTo("x");
    }
}
