package dev.kolibri.catalog;

import dev.kolibri.spec.ImageSpec;
import dev.kolibri.spec.SpecLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A directory of image definitions: every {@code *.yaml} directly in it (distro files live in {@code distros/},
 * so they are not among them), grouped by image name into streams, one per file.
 *
 * @param directory the catalog's directory
 * @param streams   the definitions, by file name
 */
public record Catalog(Path directory, List<ImageSpec> streams) {
    public Catalog {
        streams = List.copyOf(streams);
    }

    /**
     * Reads every definition in {@code dir}.
     *
     * @throws CatalogException when the directory has no definitions, when two streams of one image have the same
     *                          {@code version}, or when more than one says {@code latest: true}
     * @throws dev.kolibri.spec.SpecException naming the file and line of a definition that is not valid
     */
    public static Catalog load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new CatalogException(dir + ": no such catalog directory; give the directory of the image definitions (default images/)");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml") && Files.isRegularFile(p)).sorted().toList();
        }
        if (files.isEmpty()) throw new CatalogException(dir + ": no image definitions (*.yaml) in this directory");
        List<ImageSpec> specs = new ArrayList<>();
        for (Path f : files) specs.add(SpecLoader.load(f));
        Catalog c = new Catalog(dir, specs);
        c.check();
        return c;
    }

    private void check() {
        for (Map.Entry<String, List<ImageSpec>> e : byName().entrySet()) {
            Map<String, Path> versions = new TreeMap<>();
            List<Path> latest = new ArrayList<>();
            for (ImageSpec s : e.getValue()) {
                String v = s.version() == null ? "(none)" : s.version();
                Path was = versions.putIfAbsent(v, s.source());
                if (was != null) {
                    throw new CatalogException(s.source() + ": image " + e.getKey() + " version " + v + " is also defined by "
                            + was + "; give each stream of an image its own `version:`");
                }
                if (s.latest()) latest.add(s.source());
            }
            if (latest.size() > 1) {
                throw new CatalogException("image " + e.getKey() + ": " + latest.size() + " streams say `latest: true` ("
                        + String.join(", ", latest.stream().map(Path::toString).toList()) + "); keep it on one");
            }
        }
    }

    /** The streams of each image name, names sorted, streams in file order. */
    public Map<String, List<ImageSpec>> byName() {
        Map<String, List<ImageSpec>> out = new TreeMap<>();
        for (ImageSpec s : streams) out.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        return out;
    }

    /**
     * The flavours of the images named {@code names} (every image when empty): each stream's base, its variants and
     * their combinations with {@code builder} ({@link ImageSpec#flavours()}).
     *
     * @throws CatalogException naming the images that exist when a name is not one of them
     */
    public List<Flavour> flavours(Set<String> names) {
        Map<String, List<ImageSpec>> byName = byName();
        for (String n : names) {
            if (!byName.containsKey(n)) {
                throw new CatalogException("no image `" + n + "` in " + directory + " (it has: " + String.join(", ", byName.keySet()) + ")");
            }
        }
        List<Flavour> out = new ArrayList<>();
        for (Map.Entry<String, List<ImageSpec>> e : byName.entrySet()) {
            if (!names.isEmpty() && !names.contains(e.getKey())) continue;
            for (ImageSpec s : e.getValue()) for (String v : s.flavours()) out.add(new Flavour(s, v));
        }
        return out;
    }
}
