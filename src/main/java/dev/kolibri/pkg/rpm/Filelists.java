package dev.kolibri.pkg.rpm;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a repository's {@code filelists.xml} (decompressed), streaming, keeping only the paths asked for: files,
 * directories and ghosts alike (each is something a package owns, as libsolv counts them).
 */
public final class Filelists {
    private Filelists() {}

    /**
     * @param wanted the paths of interest (file dependencies that primary does not meet)
     * @return package id (the package's sha256, primary's {@code pkgid}) to the wanted paths it owns, both sorted
     */
    public static Map<String, SortedSet<String>> read(InputStream xml, String source, Set<String> wanted) {
        XMLStreamReader r = Xml.reader(xml, source);
        Map<String, SortedSet<String>> out = new TreeMap<>();
        boolean root = false;
        try {
            String pkgid = null;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("package")) {
                    pkgid = null;
                    continue;
                }
                if (ev != XMLStreamConstants.START_ELEMENT) continue;
                String n = r.getLocalName();
                if (!root) {
                    if (!n.equals("filelists")) throw new RpmMetadataException(source + ": root element is <" + n + ">, not <filelists>");
                    root = true;
                    continue;
                }
                switch (n) {
                    case "package" -> {
                        String id = Xml.attr(r, "pkgid");
                        if (id == null || id.isBlank()) throw new RpmMetadataException(Xml.where(source, r) + ": <package> without pkgid");
                        pkgid = id.strip().toLowerCase(Locale.ROOT);
                    }
                    case "file" -> {
                        if (pkgid == null) throw new RpmMetadataException(Xml.where(source, r) + ": <file> outside a <package>");
                        String path = r.getElementText().strip();
                        if (wanted.contains(path)) out.computeIfAbsent(pkgid, k -> new TreeSet<>()).add(path);
                    }
                    default -> { }
                }
            }
        } catch (XMLStreamException e) {
            throw Xml.error(source, e);
        }
        if (!root) throw new RpmMetadataException(source + ": no <filelists> element");
        return out;
    }
}
