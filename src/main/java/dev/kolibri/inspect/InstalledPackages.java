package dev.kolibri.inspect;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.pkg.deb.Deb822;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Reads the package databases an image carries: dpkg {@code status.d/} (distroless) and {@code status}. */
public final class InstalledPackages {
    private InstalledPackages() {}

    public static List<Inspection.InstalledPackage> read(FileTree tree) {
        List<Inspection.InstalledPackage> out = new ArrayList<>();
        for (FileEntry e : tree.under("var/lib/dpkg/status.d")) {
            if (e.type() != EntryType.FILE || e.path().endsWith(".md5sums") || e.path().endsWith(".list")) continue;
            parse(new String(e.content(), StandardCharsets.UTF_8), e.path(), out);
        }
        tree.get("var/lib/dpkg/status").filter(e -> e.type() == EntryType.FILE)
                .ifPresent(e -> parse(new String(e.content(), StandardCharsets.UTF_8), e.path(), out));
        out.sort(Comparator.comparing(Inspection.InstalledPackage::name).thenComparing(Inspection.InstalledPackage::arch));
        return out.stream().distinct().toList();
    }

    /**
     * An installed package with its source package's name and version: dpkg's {@code Source: src (version)} when the
     * source version differs from the binary's (binNMUs), else the binary's own version.
     */
    public record WithSource(String name, String version, String arch, String sourceName, String sourceVersion) {}

    /** Like {@link #read}, with source versions. */
    public static List<WithSource> readWithSources(FileTree tree) {
        List<WithSource> out = new ArrayList<>();
        for (FileEntry e : tree.under("var/lib/dpkg/status.d")) {
            if (e.type() != EntryType.FILE || e.path().endsWith(".md5sums") || e.path().endsWith(".list")) continue;
            parseWithSources(new String(e.content(), StandardCharsets.UTF_8), e.path(), out);
        }
        tree.get("var/lib/dpkg/status").filter(e -> e.type() == EntryType.FILE)
                .ifPresent(e -> parseWithSources(new String(e.content(), StandardCharsets.UTF_8), e.path(), out));
        out.sort(Comparator.comparing(WithSource::name).thenComparing(WithSource::arch));
        return out.stream().distinct().toList();
    }

    private static void parseWithSources(String text, String source, List<WithSource> out) {
        for (Deb822.Paragraph para : Deb822.parse(text, source)) {
            Map<String, String> p = para.asMap();
            String status = p.getOrDefault("Status", "install ok installed");
            if (!status.endsWith(" installed")) continue;
            String name = p.get("Package");
            if (name == null) continue;
            String version = p.getOrDefault("Version", "");
            String[] src = p.getOrDefault("Source", name).strip().split("\\s+", 2);
            String srcVersion = version;
            if (src.length == 2 && src[1].startsWith("(") && src[1].endsWith(")")) {
                srcVersion = src[1].substring(1, src[1].length() - 1).strip();
            }
            out.add(new WithSource(name, version, p.getOrDefault("Architecture", ""), src[0], srcVersion));
        }
    }

    private static void parse(String text, String source, List<Inspection.InstalledPackage> out) {
        for (Deb822.Paragraph para : Deb822.parse(text, source)) {
            Map<String, String> p = para.asMap();
            String status = p.getOrDefault("Status", "install ok installed");
            if (!status.endsWith(" installed")) continue;
            String name = p.get("Package");
            if (name == null) continue;
            String src = p.getOrDefault("Source", name).split(" ")[0];
            out.add(new Inspection.InstalledPackage(name, p.getOrDefault("Version", ""),
                    p.getOrDefault("Architecture", ""), src));
        }
    }
}
