package dev.kolibri.inspect;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.pkg.deb.BaseFiles;
import dev.kolibri.pkg.deb.Deb822;
import dev.kolibri.pkg.deb.DebMetadataException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dpkg's database: the paragraphs of {@code var/lib/dpkg/status.d/*} (distroless images; {@code .md5sums} and
 * {@code .list} files skipped) and of {@code var/lib/dpkg/status}. A paragraph counts when its {@code Status} ends
 * in {@code installed} or when it has no {@code Status} (status.d). The same {@code name:arch} in both places is
 * listed once (status.d first). The release of Debian's {@code base-files} tells the distribution
 * ({@link BaseFiles#debianRelease}).
 */
public final class DpkgDbReader implements PackageDbReader {
    static final String STATUS = "var/lib/dpkg/status";
    static final String STATUS_D = "var/lib/dpkg/status.d";
    private static final Pattern SOURCE = Pattern.compile("\\s*(\\S+)(?:\\s*\\(\\s*([^)\\s]+)\\s*\\))?\\s*");

    @Override
    public String ecosystem() {
        return "deb";
    }

    @Override
    public Optional<String> locate(FileTree tree) {
        boolean dir = tree.get(STATUS_D).filter(e -> e.type() == EntryType.DIRECTORY).isPresent()
                || !tree.under(STATUS_D).isEmpty();
        boolean file = tree.get(STATUS).filter(e -> e.type() == EntryType.FILE).isPresent();
        if (dir && file) return Optional.of("/" + STATUS_D + " and /" + STATUS);
        if (dir) return Optional.of("/" + STATUS_D);
        return file ? Optional.of("/" + STATUS) : Optional.empty();
    }

    @Override
    public Optional<OsIdentity> distro(List<PackageRecord> packages) {
        return packages.stream().filter(r -> r.name().equals(BaseFiles.PACKAGE)).findFirst()
                .flatMap(r -> BaseFiles.debianRelease(r.version())
                        .map(v -> new OsIdentity(BaseFiles.OS_ID, v, BaseFiles.PACKAGE + " " + r.version())));
    }

    @Override
    public List<PackageRecord> read(FileTree tree) {
        Map<String, PackageRecord> byKey = new LinkedHashMap<>();
        for (FileEntry e : tree.under(STATUS_D)) {
            if (e.type() != EntryType.FILE || e.path().endsWith(".md5sums") || e.path().endsWith(".list")) continue;
            parse(e, byKey);
        }
        tree.get(STATUS).filter(e -> e.type() == EntryType.FILE).ifPresent(e -> parse(e, byKey));
        List<PackageRecord> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparing(PackageRecord::name).thenComparing(PackageRecord::arch));
        return List.copyOf(out);
    }

    private static void parse(FileEntry file, Map<String, PackageRecord> out) {
        List<Deb822.Paragraph> paragraphs;
        try {
            paragraphs = Deb822.parse(new String(file.content(), StandardCharsets.UTF_8), "/" + file.path());
        } catch (DebMetadataException e) {
            throw new DebMetadataException("cannot read the dpkg database: " + e.getMessage());
        }
        for (Deb822.Paragraph p : paragraphs) {
            String status = p.get("Status");
            if (status != null && !status.strip().endsWith(" installed")) continue;
            String name = p.get("Package");
            if (name == null || name.isBlank()) continue;
            PackageRecord r = record(p);
            if (r.version().isEmpty() || r.arch().isEmpty()) continue;
            out.putIfAbsent(r.key(), r);
        }
    }

    /** A dpkg paragraph ({@code Package}, {@code Version}, {@code Architecture}, {@code Source}, ...) as a record. */
    public static PackageRecord record(Deb822.Paragraph p) {
        return record(p.asMap());
    }

    /** A control or status paragraph given as a field map (keys as written, any case). */
    public static PackageRecord record(Map<String, String> control) {
        PackageRecord raw = new PackageRecord("deb", "", "", "", null, null, null, control);
        String name = raw.field("Package");
        String version = raw.field("Version");
        String arch = raw.field("Architecture");
        String srcName = null;
        String srcVersion = null;
        String src = raw.field("Source");
        if (src != null) {
            Matcher m = SOURCE.matcher(src);
            if (m.matches()) {
                srcName = m.group(1);
                srcVersion = m.group(2);
            }
        }
        return new PackageRecord("deb", name == null ? "" : name.strip(), version == null ? "" : version.strip(),
                arch == null ? "" : arch.strip(), srcName, srcVersion, raw.field("Maintainer"), control);
    }
}
