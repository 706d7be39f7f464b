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
