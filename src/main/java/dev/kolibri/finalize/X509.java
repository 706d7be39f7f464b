package dev.kolibri.finalize;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** One parsed X.509 certificate and the few facts the trust steps need. */
record X509(byte[] der, X509Certificate cert) {
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final byte[] CN = {0x06, 0x03, 0x55, 0x04, 0x03};
    private static final byte[] OU = {0x06, 0x03, 0x55, 0x04, 0x0b};
    private static final byte[] O = {0x06, 0x03, 0x55, 0x04, 0x0a};

    /** Parses DER; throws IllegalArgumentException with the parser's reason when it is not a certificate. */
    static X509 parse(byte[] der) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            X509Certificate c = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
            return new X509(c.getEncoded(), c);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** DER SubjectPublicKeyInfo, the key p11-kit attaches stapled extensions by. */
    byte[] publicKeyInfo() {
        return cert.getPublicKey().getEncoded();
    }

    /** CA per basicConstraints, or (as p11-kit's builder decides) a self-issued version 1 certificate. */
    boolean isAuthority() {
        if (cert.getBasicConstraints() >= 0) return true;
        return cert.getVersion() == 1 && cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
    }

    /** The certificate's own extended key usage OIDs; empty when it has none (any purpose). */
    Optional<List<String>> extendedKeyUsage() {
        try {
            return Optional.ofNullable(cert.getExtendedKeyUsage());
        } catch (CertificateParsingException e) {
            return Optional.of(List.of());
        }
    }

    /**
     * The subject's name for people, as p11-kit labels certificates without a label: the last common name, else
     * the last organizational unit, else the last organization; decoded from its ASN.1 string type.
     */
    Optional<String> displayName() {
        for (byte[] oid : List.of(CN, OU, O)) {
            Optional<String> v = lastValue(oid);
            if (v.isPresent()) return v;
        }
        return Optional.empty();
    }

    private Optional<String> lastValue(byte[] oid) {
        String found = null;
        try {
            Der.Tlv name = Der.single(cert.getSubjectX500Principal().getEncoded());
            for (Der.Tlv rdn : Der.children(name.value())) {
                for (Der.Tlv atv : Der.children(rdn.value())) {
                    List<Der.Tlv> parts = Der.children(atv.value());
                    if (parts.size() == 2 && Arrays.equals(parts.get(0).raw(), oid)) found = text(parts.get(1));
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(found);
    }

    private static String text(Der.Tlv v) {
        Charset cs = switch (v.tag()) {
            case 0x0c -> StandardCharsets.UTF_8;
            case 0x1e -> StandardCharsets.UTF_16BE;
            case 0x1c -> Charset.forName("UTF-32BE");
            default -> StandardCharsets.ISO_8859_1;
        };
        return new String(v.value(), cs);
    }
}
