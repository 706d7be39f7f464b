package dev.kolibri.repo;

import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * Verifies OpenPGP signatures on repository metadata the way apt's gpgv does: a clearsigned {@code InRelease},
 * or a {@code Release} with a detached {@code Release.gpg}. Valid when at least one signature verifies with a key
 * of the keyring (a primary key, or a signing subkey bound and cross-certified by it) that is neither revoked nor
 * expired now; signatures by unknown keys are ignored as long as one good one exists. MD5, SHA-1 and RIPEMD-160
 * signatures are refused, as apt refuses them.
 */
public final class SignatureVerifier {
    private static final String BEGIN_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIG = "-----BEGIN PGP SIGNATURE-----";
    private static final String END_SIG = "-----END PGP SIGNATURE-----";
    private static final BcPGPContentVerifierBuilderProvider PROVIDER = new BcPGPContentVerifierBuilderProvider();

    private SignatureVerifier() {}

    /**
     * Verifies a clearsigned message and returns the signed text: the dash-unescaped lines between the header and
     * the signature, trailing spaces and tabs removed (they are not signed), each ending in {@code \n}.
     * Anything outside the signed block other than blank lines is refused.
     */
    public static byte[] verifyClearsigned(byte[] inRelease, Keyring keyring, String sourceName) throws RepositoryException {
        String text = new String(inRelease, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length && strip(lines[i]).isEmpty()) i++;
        if (i == lines.length || !strip(lines[i]).equals(BEGIN_SIGNED)) {
            if (text.contains(BEGIN_SIGNED)) throw fail(sourceName, "text before the signed message (refused: it would not be signed)");
            throw fail(sourceName, "no OpenPGP signature (not a clearsigned message)");
        }
        i++;
        for (; i < lines.length && !strip(lines[i]).isEmpty(); i++) {
            if (!strip(lines[i]).startsWith("Hash:")) {
                throw fail(sourceName, "unexpected armor header '" + strip(lines[i]) + "' in clearsigned message");
            }
        }
        i++;
        List<String> body = new ArrayList<>();
        for (; ; i++) {
            if (i >= lines.length) throw fail(sourceName, "clearsigned message has no signature block");
            String l = strip(lines[i]);
            if (l.equals(BEGIN_SIG)) break;
            if (l.startsWith("- ")) l = l.substring(2);
            else if (l.startsWith("-")) throw fail(sourceName, "line " + (i + 1) + " starts with an unescaped '-'");
            body.add(trimTrailing(l));
        }
        int sigStart = i;
        int sigEnd = -1;
        for (i = sigStart + 1; i < lines.length; i++) {
            if (strip(lines[i]).equals(END_SIG)) {
                sigEnd = i;
                break;
            }
        }
        if (sigEnd < 0) throw fail(sourceName, "signature block is not terminated");
        for (i = sigEnd + 1; i < lines.length; i++) {
            if (!strip(lines[i]).isEmpty()) throw fail(sourceName, "text after the signature (refused: it would not be signed)");
        }
        StringBuilder armor = new StringBuilder();
        for (i = sigStart; i <= sigEnd; i++) armor.append(strip(lines[i])).append('\n');
        List<PGPSignature> sigs = signatures(armor.toString().getBytes(StandardCharsets.ISO_8859_1), sourceName);

        byte[] canonical = String.join("\r\n", body).getBytes(StandardCharsets.ISO_8859_1);
        check(sigs, keyring, sourceName, canonical, canonical);
        StringBuilder out = new StringBuilder();
        for (String l : body) out.append(l).append('\n');
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Verifies a detached signature ({@code Release.gpg}, binary or armored) over {@code data}. */
    public static void verifyDetached(byte[] data, byte[] signature, Keyring keyring, String sourceName) throws RepositoryException {
        List<PGPSignature> sigs = signatures(signature, sourceName);
        check(sigs, keyring, sourceName, data, textCanonical(data));
    }

    private static void check(List<PGPSignature> sigs, Keyring keyring, String source, byte[] binary, byte[] text)
            throws RepositoryException {
        List<String> reasons = new ArrayList<>();
        for (PGPSignature sig : sigs) {
            String why = verifyOne(sig, keyring, binary, text);
            if (why == null) return;
            reasons.add(why);
        }
        if (reasons.isEmpty()) throw fail(source, "no OpenPGP signature");
        throw fail(source, String.join("; ", reasons) + " (keyring " + keyring.source() + ")");
    }

    /** Null when good, else why not. */
    private static String verifyOne(PGPSignature sig, Keyring keyring, byte[] binary, byte[] text) {
        String issuer = issuer(sig);
        int type = sig.getSignatureType();
        if (type != PGPSignature.BINARY_DOCUMENT && type != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            return "signature by " + issuer + " is not a document signature (type " + type + ")";
        }
        int hash = sig.getHashAlgorithm();
        if (hash == HashAlgorithmTags.MD5 || hash == HashAlgorithmTags.SHA1 || hash == HashAlgorithmTags.RIPEMD160) {
            return "signature by " + issuer + " uses a weak digest (" + (hash == HashAlgorithmTags.MD5 ? "MD5" : hash == HashAlgorithmTags.SHA1 ? "SHA-1" : "RIPEMD-160") + ")";
        }
        PGPPublicKeyRing ring = null;
        long keyId = 0;
        for (KeyIdentifier id : sig.getKeyIdentifiers()) {
            long k = id.getKeyId();
            if (keyring.ringOf(k) != null) {
                ring = keyring.ringOf(k);
                keyId = k;
                break;
            }
        }
        if (ring == null) return "signed by unknown key " + issuer + ", which is not in the keyring";
        PGPPublicKey primary = ring.getPublicKey();
        PGPPublicKey key = ring.getPublicKey(keyId);
        String name = Keyring.fingerprint(key);
        try {
            if (primary.hasRevocation()) return "key " + Keyring.fingerprint(primary) + " is revoked";
            String expired = expiry(primary, primary.getValidSeconds());
            if (expired != null) return "key " + Keyring.fingerprint(primary) + " expired on " + expired;
            if (key != primary) {
                if (key.hasRevocation()) return "signing subkey " + name + " is revoked";
                PGPSignature binding = binding(primary, key);
                if (binding == null) return "subkey " + name + " has no valid binding signature from its primary key";
                PGPSignatureSubpacketVector h = binding.getHashedSubPackets();
                if (h != null && h.hasSubpacket(org.bouncycastle.bcpg.SignatureSubpacketTags.KEY_FLAGS)
                        && (h.getKeyFlags() & KeyFlags.SIGN_DATA) == 0) {
                    return "subkey " + name + " is not allowed to sign data";
                }
                if (!crossCertified(binding, primary, key)) return "signing subkey " + name + " is not cross-certified";
                long valid = h == null ? 0 : h.getKeyExpirationTime();
                expired = expiry(key, valid);
                if (expired != null) return "signing subkey " + name + " expired on " + expired;
            }
            sig.init(PROVIDER, key);
            sig.update(type == PGPSignature.CANONICAL_TEXT_DOCUMENT ? text : binary);
            if (!sig.verify()) return "bad signature by key " + name + " (the file was changed after it was signed)";
            return null;
        } catch (PGPException | RuntimeException e) {
            return "cannot check signature by key " + name + ": " + e.getMessage();
        }
    }

    private static PGPSignature binding(PGPPublicKey primary, PGPPublicKey sub) throws PGPException {
        PGPSignature best = null;
        for (Iterator<PGPSignature> it = sub.getSignaturesOfType(PGPSignature.SUBKEY_BINDING); it.hasNext(); ) {
            PGPSignature s = it.next();
            s.init(PROVIDER, primary);
            if (s.verifyCertification(primary, sub)
                    && (best == null || s.getCreationTime().after(best.getCreationTime()))) {
                best = s;
            }
        }
        return best;
    }

    private static boolean crossCertified(PGPSignature binding, PGPPublicKey primary, PGPPublicKey sub) throws PGPException {
        List<PGPSignatureSubpacketVector> vectors = new ArrayList<>();
        if (binding.getHashedSubPackets() != null) vectors.add(binding.getHashedSubPackets());
        if (binding.getUnhashedSubPackets() != null) vectors.add(binding.getUnhashedSubPackets());
        for (PGPSignatureSubpacketVector v : vectors) {
            PGPSignatureList embedded = v.getEmbeddedSignatures();
            for (PGPSignature back : embedded) {
                if (back.getSignatureType() != PGPSignature.PRIMARYKEY_BINDING) continue;
                back.init(PROVIDER, sub);
                if (back.verifyCertification(primary, sub)) return true;
            }
        }
        return false;
    }

    /** The expiry date when the key has expired by now, else null. */
    private static String expiry(PGPPublicKey key, long validSeconds) {
        if (validSeconds <= 0) return null;
        Instant end = key.getCreationTime().toInstant().plusSeconds(validSeconds);
        return end.isBefore(Instant.now()) ? end.toString() : null;
    }

    private static List<PGPSignature> signatures(byte[] data, String source) throws RepositoryException {
        List<PGPSignature> out = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
            if (in instanceof ArmoredInputStream a && a.getArmorHeaderLine() != null
                    && !a.getArmorHeaderLine().contains("SIGNATURE")) {
                throw fail(source, "expected an OpenPGP signature, found '" + a.getArmorHeaderLine() + "'");
            }
            BcPGPObjectFactory f = new BcPGPObjectFactory(in);
            for (Object o; (o = f.nextObject()) != null; ) {
                if (o instanceof PGPSignatureList list) list.forEach(out::add);
                else throw fail(source, "signature block holds a " + o.getClass().getSimpleName() + ", not a signature");
            }
        } catch (IOException | RuntimeException e) {
            throw fail(source, "unreadable OpenPGP signature: " + e.getMessage());
        }
        if (out.isEmpty()) throw fail(source, "no OpenPGP signature");
        return out;
    }

    private static String issuer(PGPSignature sig) {
        String keyId = null;
        for (KeyIdentifier id : sig.getKeyIdentifiers()) {
            if (id.getFingerprint() != null) return HexFormat.of().withUpperCase().formatHex(id.getFingerprint());
            if (keyId == null && id.getKeyId() != 0) keyId = String.format("%016X", id.getKeyId());
        }
        return keyId == null ? "(no issuer)" : keyId;
    }

    /** RFC 4880 text signature canonical form: line endings as CRLF. */
    private static byte[] textCanonical(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / 40);
        for (int i = 0; i < data.length; i++) {
            byte b = data[i];
            if (b == '\n' && (i == 0 || data[i - 1] != '\r')) out.write('\r');
            out.write(b);
        }
        return out.toByteArray();
    }

    private static String strip(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static String trimTrailing(String s) {
        int e = s.length();
        while (e > 0 && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) e--;
        return s.substring(0, e);
    }

    private static RepositoryException fail(String source, String why) {
        return new RepositoryException(source + ": " + why);
    }
}
