package dev.kolibri.sbom;

import dev.kolibri.oci.Digest;

final class Digests {
    private Digests() {}

    static byte[] sha256(byte[] data) {
        return Digest.newSha256().digest(data);
    }
}
