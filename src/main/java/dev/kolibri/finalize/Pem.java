package dev.kolibri.finalize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM blocks as OpenSSL's {@code PEM_X509_INFO_read} sees them: certificates and CRLs; other blocks are ignored. */
final class Pem {
    private Pem() {}

    /** What a file holds: DER certificates (in file order) and the number of CRLs. */
    record Contents(List<byte[]> certificates, int crls) {}

    static Contents read(byte[] file) {
        String text = new String(file, StandardCharsets.ISO_8859_1);
        List<byte[]> certs = new ArrayList<>();
        int crls = 0;
        for (Block b : blocks(text)) {
            switch (b.label()) {
                case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE" -> certs.add(decode(b.body()));
                case "X509 CRL" -> crls++;
                default -> { }
            }
        }
        return new Contents(certs, crls);
    }

    record Block(String label, String body) {}

    /**
     * The blocks of a PEM text, found without the regex engine (a CA bundle is a few hundred blocks, read at every
     * build), exactly those {@code -----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----} (DOTALL) finds: for each {@code -----BEGIN LABEL-----} followed by a line end, the text up to the first
     * {@code -----END LABEL-----}; a header without its end is skipped, as the lazy regex skips it.
     */
    static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", from);
            if (begin < 0) return out;
            int labelStart = begin + 11;
            int labelEnd = labelStart;
            while (labelEnd < text.length() && isLabelChar(text.charAt(labelEnd))) labelEnd++;
            int body = labelEnd + 5;
            if (labelEnd == labelStart || !text.startsWith("-----", labelEnd)) {
                from = begin + 1;
                continue;
            }
            if (text.startsWith("\r\n", body)) body += 2;
            else if (text.startsWith("\n", body)) body += 1;
            else {
                from = begin + 1;
                continue;
            }
            String label = text.substring(labelStart, labelEnd);
            int end = text.indexOf("-----END " + label + "-----", body);
            if (end < 0) {
                from = begin + 1;
                continue;
            }
            out.add(new Block(label, text.substring(body, end)));
            from = end + 14 + label.length();
        }
    }

    private static boolean isLabelChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ';
    }

    private static byte[] decode(String body) {
        // RFC 1421 headers ("Proc-Type: ...") are dropped; a plain base64 body has no colon
        String b64 = body.indexOf(':') < 0 ? body : body.replaceAll("(?m)^[A-Za-z-]+:.*$", "");
        return Base64.getMimeDecoder().decode(b64);
    }
}
