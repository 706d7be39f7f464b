package dev.kolibri.finalize;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * OpenSSL's {@code X509_NAME_hash_ex} ({@code openssl x509 -subject_hash}, the name of {@code c_rehash} links): SHA-1
 * over the canonical subject encoding, first four bytes read little-endian.
 *
 * <p>The canonical encoding (OpenSSL {@code x509_name_canon}) is each RDN's SET re-encoded, without the outer
 * SEQUENCE, where every string value of a text type is converted to UTF-8, stripped of leading and trailing ASCII
 * white space, with inner runs of ASCII white space folded to one space and ASCII letters lowercased, and then
 * encoded as a UTF8String. Values of other types are kept as they are.
 */
final class SubjectHash {
    private static final int SEQUENCE = 0x30, SET = 0x31, UTF8 = 0x0c, PRINTABLE = 0x13, T61 = 0x14, IA5 = 0x16,
            VISIBLE = 0x1a, UNIVERSAL = 0x1c, BMP = 0x1e;

    private SubjectHash() {}

    /** The subject hash of a DER certificate, as eight lowercase hex digits. */
    static String ofCertificate(byte[] certDer) {
        return String.format("%08x", hash(subject(certDer)));
    }

    /** The subject Name's DER (a SEQUENCE) of a DER certificate. */
    static byte[] subject(byte[] certDer) {
        List<Der.Tlv> top = Der.children(certDer);
        if (top.isEmpty()) throw new IllegalArgumentException("not a certificate: empty");
        Der.Tlv cert = top.get(0); // a TRUSTED CERTIFICATE has OpenSSL's trust settings after it
        if (cert.tag() != SEQUENCE) throw new IllegalArgumentException("not a certificate: no outer SEQUENCE");
        List<Der.Tlv> parts = Der.children(cert.value());
        if (parts.isEmpty() || parts.get(0).tag() != SEQUENCE) throw new IllegalArgumentException("not a certificate: no tbsCertificate");
        List<Der.Tlv> tbs = Der.children(parts.get(0).value());
        int i = !tbs.isEmpty() && tbs.get(0).tag() == 0xa0 ? 1 : 0; // [0] version
        int subjectIndex = i + 4; // serial, signature, issuer, validity, subject
        if (tbs.size() <= subjectIndex || tbs.get(subjectIndex).tag() != SEQUENCE) {
            throw new IllegalArgumentException("not a certificate: no subject name");
        }
        return tbs.get(subjectIndex).raw();
    }

    /** {@code X509_NAME_hash_ex} of a DER Name. */
    static long hash(byte[] nameDer) {
        byte[] md = sha1(canonical(nameDer));
        return (md[0] & 0xffL) | (md[1] & 0xffL) << 8 | (md[2] & 0xffL) << 16 | (md[3] & 0xffL) << 24;
    }

    static byte[] canonical(byte[] nameDer) {
        Der.Tlv name = Der.single(nameDer);
        if (name.tag() != SEQUENCE) throw new IllegalArgumentException("a Name must be a SEQUENCE");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Der.Tlv rdn : Der.children(name.value())) {
            if (rdn.tag() != SET) throw new IllegalArgumentException("an RDN must be a SET");
            List<byte[]> avas = new ArrayList<>();
            for (Der.Tlv ava : Der.children(rdn.value())) {
                List<Der.Tlv> f = Der.children(ava.value());
                if (ava.tag() != SEQUENCE || f.size() != 2 || f.get(0).tag() != 0x06) {
                    throw new IllegalArgumentException("an attribute must be SEQUENCE { OID, value }");
                }
                byte[] value = canonicalValue(f.get(1));
                ByteArrayOutputStream seq = new ByteArrayOutputStream();
                seq.writeBytes(f.get(0).raw());
                seq.writeBytes(value);
                avas.add(Der.encode(SEQUENCE, seq.toByteArray()));
            }
            avas.sort(SubjectHash::derOrder); // DER: SET OF elements in ascending encoding order
            ByteArrayOutputStream set = new ByteArrayOutputStream();
            avas.forEach(set::writeBytes);
            out.writeBytes(Der.encode(SET, set.toByteArray()));
        }
        return out.toByteArray();
    }

    private static byte[] canonicalValue(Der.Tlv v) {
        byte[] utf8 = switch (v.tag()) {
            case UTF8 -> v.value();
            case PRINTABLE, T61, IA5, VISIBLE -> new String(v.value(), StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
            case BMP -> new String(v.value(), StandardCharsets.UTF_16BE).getBytes(StandardCharsets.UTF_8);
            case UNIVERSAL -> new String(v.value(), java.nio.charset.Charset.forName("UTF-32BE")).getBytes(StandardCharsets.UTF_8);
            default -> null;
        };
        if (utf8 == null) return v.raw();
        return Der.encode(UTF8, fold(utf8));
    }

    /** Strips, folds and lowercases ASCII white space and letters; other bytes pass through. */
    static byte[] fold(byte[] s) {
        int from = 0, to = s.length;
        while (from < to && space(s[from])) from++;
        while (to > from && space(s[to - 1])) to--;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; ) {
            byte c = s[i];
            if (space(c)) {
                out.write(' ');
                while (space(s[i])) i++;
            } else {
                out.write(c >= 'A' && c <= 'Z' ? c + 32 : c);
                i++;
            }
        }
        return out.toByteArray();
    }

    private static boolean space(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    private static int derOrder(byte[] a, byte[] b) {
        int c = Arrays.compareUnsigned(a, 0, Math.min(a.length, b.length), b, 0, Math.min(a.length, b.length));
        return c != 0 ? c : Integer.compare(a.length, b.length);
    }

    private static byte[] sha1(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }
}
