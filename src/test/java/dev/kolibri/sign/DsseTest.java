package dev.kolibri.sign;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DsseTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pae_specExample() {
        assertThat(new String(Dsse.pae("http://example.com/HelloWorld", utf8("hello world")), StandardCharsets.UTF_8))
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void pae_lengthsAreBytesNotChars() {
        assertThat(new String(Dsse.pae("t/ü", utf8("é")), StandardCharsets.UTF_8)).isEqualTo("DSSEv1 4 t/ü 2 é");
        assertThat(new String(Dsse.pae("", new byte[0]), StandardCharsets.UTF_8)).isEqualTo("DSSEv1 0  0 ");
    }

    /** The DSSE protocol's test vector: envelope and P-256 key from the spec, signature made by its reference code. */
    @Test
    void verify_specTestVector_accepted() throws Exception {
        String specEnvelope = "{\"payload\": \"aGVsbG8gd29ybGQ=\",\n \"payloadType\": \"http://example.com/HelloWorld\",\n"
                + " \"signatures\": [{\"sig\": \"A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==\"}]}";
        PublicKey key = p256(new BigInteger("46950820868899156662930047687818585632848591499744589407958293238635476079160"),
                new BigInteger("5640078356564379163099075877009565129882514886557779369047442380624545832820"));
        Dsse.Envelope parsed = Dsse.parse(utf8(specEnvelope));
        assertThat(parsed.payload()).isEqualTo(utf8("hello world"));
        assertThat(parsed.signatures()).singleElement().satisfies(s -> assertThat(s.keyid()).isEmpty());
        // the spec's signature is raw r||s; cosign's (and ours) are DER
        Dsse.Envelope der = new Dsse.Envelope(parsed.payloadType(), parsed.payload(), List.of(new Dsse.Sig("", rawToDer(parsed.signatures().get(0).sig()))));
        assertThat(Dsse.verify(der, key)).isTrue();
        Dsse.Envelope otherType = new Dsse.Envelope("http://example.com/HelloWorlds", der.payload(), der.signatures());
        assertThat(Dsse.verify(otherType, key)).isFalse();
    }

    @Test
    void sign_thenJsonThenParse_verifies() throws Exception {
        KeyPair pair = CosignKeys.generate();
        byte[] statement = utf8("{\"_type\":\"https://in-toto.io/Statement/v0.1\"}");
        Dsse.Envelope env = Dsse.sign(Dsse.IN_TOTO, statement, pair.getPrivate());
        String json = new String(env.toJson(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"" + Base64.getEncoder().encodeToString(statement)
                + "\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"");
        Dsse.Envelope back = Dsse.parse(env.toJson());
        assertThat(back).isEqualTo(env);
        assertThat(Dsse.verify(back, pair.getPublic())).isTrue();
        assertThat(Dsse.verify(back, CosignKeys.generate().getPublic())).isFalse();
        // the signature covers PAE(type, payload), not the bare payload
        assertThat(Signer.verify(pair.getPublic(), statement, back.signatures().get(0).sig())).isFalse();
        assertThat(Signer.verify(pair.getPublic(), Dsse.pae(Dsse.IN_TOTO, statement), back.signatures().get(0).sig())).isTrue();
    }

    @Test
    void verify_tamperedPayload_refused() throws Exception {
        KeyPair pair = CosignKeys.generate();
        Dsse.Envelope env = Dsse.sign(Dsse.IN_TOTO, utf8("{\"a\":1}"), pair.getPrivate());
        Dsse.Envelope tampered = new Dsse.Envelope(env.payloadType(), utf8("{\"a\":2}"), env.signatures());
        assertThat(Dsse.verify(tampered, pair.getPublic())).isFalse();
    }

    @Test
    void parse_urlSafeUnpaddedBase64_accepted() throws Exception {
        byte[] payload = {(byte) 0xfb, (byte) 0xff, (byte) 0xfe, 0x01};
        String json = "{\"payloadType\":\"x\",\"payload\":\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(payload)
                + "\",\"signatures\":[{\"keyid\":\"k1\",\"sig\":\"-_8\"}]}";
        Dsse.Envelope env = Dsse.parse(utf8(json));
        assertThat(env.payload()).isEqualTo(payload);
        assertThat(env.signatures().get(0).keyid()).isEqualTo("k1");
        assertThat(env.signatures().get(0).sig()).isEqualTo(new byte[] {(byte) 0xfb, (byte) 0xff});
    }

    @Test
    void parse_brokenEnvelopes_refusedWithReason() {
        assertThatThrownBy(() -> Dsse.parse(utf8("{\"payload\":\"\",\"signatures\":[]}"))).isInstanceOf(PayloadException.class).hasMessageContaining("payloadType");
        assertThatThrownBy(() -> Dsse.parse(utf8("{\"payloadType\":\"x\",\"payload\":\"\",\"signatures\":[]}"))).isInstanceOf(PayloadException.class).hasMessageContaining("no signatures");
        assertThatThrownBy(() -> Dsse.parse(utf8("{\"payloadType\":\"x\",\"payload\":\"%%%\",\"signatures\":[{\"sig\":\"\"}]}"))).isInstanceOf(PayloadException.class).hasMessageContaining("not base64");
        assertThatThrownBy(() -> Dsse.parse(utf8("{"))).isInstanceOf(PayloadException.class).hasMessageContaining("not JSON");
    }

    @Test
    void envelope_isImmutable() throws Exception {
        byte[] payload = utf8("abc");
        Dsse.Envelope env = Dsse.sign("x", payload, CosignKeys.generate().getPrivate());
        payload[0] = 'z';
        env.payload()[1] = 'z';
        assertThat(env.payload()).isEqualTo(utf8("abc"));
    }

    private static PublicKey p256(BigInteger x, BigInteger y) throws Exception {
        AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
        ap.init(new ECGenParameterSpec("secp256r1"));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), ap.getParameterSpec(ECParameterSpec.class)));
    }

    private static byte[] rawToDer(byte[] raw) throws Exception {
        assertThat(raw).hasSize(64);
        return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32))),
                new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64)))}).getEncoded();
    }
}
