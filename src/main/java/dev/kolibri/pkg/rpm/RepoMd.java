package dev.kolibri.pkg.rpm;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code repodata/repomd.xml}: the index of a repository's metadata files, one {@link Data} per {@code <data type>}.
 *
 * @param revision the {@code <revision>} text, or null
 * @param data     by type ({@code primary}, {@code filelists}, {@code other}, {@code modules}, ...), sorted
 */
public record RepoMd(String revision, Map<String, RepoMd.Data> data) {
    public RepoMd {
        data = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(data));
    }

    /**
     * One metadata file.
     *
     * @param checksumType     {@code sha256}, {@code sha512}, ... of the file as stored
     * @param openChecksumType of the decompressed file; null when not given
     * @param openSize         decompressed size, or -1 when not given
     */
    public record Data(String type, String href, String checksumType, String checksum, long size,
                       String openChecksumType, String openChecksum, long openSize) {}

    public static RepoMd parse(byte[] xml, String source) {
        XMLStreamReader r = Xml.reader(new ByteArrayInputStream(xml), source);
        Map<String, Data> data = new TreeMap<>();
        String revision = null;
        boolean root = false;
        try {
            while (r.hasNext()) {
                if (r.next() != XMLStreamConstants.START_ELEMENT) continue;
                String n = r.getLocalName();
                if (!root) {
                    if (!n.equals("repomd")) throw new RpmMetadataException(source + ": root element is <" + n + ">, not <repomd>");
                    root = true;
                } else if (n.equals("revision")) {
                    revision = r.getElementText().strip();
                } else if (n.equals("data")) {
                    Data d = data(r, source);
                    if (data.put(d.type(), d) != null) throw new RpmMetadataException(source + ": <data type=\"" + d.type() + "\"> appears twice");
                }
            }
        } catch (XMLStreamException e) {
            throw Xml.error(source, e);
        }
        if (!root) throw new RpmMetadataException(source + ": no <repomd> element");
        return new RepoMd(revision, data);
    }

    private static Data data(XMLStreamReader r, String source) throws XMLStreamException {
        String type = Xml.attr(r, "type");
        String at = Xml.where(source, r);
        if (type == null || type.isBlank()) throw new RpmMetadataException(at + ": <data> without a type");
        String href = null, ct = null, cs = null, oct = null, ocs = null;
        long size = -1, openSize = -1;
        int depth = 1;
        while (depth > 0) {
            int ev = r.next();
            if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
                continue;
            }
            if (ev != XMLStreamConstants.START_ELEMENT) continue;
            switch (r.getLocalName()) {
                case "location" -> {
                    href = Xml.attr(r, "href");
                    depth++;
                }
                case "checksum" -> {
                    ct = Xml.attr(r, "type");
                    cs = r.getElementText().strip();
                }
                case "open-checksum" -> {
                    oct = Xml.attr(r, "type");
                    ocs = r.getElementText().strip();
                }
                case "size" -> size = number(r.getElementText(), at, "size");
                case "open-size" -> openSize = number(r.getElementText(), at, "open-size");
                default -> depth++;
            }
        }
        if (href == null || href.isBlank()) throw new RpmMetadataException(at + ": <data type=\"" + type + "\"> has no location href");
        if (cs == null || ct == null) throw new RpmMetadataException(at + ": <data type=\"" + type + "\"> has no checksum");
        return new Data(type, href, ct, cs.toLowerCase(java.util.Locale.ROOT), size, oct,
                ocs == null ? null : ocs.toLowerCase(java.util.Locale.ROOT), openSize);
    }

    private static long number(String text, String at, String what) {
        String t = text.strip();
        if (!t.matches("[0-9]{1,18}")) throw new RpmMetadataException(at + ": <" + what + "> is not a number: '" + t + "'");
        return Long.parseLong(t);
    }
}
