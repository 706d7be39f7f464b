package dev.kolibri.finalize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM blocks as OpenSSL's {@code PEM_X509_INFO_read} sees them: certificates and CRLs; other blocks are ignored. */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

    private Pem() {}

    /** What a file holds: DER certificates (in file order) and the number of CRLs. */
    record Contents(List<byte[]> certificates, int crls) {}

    static Contents read(byte[] file) {
        String text = new String(file, StandardCharsets.ISO_8859_1);
        Matcher m = BLOCK.matcher(text);
        List<byte[]> certs = new ArrayList<>();
        int crls = 0;
        while (m.find()) {
            switch (m.group(1)) {
                case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE" -> certs.add(decode(m.group(2)));
                case "X509 CRL" -> crls++;
                default -> { }
            }
        }
        return new Contents(certs, crls);
    }

    private static byte[] decode(String body) {
        return Base64.getMimeDecoder().decode(body.replaceAll("(?m)^[A-Za-z-]+:.*$", ""));
    }
}
