package dev.kolibri.build;

import dev.kolibri.describe.SbomInputs;
import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.inspect.ImagePackages;
import dev.kolibri.inspect.PackageRecord;
import dev.kolibri.pkg.Distro;
import dev.kolibri.sbom.Licenses;
import dev.kolibri.spec.ImageSpec;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The labels a definition with a {@code main:} package gets from its build (docs/parts/catalog.md): the
 * {@code org.opencontainers.image.*} set and Kolibri's {@code dev.kolibri.image.*} set, from the definition, the
 * lock's distro identity and the main package as the image's package database records it. The same map is written
 * into the image as {@value #FILE}, for scanners that read only files.
 */
public final class DerivedLabels {
    /** Where the labels are written in the image. */
    public static final String FILE = "usr/lib/kolibri/labels.json";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Pattern UPSTREAM = Pattern.compile("^(?:\\d+:)?(\\d+(?:\\.\\d+)*)");

    private DerivedLabels() {}

    /**
     * The labels of {@code spec}'s main package in {@code tree} (after finalize), or an empty map when the
     * definition names no main package.
     *
     * @throws BuildException when the main package is not in the image
     */
    public static Map<String, String> of(ImageSpec spec, FileTree tree, Distro distro, String arch) throws BuildException {
        Map<String, String> l = new TreeMap<>();
        if (spec.main() == null) return l;
        PackageRecord main = ImagePackages.read(tree).packages().stream()
                .filter(p -> p.name().equals(spec.main()))
                .findFirst()
                .orElseThrow(() -> new BuildException(spec.name() + " (" + arch + "): the main package `" + spec.main()
                        + "` is not in the image; name one of the packages it installs under `main:`"));
        String upstream = upstreamVersion(main.version()).orElse(main.version());
        l.put("org.opencontainers.image.title", spec.name());
        l.put("org.opencontainers.image.version", upstream);
        String summary = summary(main);
        if (summary != null) l.put("org.opencontainers.image.description", summary);
        String license = main.ecosystem().equals("rpm") ? Licenses.fromRpmLicense(main.field("License"))
                : SbomInputs.license(tree, main.name());
        if (license != null && !license.isBlank()) l.put("org.opencontainers.image.licenses", license);
        l.put("dev.kolibri.image.name", spec.name());
        if (spec.version() != null) l.put("dev.kolibri.image.stream", spec.version());
        l.put("dev.kolibri.image.variant", spec.variant() == null ? "base" : spec.variant());
        if (distro != null && distro.versionId() != null) l.put("dev.kolibri.image.distro.version", distro.versionId());
        l.put("dev.kolibri.image.main", main.name());
        l.put("dev.kolibri.image.main.version", main.version());
        return l;
    }

    /**
     * The leading numeric part of a package version's upstream part: {@code 3.13.5} of {@code 3.13.5-2},
     * {@code 21.0.8} of {@code 21.0.8+9-1~deb13u1}, {@code 1.26.3} of {@code 1:1.26.3-3}; empty when it starts with no digit.
     */
    public static Optional<String> upstreamVersion(String packageVersion) {
        Matcher m = UPSTREAM.matcher(packageVersion);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String summary(PackageRecord p) {
        String s = p.field("Summary");
        if (s == null) s = p.field("Description");
        if (s == null) return null;
        String first = s.lines().findFirst().orElse("").strip();
        return first.isEmpty() ? null : first;
    }

    /** The labels as the JSON file the image holds: sorted keys, two-space indent, a final newline. */
    public static byte[] json(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder("{\n");
        var it = new TreeMap<>(labels).entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            sb.append("  ").append(quote(e.getKey())).append(": ").append(quote(e.getValue())).append(it.hasNext() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@link #FILE} into {@code tree} (0644 root, parents 0755), replacing nothing a package installed. */
    static void write(FileTree tree, Map<String, String> labels, long epoch) throws BuildException {
        if (tree.get(FILE).isPresent()) {
            throw new BuildException("/" + FILE + " is in the image already (a package or contents: put it there); Kolibri writes its labels there");
        }
        String dir = "";
        for (String seg : FILE.substring(0, FILE.lastIndexOf('/')).split("/")) {
            dir = dir.isEmpty() ? seg : dir + "/" + seg;
            FileEntry d = tree.get(dir).orElse(null);
            if (d == null) {
                tree.put(FileEntry.directory(dir, 0755, 0, 0, epoch, ""));
            } else if (d.type() != EntryType.DIRECTORY) {
                throw new BuildException("/" + dir + " is a " + d.type().name().toLowerCase(java.util.Locale.ROOT)
                        + " in the image, so Kolibri cannot write its labels to /" + FILE);
            }
        }
        tree.put(FileEntry.file(FILE, 0644, 0, 0, epoch, json(labels), ""));
    }
}
