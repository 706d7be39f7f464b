import java.security.KeyStore;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Runs on the JRE without network: the default TLS context and its trust store (cacerts), zlib, timezones. */
public class Check {
    public static void main(String[] args) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        int cas = ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers().length;
        if (cas <= 100) throw new AssertionError("only " + cas + " CA certificates in the default trust store");
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.beginHandshake();

        byte[] data = "kolibri".repeat(100).getBytes();
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] packed = new byte[data.length];
        int n = d.deflate(packed);
        Inflater i = new Inflater();
        i.setInput(packed, 0, n);
        byte[] back = new byte[data.length];
        i.inflate(back);
        if (!Arrays.equals(data, back)) throw new AssertionError("zlib round trip differs");

        ZonedDateTime zurich = ZonedDateTime.of(2025, 7, 1, 12, 0, 0, 0, ZoneId.of("Europe/Zurich"));
        if (!zurich.getOffset().equals(ZoneOffset.ofHours(2))) throw new AssertionError("Europe/Zurich: " + zurich.getOffset());

        System.out.println("java ok " + System.getProperty("user.name") + " " + Runtime.version().feature());
    }
}
