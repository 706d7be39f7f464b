package dev.kolibri.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a registry that, for a seeded random share of connections (at most
 * {@code maxFaults} in all), answers 500 without forwarding or cuts the connection after a few bytes in either
 * direction. Every other connection is forwarded untouched.
 */
final class FaultProxy implements AutoCloseable {
    private static final byte[] ERROR = ("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
            + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int targetPort;
    private final Random random;
    private final double rate;
    private final int maxFaults;
    private final AtomicInteger faults = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    FaultProxy(int targetPort, long seed, double rate, int maxFaults) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.random = new Random(seed);
        this.rate = rate;
        this.maxFaults = maxFaults;
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    int faults() {
        return faults.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                int mode;
                int cut;
                synchronized (random) {
                    double r = random.nextDouble();
                    cut = random.nextInt(4096);
                    mode = r < rate / 2 ? 1 : r < rate ? (random.nextBoolean() ? 2 : 3) : 0;
                }
                if (mode != 0 && faults.incrementAndGet() > maxFaults) mode = 0;
                int m = mode;
                Thread.ofVirtual().start(() -> handle(client, m, cut));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** mode 0: forward; 1: answer 500; 2: cut client-to-registry after {@code cut} bytes; 3: cut the answer. */
    private void handle(Socket client, int mode, int cut) {
        try {
            synchronized (open) {
                open.add(client);
            }
            if (mode == 1) {
                InputStream in = client.getInputStream();
                in.read(new byte[8192]);
                client.getOutputStream().write(ERROR);
                client.close();
                return;
            }
            Socket upstream = new Socket();
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
            synchronized (open) {
                open.add(upstream);
            }
            Thread a = Thread.ofVirtual().start(() -> pump(client, upstream, mode == 2 ? cut : -1));
            pump(upstream, client, mode == 3 ? cut : -1);
            a.join();
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    private static void pump(Socket from, Socket to, long limit) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[8192];
            long sent = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                if (limit >= 0 && sent + n > limit) {
                    out.write(buf, 0, (int) (limit - sent));
                    out.flush();
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
                sent += n;
            }
        } catch (IOException e) {
            // the other side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (open) {
            for (Socket s : open) closeQuietly(s);
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
