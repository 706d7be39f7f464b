package dev.kolibri.registry;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The two requests of each blob upload (the empty {@code POST} that opens the session, the {@code PUT} of the
 * body) over the JDK's blocking {@link HttpURLConnection}: the bytes go from the file
 * to the socket on the calling thread. For the bulk of a push this costs about half the CPU of {@code java.net.http},
 * whose reactive pipeline hands every 16 KiB chunk between threads; the rest of the protocol (pings, challenges,
 * tokens, manifests, chunked uploads) stays on {@code java.net.http}. Connections are kept alive and reused by the
 * JDK; no proxy is used, as for the other requests; HTTPS uses the client's TLS settings.
 */
final class DirectUpload {
    private DirectUpload() {}

    /** The registry's answer: status, headers (names lower-cased) and body. */
    record Answer(int status, HttpHeaders headers, byte[] body) {}

    static Answer put(URI uri, Map<String, String> headers, long size, Supplier<InputStream> content, SSLContext tls,
                      Duration connectTimeout, Duration readTimeout) throws IOException {
        return send("PUT", uri, headers, size, content, tls, connectTimeout, readTimeout);
    }

    /** An empty {@code POST} (the start of an upload session). */
    static Answer post(URI uri, Map<String, String> headers, SSLContext tls, Duration connectTimeout,
                       Duration readTimeout) throws IOException {
        return send("POST", uri, headers, 0, InputStream::nullInputStream, tls, connectTimeout, readTimeout);
    }

    private static Answer send(String method, URI uri, Map<String, String> headers, long size,
                               Supplier<InputStream> content, SSLContext tls, Duration connectTimeout,
                               Duration readTimeout) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        try {
            if (c instanceof HttpsURLConnection https) https.setSSLSocketFactory(context(tls).getSocketFactory());
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
            c.setRequestMethod(method);
            headers.forEach(c::setRequestProperty);
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(size);
            try (OutputStream out = c.getOutputStream(); InputStream in = content.get()) {
                byte[] buf = new byte[1 << 16];
                long left = size;
                for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; left -= n) {
                    out.write(buf, 0, n);
                }
                if (left != 0) throw new IOException("the blob ended " + left + " bytes early");
            }
            int status = c.getResponseCode();
            InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] bytes = body == null ? new byte[0] : readAll(body);
            Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            c.getHeaderFields().forEach((k, v) -> {
                if (k != null) h.put(k, v);
            });
            return new Answer(status, HttpHeaders.of(h, (k, v) -> true), bytes);
        } catch (IOException | RuntimeException e) {
            c.disconnect(); // a half-used connection must not go back to the pool
            throw e;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static SSLContext context(SSLContext tls) throws IOException {
        if (tls != null) return tls;
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no default TLS context: " + e.getMessage(), e);
        }
    }
}
