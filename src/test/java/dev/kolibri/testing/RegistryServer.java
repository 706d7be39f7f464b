package dev.kolibri.testing;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The CNCF distribution registry ({@code docker-registry serve}) on 127.0.0.1 and a free port, storing in a
 * directory of the caller's: plain, with htpasswd (bcrypt) auth, and/or with TLS from a CA the helper makes with
 * {@code openssl}. Started by {@link #start}, stopped by {@link #close}. Tests using it call
 * {@code Tools.require("docker-registry")} first.
 */
public final class RegistryServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;
    private final Path caCert;

    private RegistryServer(Process process, int port, Path dir, Path caCert) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.caCert = caCert;
    }

    /** How to start: optional htpasswd user and password, optional TLS. */
    public record Options(String user, String password, boolean tls) {
        public static Options plain() {
            return new Options(null, null, false);
        }

        public static Options auth(String user, String password) {
            return new Options(user, password, false);
        }

        public static Options tlsOnly() {
            return new Options(null, null, true);
        }
    }

    public static RegistryServer start(Path dir) throws IOException {
        return start(dir, Options.plain());
    }

    public static RegistryServer start(Path dir, Options o) throws IOException {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StringBuilder yml = new StringBuilder();
        yml.append("version: 0.1\n");
        yml.append("log:\n  level: warn\n  accesslog:\n    disabled: true\n");
        yml.append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n');
        yml.append("  delete:\n    enabled: true\n");
        yml.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        yml.append("  secret: kolibri-test-secret\n");
        Path ca = null;
        if (o.tls()) {
            ca = makeCertificates(dir);
            yml.append("  tls:\n    certificate: ").append(dir.resolve("server.pem")).append('\n');
            yml.append("    key: ").append(dir.resolve("server.key")).append('\n');
        }
        if (o.user() != null) {
            Path htpasswd = dir.resolve("htpasswd");
            byte[] salt = new byte[16];
            new Random(42).nextBytes(salt);
            String hash = OpenBSDBCrypt.generate("2a", o.password().toCharArray(), salt, 5);
            Files.writeString(htpasswd, o.user() + ":" + hash + "\n");
            yml.append("auth:\n  htpasswd:\n    realm: kolibri-test\n    path: ").append(htpasswd).append('\n');
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, yml.toString());
        Path log = dir.resolve("registry.log");
        ProcessBuilder pb = new ProcessBuilder("docker-registry", "serve", config.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        RegistryServer server = new RegistryServer(p, port, dir, ca);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("docker-registry exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return server;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    server.close();
                    throw new IOException("docker-registry did not listen on " + port + " within 30 s: " + Files.readString(log));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException(ie);
                }
            }
        }
    }

    /** Makes a CA and a server certificate for IP 127.0.0.1 with openssl; returns the CA certificate (PEM). */
    private static Path makeCertificates(Path dir) throws IOException {
        Path ext = dir.resolve("server.ext");
        Files.writeString(ext, "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n", StandardCharsets.UTF_8);
        String d = dir.toString();
        Tools.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", d + "/ca.key", "-out", d + "/ca.pem", "-days", "3650", "-subj", "/CN=kolibri test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Tools.ok(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", d + "/server.key", "-out", d + "/server.csr", "-subj", "/CN=127.0.0.1");
        Tools.ok(dir, "openssl", "x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca.key",
                "-CAcreateserial", "-out", d + "/server.pem", "-days", "3650", "-extfile", ext.toString());
        return dir.resolve("ca.pem");
    }

    /** {@code 127.0.0.1:PORT}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The CA certificate (PEM) of a TLS registry; null for a plain one. */
    public Path caCert() {
        return caCert;
    }

    /** The registry's log (warnings and errors). */
    public String log() throws IOException {
        return Files.readString(dir.resolve("registry.log"));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
