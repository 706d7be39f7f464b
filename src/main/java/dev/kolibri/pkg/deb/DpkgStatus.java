package dev.kolibri.pkg.deb;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;
import dev.kolibri.fs.InstallReport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The dpkg package database of an image, written the way distroless images carry it: per package
 * {@code var/lib/dpkg/status.d/<name>} (its control paragraph with {@code Status: install ok installed}) and
 * {@code var/lib/dpkg/status.d/<name>.md5sums}; or, for images that keep dpkg, the classic single
 * {@code var/lib/dpkg/status} plus {@code info/<name>.list} and {@code info/<name>.md5sums}. Pure functions of
 * their inputs: no tree or clock is read.
 */
public final class DpkgStatus {
    public static final String STATUS_D = "var/lib/dpkg/status.d";
    public static final String STATUS_LINE = "install ok installed";

    /** dpkg's own field order (lib/dpkg/parse.c); fields it does not know follow in their original order. */
    private static final List<String> ORDER = List.of("Package", "Essential", "Protected", "Status", "Priority",
            "Section", "Installed-Size", "Origin", "Maintainer", "Bugs", "Architecture", "Multi-Arch", "Source",
            "Version", "Config-Version", "Replaces", "Provides", "Depends", "Pre-Depends", "Recommends", "Suggests",
            "Breaks", "Conflicts", "Enhances", "Conffiles", "Filename", "Size", "MD5sum", "MSDOS-Filename",
            "Description", "Triggers-Pending", "Triggers-Awaited");

    private DpkgStatus() {}

    /**
     * One installed package.
     *
     * @param name    package name (the {@code Package} field)
     * @param control fields of its {@code DEBIAN/control}, in file order
     * @param md5sums the package's {@code md5sums} member verbatim, or empty to compute one from {@code files}
     * @param files   what it installed, in install order: directories, symlinks, and regular files (hardlinks
     *                given as regular files with the content they share)
     */
    public record Installed(String name, Map<String, String> control, Optional<String> md5sums, List<FileEntry> files) {
        public Installed {
            Objects.requireNonNull(name, "name");
            control = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(control));
            Objects.requireNonNull(md5sums, "md5sums");
            files = List.copyOf(files);
            for (FileEntry f : files) {
                if (f.type() == EntryType.HARDLINK) throw new IllegalArgumentException(name + ": " + f.path()
                        + ": give hardlinks as regular files (see Installed.of)");
            }
        }

        /**
         * This package without the paths {@code gone} (relative, as the tree keys them) that the build left out:
         * its file list and its md5sums (the archive's member too, line by line) name only what the image holds.
         */
        public Installed without(java.util.Set<String> gone) {
            if (gone.isEmpty()) return this;
            List<FileEntry> kept = files.stream().filter(f -> !gone.contains(f.path())).toList();
            Optional<String> sums = md5sums.map(m -> {
                StringBuilder sb = new StringBuilder();
                for (String line : m.split("\n")) {
                    if (line.isEmpty()) continue;
                    int sep = line.indexOf("  ");
                    String path = sep < 0 ? line : line.substring(sep + 2).replaceFirst("^(\\./|/)+", "");
                    if (!gone.contains(path)) sb.append(line).append('\n');
                }
                return sb.toString();
            });
            return new Installed(name, control, sums, kept);
        }

        /** Collects what {@code report} says {@code deb} installed from {@code tree}, resolving hardlinks. */
        public static Installed of(DebArchive deb, InstallReport report, FileTree tree) {
            return of(deb.name(), deb.control(), deb.md5sums(), report, tree);
        }

        /** Collects what {@code report} says the package installed from {@code tree}, resolving hardlinks. */
        public static Installed of(String name, Map<String, String> control, Optional<String> md5sums,
                                   InstallReport report, FileTree tree) {
            List<FileEntry> files = new ArrayList<>();
            for (String p : report.paths()) {
                FileEntry e = tree.get(p).orElseThrow(() -> new IllegalArgumentException(
                        report.owner() + ": installed path '" + p + "' is not in the tree"));
                if (e.type() == EntryType.HARDLINK) {
                    String target = e.linkTarget();
                    FileEntry t = tree.get(target).orElseThrow(() -> new IllegalArgumentException(
                            report.owner() + ": hardlink '" + p + "' points to missing '" + target + "'"));
                    files.add(FileEntry.file(p, t.mode(), t.uid(), t.gid(), e.mtime(), t.data(), e.owner()));
                } else {
                    files.add(e);
                }
            }
            return new Installed(name, control, md5sums, files);
        }
    }

    /**
     * The status.d entries for every package: {@code <name>} and {@code <name>.md5sums}, mode 0644, root, owned by
     * the package, mtime {@code epoch}; sorted by path. Parent directories are not included (see {@link #directories}).
     */
    public static List<FileEntry> statusD(List<Installed> packages, long epoch) {
        List<FileEntry> out = new ArrayList<>();
        for (Installed p : sorted(packages)) {
            out.add(FileEntry.file(STATUS_D + "/" + p.name(), 0644, 0, 0, epoch, bytes(paragraph(p)), p.name()));
            out.add(FileEntry.file(STATUS_D + "/" + p.name() + ".md5sums", 0644, 0, 0, epoch, bytes(md5sums(p)), p.name()));
        }
        out.sort(Comparator.comparing(FileEntry::path));
        return out;
    }

    /** {@code var}, {@code var/lib}, {@code var/lib/dpkg} and {@code var/lib/dpkg/status.d}: 0755, root, owner "". */
    public static List<FileEntry> directories(long epoch) {
        return List.of("var", "var/lib", "var/lib/dpkg", STATUS_D).stream()
                .map(d -> FileEntry.directory(d, 0755, 0, 0, epoch, "")).toList();
    }

    /** The control paragraph in dpkg's field order with the Status field, ending in a newline. */
    public static String paragraph(Installed p) {
        Map<String, String> in = new LinkedHashMap<>(p.control());
        ControlFields.findKey(in, "Status").ifPresent(in::remove);
        String pkgKey = ControlFields.findKey(in, "Package").orElse(null);
        if (pkgKey == null || !in.get(pkgKey).equals(p.name())) {
            throw new IllegalArgumentException("package '" + p.name() + "': control Package field is '"
                    + (pkgKey == null ? "(missing)" : in.get(pkgKey)) + "'");
        }
        in.put("Status", STATUS_LINE);
        Map<String, String> out = new LinkedHashMap<>();
        for (String known : ORDER) {
            ControlFields.findKey(in, known).ifPresent(k -> out.put(known, in.remove(k)));
        }
        out.putAll(in);
        return ControlFields.render(out);
    }

    /** The package's md5sums: the archive's member verbatim, else {@code <md5>  <path>} per regular file, sorted. */
    public static String md5sums(Installed p) {
        if (p.md5sums().isPresent()) return p.md5sums().get();
        StringBuilder sb = new StringBuilder();
        p.files().stream().filter(f -> f.type() == EntryType.FILE).sorted(Comparator.comparing(FileEntry::path))
                .forEach(f -> sb.append(md5(f.data())).append("  ").append(f.path()).append('\n'));
        return sb.toString();
    }

    /** dpkg's {@code info/<name>.list}: {@code /.} then every installed path, absolute, in install order. */
    public static String list(Installed p) {
        StringBuilder sb = new StringBuilder("/.\n");
        for (FileEntry f : p.files()) sb.append('/').append(f.path()).append('\n');
        return sb.toString();
    }

    /**
     * The classic single-file {@code var/lib/dpkg/status}: every paragraph, sorted by name, each followed by a blank
     * line, exactly as dpkg writes it.
     */
    public static String statusFile(List<Installed> packages) {
        StringBuilder sb = new StringBuilder();
        for (Installed p : sorted(packages)) sb.append(paragraph(p)).append('\n');
        return sb.toString();
    }

    private static List<Installed> sorted(List<Installed> packages) {
        List<Installed> s = new ArrayList<>(packages);
        s.sort(Comparator.comparing(Installed::name));
        for (int i = 1; i < s.size(); i++) {
            if (s.get(i).name().equals(s.get(i - 1).name())) {
                throw new IllegalArgumentException("package '" + s.get(i).name() + "' is listed twice");
            }
        }
        return s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The MD5 of a file's content, streamed (a package file may be bigger than memory). */
    private static String md5(dev.kolibri.fs.Content c) {
        try (java.io.InputStream in = c.open()) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read a file to compute its md5sum: " + e.getMessage(), e);
        }
    }
}
