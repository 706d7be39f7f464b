package dev.kolibri.fs;

import java.nio.charset.Charset;
import java.nio.charset.spi.CharsetProvider;
import java.util.Iterator;
import java.util.List;

/**
 * Makes {@link MarkedUtf8} known to {@link Charset#forName} (registered in
 * {@code META-INF/services/java.nio.charset.spi.CharsetProvider}), for archive readers that take a charset by name.
 */
public final class MarkedUtf8Provider extends CharsetProvider {
    private static final Charset CHARSET = new MarkedUtf8();

    @Override
    public Iterator<Charset> charsets() {
        return List.of(CHARSET).iterator();
    }

    @Override
    public Charset charsetForName(String name) {
        return MarkedUtf8.NAME.equalsIgnoreCase(name) ? CHARSET : null;
    }
}
