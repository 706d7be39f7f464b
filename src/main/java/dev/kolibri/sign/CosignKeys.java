package dev.kolibri.sign;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * cosign's key files: {@code cosign.key} (an ECDSA P-256 PKCS#8 key sealed with scrypt + NaCl secretbox, PEM type
 * {@code ENCRYPTED SIGSTORE PRIVATE KEY}, or the older {@code ENCRYPTED COSIGN PRIVATE KEY}) and {@code cosign.pub}
 * (PEM {@code PUBLIC KEY}, SubjectPublicKeyInfo). Keys written here read in cosign and the other way round.
 */
public final class CosignKeys {
    public static final String SIGSTORE_PEM_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY";
    public static final String COSIGN_PEM_TYPE = "ENCRYPTED COSIGN PRIVATE KEY";
    public static final String PUBLIC_PEM_TYPE = "PUBLIC KEY";

    private static final X9ECParameters P256 = ECNamedCurveTable.getByName("secp256r1");
    private static final ECParameterSpec P256_SPEC = p256Spec();

    private CosignKeys() {}

    /** A fresh ECDSA P-256 key pair, as {@code cosign generate-key-pair} makes. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make ECDSA P-256 keys: " + e.getMessage(), e);
        }
    }

    public static KeyPair readPrivate(Path file, char[] password) throws KeyException {
        return readPrivate(read(file), password, file.toString());
    }

    public static KeyPair readPrivate(byte[] pem, char[] password) throws KeyException {
        return readPrivate(pem, password, "the private key");
    }

    /** Decrypts a cosign private key; {@code source} names it in errors. */
    public static KeyPair readPrivate(byte[] pem, char[] password, String source) throws KeyException {
        Pem block = Pem.decode(pem, source);
        if (!block.type().equals(SIGSTORE_PEM_TYPE) && !block.type().equals(COSIGN_PEM_TYPE)) {
            throw new KeyException(source + " holds a '" + block.type() + "' PEM block, not an encrypted cosign key ('"
                    + SIGSTORE_PEM_TYPE + "'): make one with 'kolibri keygen' or 'cosign generate-key-pair'");
        }
        byte[] pkcs8 = EncryptedKey.parse(block.bytes(), source).decrypt(password, source);
        try {
            return fromPkcs8(pkcs8, source);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** The encrypted PEM for {@code pair}: fresh salt and nonce, scrypt N=65536 r=8 p=1, as cosign writes. */
    public static byte[] writePrivate(KeyPair pair, char[] password) throws KeyException {
        byte[] pkcs8 = pkcs8(pair);
        try {
            EncryptedKey sealed = EncryptedKey.encrypt(pkcs8, password, EncryptedKey.Scrypt.STANDARD, new SecureRandom());
            return new Pem(SIGSTORE_PEM_TYPE, sealed.toJson()).encode();
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    public static PublicKey readPublic(Path file) throws KeyException {
        return readPublic(read(file), file.toString());
    }

    public static PublicKey readPublic(byte[] pem) throws KeyException {
        return readPublic(pem, "the public key");
    }

    public static PublicKey readPublic(byte[] pem, String source) throws KeyException {
        Pem block = Pem.decode(pem, source);
        if (!block.type().equals(PUBLIC_PEM_TYPE)) {
            throw new KeyException(source + " holds a '" + block.type() + "' PEM block, expected '" + PUBLIC_PEM_TYPE + "' (a cosign.pub file)");
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(block.bytes()));
        } catch (InvalidKeySpecException e) {
            throw new KeyException(source + " is not an EC public key (only ECDSA P-256 keys are supported): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        if (!(key instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
            throw new KeyException(source + " is not an ECDSA P-256 public key: only P-256 keys are supported");
        }
        return key;
    }

    /** PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo), as in {@code cosign.pub}. */
    public static byte[] writePublic(PublicKey key) throws KeyException {
        if (!(key instanceof ECPublicKey ec) || !isP256(ec.getParams())) throw new KeyException("only ECDSA P-256 public keys can be written, got " + key.getAlgorithm());
        return new Pem(PUBLIC_PEM_TYPE, key.getEncoded()).encode();
    }

    /** PKCS#8 in Go's layout (named curve in the algorithm, public key inside the ECPrivateKey), as cosign seals it. */
    static byte[] pkcs8(KeyPair pair) throws KeyException {
        if (!(pair.getPrivate() instanceof ECPrivateKey priv) || !isP256(priv.getParams())
                || !(pair.getPublic() instanceof ECPublicKey pub)) {
            throw new KeyException("only ECDSA P-256 key pairs are supported, got " + pair.getPrivate().getAlgorithm());
        }
        try {
            byte[] point = uncompressed(pub.getW());
            org.bouncycastle.asn1.sec.ECPrivateKey inner = new org.bouncycastle.asn1.sec.ECPrivateKey(256, priv.getS(), new DERBitString(point), null);
            AlgorithmIdentifier alg = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1);
            return new PrivateKeyInfo(alg, inner).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair fromPkcs8(byte[] der, String source) throws KeyException {
        PrivateKeyInfo info;
        org.bouncycastle.asn1.sec.ECPrivateKey inner;
        try {
            info = PrivateKeyInfo.getInstance(der);
            if (!info.getPrivateKeyAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                throw new KeyException(source + " holds a " + info.getPrivateKeyAlgorithm().getAlgorithm() + " key: only ECDSA P-256 keys are supported");
            }
            ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
            if (curve == null || !SECObjectIdentifiers.secp256r1.equals(curve.toASN1Primitive())) {
                throw new KeyException(source + " holds an EC key on another curve than P-256 (" + curve + "): only P-256 is supported");
            }
            inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new KeyException(source + " decrypted, but what it holds is not a PKCS#8 private key: " + e.getMessage(), e);
        }
        BigInteger d = inner.getKey();
        if (d.signum() <= 0 || d.compareTo(P256.getN()) >= 0) throw new KeyException(source + " holds an invalid P-256 private scalar");
        org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier().multiply(P256.getG(), d).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        if (inner.getPublicKey() != null && !Arrays.equals(inner.getPublicKey().getOctets(), uncompressed(w))) {
            throw new KeyException(source + " is inconsistent: its embedded public key does not belong to its private key");
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("EC");
            return new KeyPair(kf.generatePublic(new ECPublicKeySpec(w, P256_SPEC)), kf.generatePrivate(new ECPrivateKeySpec(d, P256_SPEC)));
        } catch (GeneralSecurityException e) {
            throw new KeyException(source + " holds a P-256 key this JDK refuses: " + e.getMessage(), e);
        }
    }

    static boolean isP256(ECParameterSpec p) {
        return p != null && p.getCurve().equals(P256_SPEC.getCurve()) && p.getOrder().equals(P256_SPEC.getOrder())
                && p.getGenerator().equals(P256_SPEC.getGenerator()) && p.getCofactor() == P256_SPEC.getCofactor();
    }

    private static byte[] uncompressed(ECPoint w) {
        byte[] out = new byte[65];
        out[0] = 4;
        byte[] x = unsigned32(w.getAffineX());
        byte[] y = unsigned32(w.getAffineY());
        System.arraycopy(x, 0, out, 1, 32);
        System.arraycopy(y, 0, out, 33, 32);
        return out;
    }

    private static byte[] unsigned32(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }

    private static byte[] read(Path file) throws KeyException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KeyException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static ECParameterSpec p256Spec() {
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec("secp256r1"));
            return ap.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no P-256 curve: " + e.getMessage(), e);
        }
    }
}
