package dev.kolibri.layer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The fresh (no previous build) plan shared by {@link OriginPlanner} and {@link PackagePlanner}: owners grouped by
 * a key; when the groups fit, one layer each; otherwise the biggest get their own layers and the rest go to a few
 * "pack" layers chosen by a hash of the group key, so adding or removing one small group never moves another.
 * One slot is kept free for the {@value #NEW_LAYER} layer a later {@code --previous} build may need, and the image's
 * own files always go to the last layer, {@value #IMAGE_LAYER}.
 */
final class Packing {
    /** The last layer: the image's own files (owner {@code ""}) and any owner the plan does not name. */
    static final String IMAGE_LAYER = "image";
    /** The layer, just below the last, where a {@code --previous} build puts packages the previous one lacked. */
    static final String NEW_LAYER = "new";

    private Packing() {}

    static LayerPlan plan(List<LayerInput> inputs, int budget, String prefix, Function<LayerInput, String> key) {
        if (budget < 1) throw new IllegalArgumentException("a layer budget must be at least 1, not " + budget);
        TreeMap<String, List<String>> owners = new TreeMap<>();
        TreeMap<String, Long> sizes = new TreeMap<>();
        for (LayerInput i : inputs) {
            if (i.owner().isEmpty()) continue;
            String k = key.apply(i);
            owners.computeIfAbsent(k, x -> new ArrayList<>()).add(i.owner());
            sizes.merge(k, i.size(), Long::sum);
        }
        if (budget == 1) {
            List<String> all = new ArrayList<>();
            owners.values().forEach(all::addAll);
            return new LayerPlan(List.of(new PlannedLayer(IMAGE_LAYER, all)));
        }
        int slots = budget - 1 - (budget >= 3 ? 1 : 0);
        List<PlannedLayer> layers = new ArrayList<>();
        if (owners.size() <= slots) {
            owners.forEach((k, o) -> layers.add(new PlannedLayer(prefix + k, o)));
        } else {
            int bins = Math.max(1, slots / 4);
            List<String> bySize = new ArrayList<>(owners.keySet());
            bySize.sort(Comparator.comparing((String k) -> sizes.get(k)).reversed().thenComparing(Comparator.naturalOrder()));
            TreeSet<String> big = new TreeSet<>(bySize.subList(0, slots - bins));
            TreeMap<Integer, List<String>> packs = new TreeMap<>();
            for (var e : owners.entrySet()) {
                if (big.contains(e.getKey())) continue;
                packs.computeIfAbsent(bin(e.getKey(), bins), x -> new ArrayList<>()).addAll(e.getValue());
            }
            for (String k : big) layers.add(new PlannedLayer(prefix + k, owners.get(k)));
            packs.forEach((b, o) -> layers.add(new PlannedLayer(String.format("pack-%02d", b), o)));
        }
        layers.add(new PlannedLayer(IMAGE_LAYER, List.of()));
        return new LayerPlan(layers);
    }

    /** A stable bin for a group key: the first four bytes of its sha256, modulo {@code bins}. */
    static int bin(String key, int bins) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            int v = ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
            return Math.floorMod(v, bins);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

}
