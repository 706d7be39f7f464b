package dev.kolibri.sign;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;

/**
 * ECDSA P-256 with SHA-256 over the given bytes, signatures as ASN.1 DER (what cosign and
 * {@code openssl dgst -sha256 -sign} write). cosign stores them base64 in the {@link #SIGNATURE_ANNOTATION}.
 */
public final class Signer {
    /** The layer annotation in which cosign keeps the base64 signature of a simple-signing payload. */
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    private static final String ALGORITHM = "SHA256withECDSA";

    private Signer() {}

    public static byte[] sign(PrivateKey key, byte[] data) throws KeyException {
        if (!(key instanceof ECPrivateKey ec) || !CosignKeys.isP256(ec.getParams())) {
            throw new KeyException("cannot sign with a " + key.getAlgorithm() + " key: only ECDSA P-256 keys are supported");
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (InvalidKeyException | SignatureException e) {
            throw new KeyException("signing failed with this key: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code sig} (DER) is a valid signature of {@code data} by {@code key}; false for any bad or malformed signature. */
    public static boolean verify(PublicKey key, byte[] data, byte[] sig) throws KeyException {
        if (!(key instanceof ECPublicKey ec) || !CosignKeys.isP256(ec.getParams())) {
            throw new KeyException("cannot verify with a " + key.getAlgorithm() + " key: only ECDSA P-256 keys are supported");
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(data);
            return s.verify(sig);
        } catch (SignatureException e) {
            return false; // not DER, wrong length, ...: not a signature by this key
        } catch (GeneralSecurityException e) {
            throw new KeyException("cannot verify with this key: " + e.getMessage(), e);
        }
    }
}
