package dev.kolibri.pkg.rpm;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;

/** A StAX reader that refuses DTDs and external entities (repository metadata never needs them). */
final class Xml {
    private Xml() {}

    static XMLStreamReader reader(InputStream in, String source) {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        // Without a DTD there are no entities to expand; the JDK's accumulated-size limit would otherwise count
        // the predefined ones (&amp; ...) over a whole distribution's primary.xml.
        try {
            f.setProperty("jdk.xml.totalEntitySizeLimit", "0");
        } catch (IllegalArgumentException e) {
            // older JDK: keep its default
        }
        try {
            return f.createXMLStreamReader(in, "UTF-8");
        } catch (XMLStreamException e) {
            throw new RpmMetadataException(source + ": not XML: " + oneLine(e), e);
        }
    }

    static RpmMetadataException error(String source, XMLStreamException e) {
        return new RpmMetadataException(source + ": malformed XML: " + oneLine(e), e);
    }

    static String oneLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        return m.replaceAll("\\s+", " ").strip();
    }

    static String attr(XMLStreamReader r, String name) {
        for (int i = 0; i < r.getAttributeCount(); i++) {
            if (r.getAttributeLocalName(i).equals(name)) return r.getAttributeValue(i);
        }
        return null;
    }

    static String where(String source, XMLStreamReader r) {
        return source + ":" + r.getLocation().getLineNumber();
    }
}
