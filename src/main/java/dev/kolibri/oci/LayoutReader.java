package dev.kolibri.oci;

import java.io.IOException;
import java.nio.file.Path;

/** Opens OCI image layout directories for reading. */
public final class LayoutReader {
    private LayoutReader() {}

    /** Opens the layout at {@code dir}: reads and checks {@code oci-layout} and {@code index.json}. */
    public static OciLayout open(Path dir) throws IOException {
        return OciLayout.open(dir);
    }
}
