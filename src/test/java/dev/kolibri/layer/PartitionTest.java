package dev.kolibri.layer;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionTest {
    private static FileTree tree() {
        FileTree t = new FileTree();
        t.put(FileEntry.directory("etc", 0755, 0, 0, 1, "base-files"));
        t.put(FileEntry.directory("home", 0755, 0, 0, 1, "base-files"));
        t.put(FileEntry.directory("home/nonroot", 0700, 65532, 65532, 1, ""));
        t.put(FileEntry.file("home/nonroot/.profile", 0600, 65532, 65532, 1, new byte[]{1}, ""));
        t.put(FileEntry.file("etc/os-release", 0644, 0, 0, 1, new byte[]{2}, "base-files"));
        t.put(FileEntry.file("etc/passwd", 0644, 0, 0, 1, new byte[]{3}, ""));
        t.put(FileEntry.file("usr/bin/perl", 0755, 0, 0, 1, new byte[]{4}, "perl"));
        t.put(new FileEntry("usr/bin/perl5", EntryType.HARDLINK, 0755, 0, 0, 1, "usr/bin/perl", null, "perl-extra"));
        t.put(FileEntry.file("usr/bin/unplanned", 0755, 0, 0, 1, new byte[]{5}, "stray"));
        return t;
    }

    @Test
    void singlePlanner_putsEveryOwnerInOneRootfsLayer() {
        LayerPlan p = new SinglePlanner().plan(List.of(new LayerInput("zlib", "zlib", 10), new LayerInput("", "", 1),
                new LayerInput("base-files", "base-files", 5), new LayerInput("zlib", "zlib", 10)));
        assertThat(p.layers()).containsExactly(new PlannedLayer("rootfs", List.of("", "base-files", "zlib")));
        assertThat(p.layers().get(0).packagesAnnotation()).isEqualTo(",base-files,zlib");
        assertThat(LayerPlan.PACKAGES_ANNOTATION).isEqualTo("dev.kolibri.layer.packages");
    }

    @Test
    void partition_single_keepsEverythingInOrder() {
        FileTree t = tree();
        List<List<FileEntry>> parts = Partition.partition(t, new SinglePlanner().plan(List.of()));
        assertThat(parts).hasSize(1);
        assertThat(parts.get(0)).containsExactlyElementsOf(t.entries());
    }

    @Test
    void partition_byOwner_everyEntryHasOneHome_andParentsAreRepeated() {
        FileTree t = tree();
        LayerPlan plan = new LayerPlan(List.of(new PlannedLayer("base", List.of("base-files")),
                new PlannedLayer("perl", List.of("perl", "perl-extra")), new PlannedLayer("own", List.of(""))));
        List<List<FileEntry>> parts = Partition.partition(t, plan);
        assertThat(parts.get(0)).extracting(FileEntry::path).containsExactly("etc", "etc/os-release", "home");
        assertThat(parts.get(1)).extracting(FileEntry::path).containsExactly("usr/bin/perl", "usr/bin/perl5");
        // "stray" is not planned: last layer. home/nonroot is the image's own; etc and home are repeated as parents.
        assertThat(parts.get(2)).extracting(FileEntry::path).containsExactly("etc", "etc/passwd", "home",
                "home/nonroot", "home/nonroot/.profile", "usr/bin/unplanned");

        Map<String, Integer> homes = new HashMap<>();
        for (List<FileEntry> layer : parts) {
            for (FileEntry e : layer) {
                assertThat(e).isEqualTo(t.get(e.path()).orElseThrow());
                if (e.type() != EntryType.DIRECTORY || plan.layerOf(e.owner()) == parts.indexOf(layer)) {
                    homes.merge(e.path(), 1, Integer::sum);
                }
            }
        }
        assertThat(homes.keySet()).containsExactlyInAnyOrderElementsOf(t.entries().stream().map(FileEntry::path).toList());
        assertThat(homes.values()).containsOnly(1);
    }

    @Test
    void partition_hardlinkFollowsItsTarget() {
        FileTree t = tree();
        LayerPlan plan = new LayerPlan(List.of(new PlannedLayer("perl", List.of("perl")),
                new PlannedLayer("extra", List.of("perl-extra")), new PlannedLayer("rest", List.of())));
        List<List<FileEntry>> parts = Partition.partition(t, plan);
        assertThat(parts.get(0)).extracting(FileEntry::path).containsExactly("usr/bin/perl", "usr/bin/perl5");
        assertThat(parts.get(1)).isEmpty();
        List<String> all = new ArrayList<>();
        parts.forEach(p -> p.forEach(e -> all.add(e.path())));
        assertThat(all).doesNotHaveDuplicates();
    }

    @Test
    void plan_refusesAPackageInTwoLayers() {
        assertThatThrownBy(() -> new LayerPlan(List.of(new PlannedLayer("a", List.of("x")), new PlannedLayer("b", List.of("x")))))
                .hasMessageContaining("package 'x' is planned into two layers: a and b");
        assertThatThrownBy(() -> new LayerPlan(List.of())).hasMessageContaining("at least one layer");
    }
}
